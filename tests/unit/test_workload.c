/* Workloads: sequential and seeded random read orders, the expected bytes
 * that every method's delivered bytes are verified against, and the
 * delivery buffer a batch of passes fills. */
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

/* True if w->expected holds the records in w's order, computed
 * independently of the workload. */
static bool expected_ok(const struct mb_workload *w)
{
    uint8_t rec[64];
    if (w->pass_bytes != w->nrecords * w->record_size)
        return false;
    for (size_t i = 0; i < w->nrecords; i++) {
        mb_content_fill(rec, w->offsets[i], w->record_size);
        if (memcmp(rec, w->expected + i * w->record_size, w->record_size) != 0)
            return false;
    }
    return true;
}

static void test_sequential(void **state)
{
    (void)state;
    struct mb_workload w;
    assert_int_equal(mb_workload_create(&w, tu_dir, "seq", 100, 20, MB_ACCESS_SEQUENTIAL, 7), 0);
    for (size_t i = 0; i < 100; i++)
        assert_true(w.offsets[i] == i * 20);
    assert_true(expected_ok(&w));
    mb_workload_free(&w);
}

static void test_random_is_a_seeded_permutation(void **state)
{
    (void)state;
    struct mb_workload a, b, c, s;
    assert_int_equal(mb_workload_create(&a, tu_dir, "rnd", 100, 20, MB_ACCESS_RANDOM, 7), 0);
    assert_int_equal(mb_workload_create(&b, tu_dir, "rnd", 100, 20, MB_ACCESS_RANDOM, 7), 0);
    assert_int_equal(mb_workload_create(&c, tu_dir, "rnd", 100, 20, MB_ACCESS_RANDOM, 8), 0);
    assert_int_equal(mb_workload_create(&s, tu_dir, "seq", 100, 20, MB_ACCESS_SEQUENTIAL, 7), 0);
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
    assert_true(expected_ok(&a));
    assert_true(memcmp(a.expected, s.expected, a.pass_bytes) != 0);
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

/* The delivery buffer: whole slots of one pass each, as many as fit in
 * MB_ARENA_BYTES but at least one, zeroed (a pass that delivers nothing
 * must not verify), made once. */
static void test_arena(void **state)
{
    (void)state;
    struct mb_workload w, big;
    assert_int_equal(mb_workload_create(&w, tu_dir, "arena", 100, 20, MB_ACCESS_SEQUENTIAL, 7), 0);
    assert_null(w.arena);
    assert_int_equal(mb_workload_arena(&w), 0);
    assert_non_null(w.arena);
    assert_int_equal(w.slots, MB_ARENA_BYTES / 4096); /* one page-rounded slot per pass */
    assert_true(w.slot_stride >= w.pass_bytes && w.slot_stride % 4096 == 0);
    for (size_t k = 0; k < w.slots; k++) {
        const uint8_t *slot = mb_workload_slot(&w, k);
        assert_int_equal((uintptr_t)slot % 4096, 2048); /* half a page off: no 4K aliasing */
        for (size_t i = 0; i < w.pass_bytes; i++)
            if (slot[i] != 0)
                fail_msg("slot %zu byte %zu is not zero", k, i);
    }
    uint8_t *first = w.arena;
    assert_int_equal(mb_workload_arena(&w), 0); /* a second call keeps it */
    assert_ptr_equal(w.arena, first);
    mb_workload_free(&w);

    /* one pass larger than the budget still gets its slot */
    assert_int_equal(
        mb_workload_create(&big, tu_dir, "arena", 2, MB_ARENA_BYTES, MB_ACCESS_SEQUENTIAL, 7), 0);
    assert_int_equal(mb_workload_arena(&big), 0);
    assert_int_equal(big.slots, 1);
    mb_workload_free(&big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequential),
        cmocka_unit_test(test_random_is_a_seeded_permutation),
        cmocka_unit_test(test_content_is_position_dependent),
        cmocka_unit_test(test_arena),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
