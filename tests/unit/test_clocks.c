/* Clocks that add up (issue 7, item 6), over real runs of the records
 * suite's cases (mb_read_records_case with the real methods): for a
 * single-threaded pass, per sample
 *   cpu_ns <= wall_ns                          (no tolerance at all)
 *   user_ns + sys_ns == cpu_ns, within what getrusage's microsecond
 *   granularity allows per bracket             (multi-pass samples; see
 *                                               below for the tolerance)
 * Warm floor, mmap and read cases are multi-pass; a cold mmap case (not on
 * tmpfs) is one pass. These compare clocks with each other, never with a
 * target, so they do not depend on the machine's speed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/read_records.h"
#include "mmbench/runner.h"
#include "mmbench/stats.h"
#include "testutil.h"

#define N 1000  /* records: the records suite's default */
#define SIZE 20 /* bytes each */
#define REPS 5

/* How far user_ns + sys_ns may be from cpu_ns over one bracket. getrusage
 * reports user and system time in whole microseconds, each truncated: up
 * to 4 us over a bracket's two readings. Observed on the 2-CPU VM where
 * this was written (1 ms brackets): idle, a median of +0.8 to +1.7 us and
 * at most +4.3 us; loaded (load average 6), medians up to +4 us and single
 * brackets up to +18 us, user + sys nearly always above cpu. The bound
 * leaves room for that bias, which the report of issue 7's tests names. */
#define BRACKET_SLACK_NS 10000.0
#define TICK_NS 4000000.0

enum { FLOOR_WARM, MMAP_WARM, READ_WARM, MMAP_COLD, NCASES };

static char *dir;
static struct mb_workload w;
static struct mb_case cases[NCASES];
static struct mb_read_records rr[NCASES];
static struct tu_capture cap;
static size_t ncases;
static int run_rc;

static int add(const char *method, enum mb_cache cache)
{
    const struct mb_method *m = mb_method_find(method);
    if (!m)
        return -1;
    int rc = mb_read_records_case(&cases[ncases], "records", &rr[ncases], m, &w, cache, false);
    ncases++;
    return rc;
}

static int setup(void **state)
{
    (void)state;
    dir = tu_mkdtemp(mb_default_scratch_dir(), "clocks");
    if (!dir || mb_workload_create(&w, dir, "clocks", N, SIZE, MB_ACCESS_SEQUENTIAL, 1) != 0)
        return -1;
    if (add("floor", MB_CACHE_WARM) || add("mmap", MB_CACHE_WARM) || add("read", MB_CACHE_WARM))
        return -1;
    if (!tu_is_memory_fs(dir) && add("mmap", MB_CACHE_COLD))
        return -1;
    struct tu_capture *c = &cap;
    struct mb_reporter *r = tu_capture_init(c);
    /* 1 ms per warm repetition: many passes, as a default run has */
    struct mb_run_config cfg = {.reps = REPS, .warmup = 1, .min_time_ns = 1000000,
                                .interleave = true, .seed = 42};
    run_rc = mb_run_cases(cases, ncases, &cfg, r, 1);
    for (size_t i = 0; i < ncases; i++)
        if (cases[i].status)
            fprintf(stderr, "%s: %s\n", cases[i].name, cases[i].error);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mb_workload_free(&w);
    tu_rmtree(dir);
    free(dir);
    return 0;
}

static const struct tu_case_log *log_of(size_t i)
{
    const struct tu_case_log *l = tu_capture_find(&cap, &cases[i]);
    assert_non_null(l);
    assert_int_equal(cases[i].status, 0);
    assert_int_equal(l->ns, REPS);
    return l;
}

static void test_run_passed(void **state)
{
    (void)state;
    assert_int_equal(run_rc, 0);
    for (size_t i = 0; i < ncases; i++)
        log_of(i);
    if (ncases < NCASES)
        print_message("no cold case: %s is tmpfs/ramfs\n", dir);
    /* the warm cases are the multi-pass ones this test is about */
    for (size_t i = 0; i < MMAP_COLD; i++)
        assert_true(log_of(i)->s[0].passes > 1);
}

/* Every sample, every case: the CPU clock's bracket lies inside the wall
 * clock's, so after both clocks' own cost is taken out a single-threaded
 * pass cannot have used more CPU than time. */
