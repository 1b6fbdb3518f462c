/* Statistics as data, as in Google Benchmark's statistics.cc: a table of
 * named functions that turn the values of one case into aggregates. */
#ifndef MMBENCH_STATS_H
#define MMBENCH_STATS_H

#include <stddef.h>

enum mb_stat_unit { MB_UNIT_SAME, MB_UNIT_RATIO }; /* same unit as the input, or a fraction */

struct mb_stat {
    const char *name;                              /* "median", "cv", ... */
    double (*fn)(const double *sorted, size_t n);  /* input sorted ascending, n >= 1 */
    enum mb_stat_unit unit;
};

/* The table, in output order: min, median, mean, stddev, cv, p90, p99, max. */
#define MB_MAX_STATS 8 /* entries of mb_stats */
extern const struct mb_stat mb_stats[MB_MAX_STATS];
extern const size_t mb_nstats;

/* Returns the stat named `name`, or NULL. */
const struct mb_stat *mb_stat_find(const char *name);

/* Sorts v[0..n) ascending in place. */
void mb_sort(double *v, size_t n);

/* Individual statistics on sorted input (n >= 1; n == 0 returns 0). stddev is
 * the sample standard deviation (n-1), 0 for n == 1; cv is stddev / mean (0
 * when the mean is 0); percentiles interpolate linearly between closest ranks. */
double mb_stat_min(const double *s, size_t n);
double mb_stat_max(const double *s, size_t n);
double mb_stat_mean(const double *s, size_t n);
double mb_stat_median(const double *s, size_t n);
double mb_stat_stddev(const double *s, size_t n);
double mb_stat_cv(const double *s, size_t n);
double mb_stat_p90(const double *s, size_t n);
double mb_stat_p99(const double *s, size_t n);
double mb_stat_percentile(const double *s, size_t n, double p); /* p in [0,1] */

/* A cv above this is flagged as unstable in every output. */
#define MB_CV_WARN 0.10

#endif
