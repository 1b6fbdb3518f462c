/* mb_summarize: which samples count, which counters survive, when a case is
 * flagged unstable, and that a phase's summary sees only its own samples. A
 * sample outside the requested cache state or that failed verification must
 * never reach the statistics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "mmbench/case.h"

static struct mb_sample sample(double wall, double resident, bool cache_ok)
{
    struct mb_sample s;
    memset(&s, 0, sizeof s);
    s.phase = -1;
    s.passes = 1;
    mb_sample_set(&s, MB_F_WALL, wall);
    mb_sample_set(&s, MB_F_OS_CALLS, 7);
    mb_sample_set(&s, MB_F_RESIDENT_BEFORE, resident);
    mb_sample_set(&s, MB_F_FILE_PAGES, 4);
    s.cache_ok = cache_ok;
    s.verified = true;
    return s;
}

static void test_excluded_samples(void **state)
{
    (void)state;
    struct mb_sample s[4] = {sample(100, 0, true), sample(300, 0, true),
                             sample(1, 3, false) /* not cold: excluded */,
                             sample(200, 0, true)};
    s[3].verified = false; /* wrong bytes: excluded too */
    s[3].v[MB_F_WALL] = 5;
    struct mb_summary sum;
    mb_summarize(s, 4, -1, &sum);
    assert_int_equal(sum.phase, -1);
    assert_int_equal(sum.reps, 4);
    assert_int_equal(sum.n, 2);
    assert_int_equal(sum.cache_misses, 1);
    assert_true(mb_summary_get(&sum, MB_F_WALL, "min") == 100);
    assert_true(mb_summary_get(&sum, MB_F_WALL, "median") == 200);
    assert_true(mb_summary_get(&sum, MB_F_OS_CALLS, "median") == 7);
    assert_true(mb_summary_get(&sum, MB_F_RESIDENT_BEFORE, "median") == 0);
    assert_true(mb_summary_get(&sum, MB_F_FILE_PAGES, "median") == 4);
}

static void test_counter_missing_in_one_sample_is_unknown(void **state)
{
    (void)state;
    struct mb_sample s[2] = {sample(100, 4, true), sample(110, 4, true)};
    s[1].valid &= ~MB_FIELD_BIT(MB_F_OS_CALLS);
    struct mb_summary sum;
    mb_summarize(s, 2, -1, &sum);
    assert_int_equal(sum.n, 2);
    /* unknown, never 0 */
    assert_true(isnan(mb_summary_get(&sum, MB_F_OS_CALLS, "median")));
    assert_true(isnan(mb_summary_get(&sum, MB_F_MAJOR, "median")));
    assert_true(mb_summary_get(&sum, MB_F_WALL, "median") == 105);
    assert_true(isnan(mb_summary_get(&sum, MB_F_WALL, "no-such-stat")));
}

static void test_unstable_flag(void **state)
{
    (void)state;
    struct mb_sample steady[3] = {sample(100, 4, true), sample(101, 4, true),
                                  sample(102, 4, true)};
    struct mb_sample noisy[3] = {sample(100, 4, true), sample(150, 4, true),
                                 sample(200, 4, true)};
    struct mb_summary sum;
    mb_summarize(steady, 3, -1, &sum);
    assert_false(sum.unstable);
    mb_summarize(noisy, 3, -1, &sum);
    assert_true(sum.unstable); /* cv = 50 / 150 = 33% > 10% */
}

static void test_no_samples(void **state)
{
    (void)state;
    struct mb_sample s[1] = {sample(100, 2, false)};
    struct mb_summary sum;
    mb_summarize(s, 1, -1, &sum);
    assert_int_equal(sum.n, 0);
    assert_int_equal(sum.cache_misses, 1);
    assert_true(isnan(mb_summary_get(&sum, MB_F_WALL, "median")));
    assert_true(isnan(mb_summary_get(&sum, MB_F_RESIDENT_BEFORE, "median")));
    mb_summarize(NULL, 0, -1, &sum);
    assert_int_equal(sum.reps, 0);
    assert_int_equal(sum.n, 0);
}

/* Samples as a phased case yields them: phase 0, phase 1, total, per
 * repetition. Each summary takes its own phase only, and so do the custom
 * metrics. */
static void test_phases_are_summarized_apart(void **state)
{
    (void)state;
    struct mb_sample s[6];
    for (int rep = 0; rep < 2; rep++)
        for (int k = 0; k < 3; k++) {
            struct mb_sample *x = &s[rep * 3 + k];
            *x = sample(10.0 * (k + 1) + rep, 0, true);
            x->phase = k < 2 ? k : -1;
            x->metric[0] = 100.0 * (k + 1);
            x->metric_valid = 1;
        }
    struct mb_summary sum;
    for (int k = 0; k < 3; k++) {
        int phase = k < 2 ? k : -1;
        mb_summarize(s, 6, phase, &sum);
        assert_int_equal(sum.phase, phase);
        assert_int_equal(sum.reps, 2);
        assert_int_equal(sum.n, 2);
        assert_true(mb_summary_get(&sum, MB_F_WALL, "median") == 10.0 * (k + 1) + 0.5);
        assert_true(sum.metric_valid == 1);
        assert_true(sum.metric_median[0] == 100.0 * (k + 1));
    }
    mb_summarize(s, 6, 5, &sum); /* a phase no sample has */
    assert_int_equal(sum.reps, 0);
    assert_int_equal(sum.n, 0);
}

/* A metric one sample lacks is unknown in the summary, never 0. */
static void test_metric_missing_in_one_sample_is_unknown(void **state)
{
    (void)state;
    struct mb_sample s[2] = {sample(100, 4, true), sample(110, 4, true)};
    s[0].metric[0] = s[1].metric[0] = 3;
    s[0].metric[1] = 5;
    s[0].metric_valid = 3;
    s[1].metric_valid = 1;
    struct mb_summary sum;
    mb_summarize(s, 2, -1, &sum);
    assert_true(sum.metric_valid == 1);
    assert_true(sum.metric_median[0] == 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_excluded_samples),
        cmocka_unit_test(test_counter_missing_in_one_sample_is_unknown),
        cmocka_unit_test(test_unstable_flag),
        cmocka_unit_test(test_no_samples),
        cmocka_unit_test(test_phases_are_summarized_apart),
        cmocka_unit_test(test_metric_missing_in_one_sample_is_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
