/* mb_summarize: which samples count, which counters survive, when a case is
 * flagged unstable. A sample outside the requested cache state or with a bad
 * checksum must never reach the statistics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "mmbench/runner.h"

static const struct mb_method fake = {.name = "fake"};

static struct mb_sample sample(double wall, int64_t resident, bool cache_ok)
{
    struct mb_sample s;
    memset(&s, 0, sizeof s);
    s.passes = 1;
    s.v[MB_F_WALL] = wall;
    s.v[MB_F_OS_CALLS] = 7;
    s.valid = (1u << MB_F_WALL) | (1u << MB_F_OS_CALLS);
    s.resident_before = resident;
    s.file_pages = 4;
    s.cache_ok = cache_ok;
    s.checksum_ok = true;
    return s;
}

static void test_excluded_samples(void **state)
{
    (void)state;
    struct mb_case c = {.name = "x", .method = &fake, .cache = MB_CACHE_COLD};
    struct mb_sample s[4] = {sample(100, 0, true), sample(300, 0, true),
                             sample(1, 3, false) /* not cold: excluded */,
                             sample(200, 0, true)};
    s[3].checksum_ok = false; /* wrong bytes: excluded too */
    s[3].v[MB_F_WALL] = 5;
    struct mb_summary sum;
    mb_summarize(&c, s, 4, &sum);
    assert_int_equal(sum.reps, 4);
    assert_int_equal(sum.n, 2);
    assert_int_equal(sum.cache_misses, 1);
    assert_true(mb_summary_get(&sum, MB_F_WALL, "min") == 100);
    assert_true(mb_summary_get(&sum, MB_F_WALL, "median") == 200);
    assert_true(mb_summary_get(&sum, MB_F_OS_CALLS, "median") == 7);
    assert_true(sum.resident_before_median == 0);
    assert_int_equal(sum.file_pages, 4);
}

static void test_counter_missing_in_one_sample_is_unknown(void **state)
{
    (void)state;
    struct mb_case c = {.name = "x", .method = &fake, .cache = MB_CACHE_WARM};
    struct mb_sample s[2] = {sample(100, 4, true), sample(110, 4, true)};
    s[1].valid &= ~(1u << MB_F_OS_CALLS);
    struct mb_summary sum;
    mb_summarize(&c, s, 2, &sum);
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
    struct mb_case c = {.name = "x", .method = &fake, .cache = MB_CACHE_WARM};
    struct mb_sample steady[3] = {sample(100, 4, true), sample(101, 4, true),
                                  sample(102, 4, true)};
    struct mb_sample noisy[3] = {sample(100, 4, true), sample(150, 4, true),
                                 sample(200, 4, true)};
    struct mb_summary sum;
    mb_summarize(&c, steady, 3, &sum);
    assert_false(sum.unstable);
    mb_summarize(&c, noisy, 3, &sum);
    assert_true(sum.unstable); /* cv = 50 / 150 = 33% > 10% */
}

static void test_no_samples(void **state)
{
    (void)state;
    struct mb_case c = {.name = "x", .method = &fake, .cache = MB_CACHE_COLD};
    struct mb_sample s[1] = {sample(100, 2, false)};
    struct mb_summary sum;
    mb_summarize(&c, s, 1, &sum);
    assert_int_equal(sum.n, 0);
    assert_int_equal(sum.cache_misses, 1);
    assert_true(isnan(mb_summary_get(&sum, MB_F_WALL, "median")));
    assert_true(sum.resident_before_median < 0);
    mb_summarize(&c, NULL, 0, &sum);
    assert_int_equal(sum.reps, 0);
    assert_int_equal(sum.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_excluded_samples),
        cmocka_unit_test(test_counter_missing_in_one_sample_is_unknown),
        cmocka_unit_test(test_unstable_flag),
        cmocka_unit_test(test_no_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
