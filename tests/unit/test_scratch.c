/* Scratch files: a new, uniquely named file per workload inside the chosen
 * directory, holding the deterministic content, gone after
 * mb_workload_free(); nothing created on failure; never a file mmbench did
 * not create removed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/workload.h"
#include "testutil.h"

static void test_unique_names(void **state)
{
    (void)state;
    struct mb_workload a, b;
    assert_int_equal(mb_workload_create(&a, tu_dir, "same", 10, 20, MB_ACCESS_SEQUENTIAL, 1), 0);
    assert_int_equal(mb_workload_create(&b, tu_dir, "same", 10, 20, MB_ACCESS_SEQUENTIAL, 1), 0);
    assert_string_not_equal(a.path, b.path);
    char prefix[4200];
    snprintf(prefix, sizeof prefix, "%s/mmbench-same-", tu_dir);
    assert_int_equal(strncmp(a.path, prefix, strlen(prefix)), 0);
    assert_int_equal(strncmp(b.path, prefix, strlen(prefix)), 0);
    assert_int_equal(strlen(a.path), strlen(prefix) + 6); /* the XXXXXX part */
    assert_true(mb_path_exists(a.path));
    assert_true(mb_path_exists(b.path));
    assert_int_equal(tu_count_entries(tu_dir), 2);

    char *kept = strdup(a.path);
    mb_workload_free(&a);
    assert_false(mb_path_exists(kept));
    assert_null(a.path);
    assert_true(mb_path_exists(b.path)); /* the other one is untouched */
    mb_workload_free(&a);                 /* freeing twice is safe */
    mb_workload_free(&b);
    assert_int_equal(tu_count_entries(tu_dir), 0);
    free(kept);
}

static void test_size_and_content(void **state)
{
    (void)state;
    struct mb_workload w;
    assert_int_equal(mb_workload_create(&w, tu_dir, "content", 300, 20, MB_ACCESS_SEQUENTIAL, 1), 0);
    struct stat st;
    assert_int_equal(stat(w.path, &st), 0);
    assert_true(st.st_size == 6000);
    assert_true(w.file_size == 6000);
    uint8_t *buf;
    size_t len;
    assert_int_equal(mb_file_read_all(w.path, &buf, &len), 0);
    assert_int_equal(len, 6000);
    uint8_t want[6000];
    mb_content_fill(want, 0, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
    free(buf);
    mb_workload_free(&w);
}

static void test_failure_creates_nothing(void **state)
{
    (void)state;
    struct mb_workload w;
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/missing", tu_dir);
    assert_int_equal(mb_workload_create(&w, missing, "x", 10, 20, MB_ACCESS_SEQUENTIAL, 1),
                     MB_EUSAGE);
    assert_non_null(strstr(mb_last_error(), missing));
    assert_null(w.path);
    assert_int_equal(mb_workload_create(&w, tu_dir, "x", 0, 20, MB_ACCESS_SEQUENTIAL, 1), MB_EUSAGE);
    assert_int_equal(mb_workload_create(&w, tu_dir, "x", 10, 0, MB_ACCESS_SEQUENTIAL, 1), MB_EUSAGE);
    assert_int_equal(tu_count_entries(tu_dir), 0);
}

static void test_never_removes_foreign_file(void **state)
{
    (void)state;
    char path[4200];
    snprintf(path, sizeof path, "%s/mmbench-user-data", tu_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    /* "Removing an unknown path does nothing" (platform.h) */
    mb_scratch_remove(path);
    assert_true(mb_path_exists(path));
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unique_names),
        cmocka_unit_test(test_size_and_content),
        cmocka_unit_test(test_failure_creates_nothing),
        cmocka_unit_test(test_never_removes_foreign_file),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
