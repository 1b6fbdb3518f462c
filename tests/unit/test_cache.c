/* Cache control on a real file: warm means every page resident, evict means
 * none (checked with mincore). Needs a disk-backed directory: on tmpfs pages
 * cannot be evicted, so the whole test is skipped there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/workload.h"
#include "testutil.h"

static char *dir;

static void resident(const char *path, uint64_t *res, uint64_t *total)
{
    *res = *total = UINT64_MAX;
    assert_int_equal(mb_cache_resident(path, res, total), 0);
}

static void test_warm_then_evict(void **state)
{
    (void)state;
    struct mb_workload w;
    uint64_t res, total;
    size_t page = mb_page_size();
    assert_int_equal(mb_workload_create(&w, dir, "cache", 64, page, MB_ACCESS_SEQUENTIAL, 1), 0);

    assert_int_equal(mb_cache_warm(w.path), 0);
    resident(w.path, &res, &total);
    assert_true(total == 64);
    assert_true(res == total);

    assert_int_equal(mb_cache_evict(w.path), 0);
    resident(w.path, &res, &total);
    if (res != 0)
        print_error("%llu of %llu pages still resident after eviction\n",
                    (unsigned long long)res, (unsigned long long)total);
    assert_true(res == 0);
    assert_true(total == 64);

    /* and back: the states are not one-way */
    assert_int_equal(mb_cache_warm(w.path), 0);
    resident(w.path, &res, &total);
    assert_true(res == 64);
    assert_int_equal(mb_cache_evict(w.path), 0);
    assert_int_equal(mb_cache_evict(w.path), 0); /* evicting twice is harmless */
    resident(w.path, &res, &total);
    assert_true(res == 0);
    mb_workload_free(&w);
}

static void test_partial_page_counts(void **state)
{
    (void)state;
    struct mb_workload w;
    uint64_t res, total;
    size_t page = mb_page_size();
    /* two pages and a bit: the last, partial page counts as a page */
    assert_int_equal(mb_workload_create(&w, dir, "cache", 2 * page + 1, 1, MB_ACCESS_SEQUENTIAL, 1),
                     0);
    assert_int_equal(mb_cache_warm(w.path), 0);
    resident(w.path, &res, &total);
    assert_true(total == 3);
    assert_true(res == 3);
    mb_workload_free(&w);
}

static void test_missing_file(void **state)
{
    (void)state;
    char path[4200];
    snprintf(path, sizeof path, "%s/no-such-file", dir);
    uint64_t res = 7, total = 9;
    assert_int_equal(mb_cache_resident(path, &res, &total), MB_EENV);
    assert_true(res == 7 && total == 9); /* left unchanged on failure */
    assert_int_equal(mb_cache_evict(path), MB_EENV);
    assert_int_equal(mb_cache_warm(path), MB_EENV);
    assert_non_null(strstr(mb_last_error(), "no-such-file"));
}

int main(void)
{
    const char *parent = mb_default_scratch_dir();
    if (tu_is_memory_fs(parent)) {
        printf("SKIP: %s is tmpfs/ramfs: its pages cannot be evicted, so cold cannot be "
               "tested (set TMPDIR to a disk-backed directory)\n", parent);
        return MB_TEST_SKIP;
    }
    dir = tu_mkdtemp(parent, "cache");
    if (!dir) {
        fprintf(stderr, "cannot create a directory in %s\n", parent);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_warm_then_evict),
        cmocka_unit_test(test_partial_page_counts),
        cmocka_unit_test(test_missing_file),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tu_rmtree(dir);
    free(dir);
    return rc;
}