static void test_cpu_within_wall(void **state)
{
    (void)state;
    size_t bad = 0, total = 0;
    for (size_t i = 0; i < ncases; i++) {
        const struct tu_case_log *l = log_of(i);
        for (size_t k = 0; k < l->ns; k++) {
            const struct mb_sample *s = &l->s[k];
            assert_true(mb_sample_has(s, MB_F_WALL));
            assert_true(mb_sample_has(s, MB_F_CPU));
            double wall = s->v[MB_F_WALL], cpu = s->v[MB_F_CPU];
            total++;
            if (cpu > wall) {
                bad++;
                print_error("%s rep %u (%llu passes): cpu_ns %.1f > wall_ns %.1f (+%.1f ns per "
                            "pass)\n",
                            cases[i].name, s->rep, (unsigned long long)s->passes, cpu, wall,
                            cpu - wall);
            }
        }
    }
    if (bad) {
        print_error("cpu_ns > wall_ns in %zu of %zu samples\n", bad, total);
        fail();
    }
}

/* Multi-pass samples: user_ns + sys_ns (getrusage) and cpu_ns (the process
 * CPU clock) measure the same CPU time over the same batches. Per bracket
 * (one per batch of at most w.slots passes) they may differ by getrusage's
 * truncation to whole microseconds and a small bias (BRACKET_SLACK_NS); a
 * sample now and then differs by more (observed: 39 us in one 1 ms bracket
 * of 200), so the bracket-level bound is asserted on each case's median
 * sample, and each single sample only within 10% of cpu_ns or one
 * scheduler tick per bracket (before issue
 * 7, user + sys exceeded cpu by 5 to 10 us per ~2 us pass: several times
 * the figure). */
static void test_user_plus_sys_is_cpu(void **state)
{
    (void)state;
    size_t bad = 0, checked = 0;
    for (size_t i = 0; i < ncases; i++) {
        const struct tu_case_log *l = log_of(i);
        double per_bracket[REPS];
        size_t n = 0;
        for (size_t k = 0; k < l->ns; k++) {
            const struct mb_sample *s = &l->s[k];
            if (s->passes < 2)
                continue;
            assert_true(mb_sample_has(s, MB_F_USER));
            assert_true(mb_sample_has(s, MB_F_SYS));
            double sum = s->v[MB_F_USER] + s->v[MB_F_SYS], cpu = s->v[MB_F_CPU];
            double brackets = ceil((double)s->passes / (double)w.slots);
            per_bracket[n++] = (sum - cpu) * (double)s->passes / brackets;
            checked++;
            print_message("%-42s rep %u: %6llu passes, user+sys %9.1f cpu %9.1f wall %9.1f "
                          "ns/pass; user+sys-cpu %+7.1f ns/pass, %+8.1f ns/bracket\n",
                          cases[i].name, s->rep, (unsigned long long)s->passes, sum, cpu,
                          s->v[MB_F_WALL], sum - cpu, per_bracket[n - 1]);
            /* getrusage splits the precise CPU time by tick samples and
             * never lets either part go backwards, so a single bracket may
             * lag or lead by up to a scheduler tick (4 ms at HZ=250). */
            if (fabs(sum - cpu) > 0.10 * cpu &&
                fabs(per_bracket[n - 1]) > TICK_NS) {
                bad++;
                print_error("%s rep %u: user_ns + sys_ns = %.1f, cpu_ns = %.1f per pass\n",
                            cases[i].name, s->rep, sum, cpu);
            }
        }
        if (!n)
            continue;
        mb_sort(per_bracket, n);
        double med = mb_stat_median(per_bracket, n);
        if (fabs(med) > BRACKET_SLACK_NS) {
            bad++;
            print_error("%s: user_ns + sys_ns - cpu_ns is %+.1f ns per bracket (median of %zu "
                        "samples), more than %.0f\n",
                        cases[i].name, med, n, BRACKET_SLACK_NS);
        }
    }
    assert_true(checked > 0);
    if (bad)
        fail_msg("user_ns + sys_ns does not add up to cpu_ns (%zu findings above)", bad);
}

/* The counters of a multi-pass sample are per pass too: a warm `read`
 * pass of N records makes at least N read calls, whatever the pass count. */
static void test_read_calls_per_pass(void **state)
{
    (void)state;
    const struct tu_case_log *l = log_of(READ_WARM);
    for (size_t k = 0; k < l->ns; k++) {
        const struct mb_sample *s = &l->s[k];
        assert_true(mb_sample_has(s, MB_F_OS_CALLS));
        if (!(s->v[MB_F_OS_CALLS] >= N)) {
            print_error("rep %u (%llu passes): %.1f read calls per pass of %d records\n", s->rep,
                        (unsigned long long)s->passes, s->v[MB_F_OS_CALLS], N);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_passed),
        cmocka_unit_test(test_cpu_within_wall),
        cmocka_unit_test(test_user_plus_sys_is_cpu),
        cmocka_unit_test(test_read_calls_per_pass),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
