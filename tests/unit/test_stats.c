/* The statistics table against vectors whose answers were computed with
 * numpy (sample stddev ddof=1, percentiles by linear interpolation, R-7). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "mmbench/stats.h"

#define EPS 1e-9

/* Every statistic of the table, by name, on the sorted vector. */
static double stat(const char *name, const double *s, size_t n)
{
    const struct mb_stat *st = mb_stat_find(name);
    assert_non_null(st);
    return st->fn(s, n);
}

static void expect_all(double *v, size_t n, const double want[8])
{
    static const char *const names[8] = {"min", "median", "mean", "stddev",
                                         "cv",  "p90",    "p99",  "max"};
    mb_sort(v, n);
    for (int i = 0; i < 8; i++) {
        double got = stat(names[i], v, n);
        if (fabs(got - want[i]) > EPS) {
            print_error("%s: got %.17g, want %.17g\n", names[i], got, want[i]);
            fail();
        }
    }
}

static void test_one_value(void **state)
{
    (void)state;
    double v[] = {5};
    const double want[8] = {5, 5, 5, 0, 0, 5, 5, 5};
    expect_all(v, 1, want);
}

static void test_odd_count(void **state)
{
    (void)state;
    double v[] = {4, 1, 5, 3, 2}; /* unsorted on purpose: mb_sort must order it */
    const double want[8] = {1, 3, 3, 1.5811388300841898, 0.5270462766947299, 4.6, 4.96, 5};
    expect_all(v, 5, want);
}

static void test_even_count(void **state)
{
    (void)state;
    double v[] = {9, 2, 5, 4, 4, 7, 4, 5};
    /* median of an even count is the mean of the two middle values */
    const double want[8] = {2, 4.5, 5, 2.138089935299395, 0.427617987059879, 7.6, 8.86, 9};
    expect_all(v, 8, want);
}

static void test_two_values(void **state)
{
    (void)state;
    double v[] = {10, 20};
    assert_true(fabs(mb_stat_median(v, 2) - 15) < EPS);
    assert_true(fabs(mb_stat_p90(v, 2) - 19) < EPS);
    assert_true(fabs(mb_stat_stddev(v, 2) - 7.0710678118654755) < EPS);
}

static void test_zero_mean_cv_is_zero(void **state)
{
    (void)state;
    double v[] = {0, 0, 0};
    assert_true(mb_stat_cv(v, 3) == 0.0);
    assert_false(isnan(mb_stat_cv(v, 3)));
}

static void test_percentile_bounds(void **state)
{
    (void)state;
    double v[] = {1, 2, 3, 4};
    assert_true(mb_stat_percentile(v, 4, 0.0) == 1);
    assert_true(mb_stat_percentile(v, 4, 1.0) == 4);
    assert_true(fabs(mb_stat_percentile(v, 4, 0.25) - 1.75) < EPS);
    assert_true(mb_stat_percentile(v, 0, 0.5) == 0); /* n == 0 returns 0 */
}

static void test_large_values_keep_precision(void **state)
{
    (void)state;
    /* counters are large; the mean of equal values must be exact */
    double v[] = {1e15 + 1, 1e15 + 1, 1e15 + 1, 1e15 + 1};
    assert_true(mb_stat_mean(v, 4) == 1e15 + 1);
    assert_true(mb_stat_stddev(v, 4) == 0);
}

static void test_table_order_and_lookup(void **state)
{
    (void)state;
    static const char *const order[] = {"min", "median", "mean", "stddev",
                                        "cv",  "p90",    "p99",  "max"};
    assert_int_equal(mb_nstats, 8);
    for (size_t i = 0; i < mb_nstats; i++)
        assert_string_equal(mb_stats[i].name, order[i]);
    assert_int_equal(mb_stat_find("cv")->unit, MB_UNIT_RATIO);
    assert_int_equal(mb_stat_find("median")->unit, MB_UNIT_SAME);
    assert_null(mb_stat_find("p50"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_value),
        cmocka_unit_test(test_odd_count),
        cmocka_unit_test(test_even_count),
        cmocka_unit_test(test_two_values),
        cmocka_unit_test(test_zero_mean_cv_is_zero),
        cmocka_unit_test(test_percentile_bounds),
        cmocka_unit_test(test_large_values_keep_precision),
        cmocka_unit_test(test_table_order_and_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
