/* Counter invariants on real runs of the real methods (Linux): a `read` of N
 * records makes at least N read calls, `fread` far fewer, a cold `mmap` run
 * faults pages in from storage, `floor` touches no file at all; a cold
 * repetition starts with no page resident and a warm one with all of them.
 * Counts only, never times. Skipped on tmpfs, where cold is impossible. */
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
#include "mmbench/read_records.h"
#include "mmbench/runner.h"
#include "testutil.h"

#define N 2000     /* records */
#define SIZE 20    /* bytes each: 40,000 bytes, 10 pages */

enum { READ_COLD, READ_WARM, FREAD_COLD, MMAP_COLD, MMAP_COLD_RA_OFF, MMAP_WARM, FLOOR_COLD,
       FLOOR_WARM, NCASES };

static char *dir;
static struct mb_workload w;
static struct mb_case cases[NCASES];
static struct mb_read_records rr[NCASES];
static struct tu_capture cap;

/* The records suite's case, as bench/records.c makes it. */
static int make_case(int i, const char *method, enum mb_cache cache, bool ra_off)
{
    const struct mb_method *m = mb_method_find(method);
    if (!m)
        return -1;
    return mb_read_records_case(&cases[i], "records", &rr[i], m, &w, cache, ra_off);
}

static int setup(void **state)
{
    (void)state;
    dir = tu_mkdtemp(mb_default_scratch_dir(), "counters");
    if (!dir || mb_workload_create(&w, dir, "counters", N, SIZE, MB_ACCESS_SEQUENTIAL, 1) != 0)
        return -1;
    if (make_case(READ_COLD, "read", MB_CACHE_COLD, false) ||
        make_case(READ_WARM, "read", MB_CACHE_WARM, false) ||
        make_case(FREAD_COLD, "fread", MB_CACHE_COLD, false) ||
        make_case(MMAP_COLD, "mmap", MB_CACHE_COLD, false) ||
        make_case(MMAP_COLD_RA_OFF, "mmap", MB_CACHE_COLD, true) ||
        make_case(MMAP_WARM, "mmap", MB_CACHE_WARM, false) ||
        make_case(FLOOR_COLD, "floor", MB_CACHE_COLD, false) ||
        make_case(FLOOR_WARM, "floor", MB_CACHE_WARM, false))
        return -1;
    struct mb_reporter *r = tu_capture_init(&cap);
    /* min_time 0: one pass per repetition, so every counter is a whole
     * count; interleaved, as a default run is */
    struct mb_run_config cfg = {.reps = 3, .warmup = 1, .min_time_ns = 0, .interleave = true,
                                .seed = 42};
    int rc = mb_run_cases(cases, NCASES, &cfg, r, 1);
    if (rc != 0)
        for (int i = 0; i < NCASES; i++)
            if (cases[i].status)
                fprintf(stderr, "%s: %s\n", cases[i].name, cases[i].error);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    mb_workload_free(&w);
    if (dir)
        tu_rmtree(dir);
    free(dir);
    return 0;
}

/* Sample `k` of case `i`, with its field `f` known. */
static double value(int i, size_t k, enum mb_field f)
{
    const struct tu_case_log *l = tu_capture_find(&cap, &cases[i]);
    assert_non_null(l);
    assert_int_equal(l->ns, 3);
    const struct mb_sample *s = &l->s[k];
    assert_true(s->verified);
    assert_true(s->passes == 1);
    if (!mb_sample_has(s, f)) {
        print_error("%s: %s unavailable\n", cases[i].name, mb_fields[f].name);
        fail();
    }
    return s->v[f];
}

static void test_every_case_verified_its_cache_state(void **state)
{
    (void)state;
    for (int i = 0; i < NCASES; i++) {
        const struct tu_case_log *l = tu_capture_find(&cap, &cases[i]);
        assert_non_null(l);
        assert_int_equal(cases[i].status, 0);
        for (size_t k = 0; k < l->ns; k++) {
            const struct mb_sample *s = &l->s[k];
            double res = s->v[MB_F_RESIDENT_BEFORE], pages = s->v[MB_F_FILE_PAGES];
            assert_true(mb_sample_has(s, MB_F_RESIDENT_BEFORE));
            assert_true(mb_sample_has(s, MB_F_FILE_PAGES));
            assert_true(pages == (double)((N * SIZE + mb_page_size() - 1) / mb_page_size()));
            if (!s->cache_ok)
                print_error("%s rep %zu: %.0f of %.0f pages resident\n", cases[i].name, k, res,
                            pages);
            assert_true(s->cache_ok);
            if (cases[i].cache == MB_CACHE_COLD)
                assert_true(res == 0);
            else
                assert_true(res == pages);
        }
    }
}

static void test_read_makes_a_call_per_record(void **state)
{
    (void)state;
    for (size_t k = 0; k < 3; k++) {
        assert_true(value(READ_COLD, k, MB_F_OS_CALLS) >= N);
        assert_true(value(READ_WARM, k, MB_F_OS_CALLS) >= N);
    }
}

static void test_fread_buffers(void **state)
{
    (void)state;
    for (size_t k = 0; k < 3; k++) {
        double calls = value(FREAD_COLD, k, MB_F_OS_CALLS);
        if (!(calls < N / 10)) {
            print_error("fread made %.0f read calls for %d records\n", calls, N);
            fail();
        }
    }
}

static void test_cold_mmap_reaches_storage(void **state)
{
    (void)state;
    static const int which[] = {MMAP_COLD, MMAP_COLD_RA_OFF};
    for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < 3; k++) {
            double major = value(which[i], k, MB_F_MAJOR);
            double bytes = value(which[i], k, MB_F_STORAGE_BYTES);
            if (!(major > 0 || bytes > 0)) {
                print_error("%s rep %zu: no major fault and no storage read\n",
                            cases[which[i]].name, k);
                fail();
            }
            /* DESIGN.md: "a cold mapped run has major faults" */
            if (!(major > 0)) {
                print_error("%s rep %zu: no major fault (%.0f bytes from storage)\n",
                            cases[which[i]].name, k, bytes);
                fail();
            }
            assert_true(value(which[i], k, MB_F_OS_CALLS) == 0); /* faults, not calls */
        }
}

static void test_warm_mmap_needs_no_io(void **state)
{
    (void)state;
    for (size_t k = 0; k < 3; k++)
        assert_true(value(MMAP_WARM, k, MB_F_MAJOR) == 0);
}

static void test_floor_touches_no_file(void **state)
{
    (void)state;
    static const int which[] = {FLOOR_COLD, FLOOR_WARM};
    for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < 3; k++) {
            assert_true(value(which[i], k, MB_F_OS_CALLS) == 0);
            assert_true(value(which[i], k, MB_F_MAJOR) == 0);
            assert_true(value(which[i], k, MB_F_STORAGE_BYTES) == 0);
        }
}

int main(void)
{
    const char *parent = mb_default_scratch_dir();
    if (tu_is_memory_fs(parent)) {
        printf("SKIP: %s is tmpfs/ramfs: a cold run is impossible there (set TMPDIR to a "
               "disk-backed directory)\n", parent);
        return MB_TEST_SKIP;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_case_verified_its_cache_state),
        cmocka_unit_test(test_read_makes_a_call_per_record),
        cmocka_unit_test(test_fread_buffers),
        cmocka_unit_test(test_cold_mmap_reaches_storage),
        cmocka_unit_test(test_warm_mmap_needs_no_io),
        cmocka_unit_test(test_floor_touches_no_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
