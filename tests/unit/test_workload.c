/* Workloads: sequential and seeded random read orders, and the expected
 * checksum that every method's delivered bytes are verified against. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/platform.h"
#include "mmbench/workload.h"
#include "testutil.h"

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = tu_mkdtemp(mb_default_scratch_dir(), "workload");
    return dir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmtree(dir);
    free(dir);
    return 0;
}

/* The checksum of the records read in w's order, computed independently. */
static uint64_t expected(const struct mb_workload *w)
{
    uint8_t rec[64];
    uint64_t h = MB_CHECKSUM_INIT;
    for (size_t i = 0; i < w->nrecords; i++) {
        mb_content_fill(rec, w->offsets[i], w->record_size);
        h = mb_checksum(h, rec, w->record_size);
    }
    return h;
}

static void test_sequential(void **state)
{
    (void)state;
    struct mb_workload w;
    assert_int_equal(mb_workload_create(&w, dir, "seq", 100, 20, MB_ACCESS_SEQUENTIAL, 7), 0);
    for (size_t i = 0; i < 100; i++)
        assert_true(w.offsets[i] == i * 20);
    assert_true(w.expected == expected(&w));
    mb_workload_free(&w);
}

static void test_random_is_a_seeded_permutation(void **state)
{
    (void)state;
    struct mb_workload a, b, c, s;
    assert_int_equal(mb_workload_create(&a, dir, "rnd", 100, 20, MB_ACCESS_RANDOM, 7), 0);
    assert_int_equal(mb_workload_create(&b, dir, "rnd", 100, 20, MB_ACCESS_RANDOM, 7), 0);
    assert_int_equal(mb_workload_create(&c, dir, "rnd", 100, 20, MB_ACCESS_RANDOM, 8), 0);
    assert_int_equal(mb_workload_create(&s, dir, "seq", 100, 20, MB_ACCESS_SEQUENTIAL, 7), 0);
    bool seen[100] = {false};
    for (size_t i = 0; i < 100; i++) {
        assert_true(a.offsets[i] % 20 == 0 && a.offsets[i] / 20 < 100);
        assert_false(seen[a.offsets[i] / 20]);
        seen[a.offsets[i] / 20] = true;
    }
    assert_memory_equal(a.offsets, b.offsets, 100 * sizeof *a.offsets); /* same seed */
    assert_true(memcmp(a.offsets, c.offsets, 100 * sizeof *a.offsets) != 0);
    assert_true(memcmp(a.offsets, s.offsets, 100 * sizeof *a.offsets) != 0);
    /* the right bytes in the wrong order must not verify */
    assert_true(a.expected == expected(&a));
    assert_true(a.expected != s.expected);
    mb_workload_free(&a);
    mb_workload_free(&b);
    mb_workload_free(&c);
    mb_workload_free(&s);
}

static void test_content_is_position_dependent(void **state)
{
    (void)state;
    /* a method reading one byte, one record or one page off must differ */
    uint8_t a[64], b[64];
    mb_content_fill(a, 0, 64);
    mb_content_fill(b, 1, 64);
    assert_true(memcmp(a, b, 64) != 0);
    mb_content_fill(b, 4096, 64);
    assert_true(memcmp(a, b, 64) != 0);
    assert_true(mb_checksum(MB_CHECKSUM_INIT, a, 0) == MB_CHECKSUM_INIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequential),
        cmocka_unit_test(test_random_is_a_seeded_permutation),
        cmocka_unit_test(test_content_is_position_dependent),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
