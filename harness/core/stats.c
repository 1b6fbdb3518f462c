/* Statistics over the sorted values of one case. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/stats.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void mb_sort(double *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_double);
}

double mb_stat_min(const double *s, size_t n)
{
    return n ? s[0] : 0.0;
}

double mb_stat_max(const double *s, size_t n)
{
    return n ? s[n - 1] : 0.0;
}

double mb_stat_mean(const double *s, size_t n)
{
    if (!n)
        return 0.0;
    /* Kahan summation: counters can be large and many. */
    double sum = 0.0, comp = 0.0;
    for (size_t i = 0; i < n; i++) {
        double y = s[i] - comp;
        double t = sum + y;
        comp = (t - sum) - y;
        sum = t;
    }
    return sum / (double)n;
}

double mb_stat_percentile(const double *s, size_t n, double p)
{
    if (!n)
        return 0.0;
    if (p <= 0.0)
        return s[0];
    if (p >= 1.0)
        return s[n - 1];
    /* Linear interpolation between closest ranks (the "R-7" definition that
     * numpy and most spreadsheets use by default). */
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)pos;
    double frac = pos - (double)lo;
    if (lo + 1 >= n)
        return s[n - 1];
    return s[lo] + frac * (s[lo + 1] - s[lo]);
}

double mb_stat_median(const double *s, size_t n)
{
    return mb_stat_percentile(s, n, 0.5);
}

double mb_stat_stddev(const double *s, size_t n)
{
    if (n < 2)
        return 0.0;
    double m = mb_stat_mean(s, n), acc = 0.0;
    for (size_t i = 0; i < n; i++)
        acc += (s[i] - m) * (s[i] - m);
    return sqrt(acc / (double)(n - 1));
}

double mb_stat_cv(const double *s, size_t n)
{
    double m = mb_stat_mean(s, n);
    return m == 0.0 ? 0.0 : mb_stat_stddev(s, n) / m;
}

double mb_stat_p90(const double *s, size_t n)
{
    return mb_stat_percentile(s, n, 0.90);
}

double mb_stat_p99(const double *s, size_t n)
{
    return mb_stat_percentile(s, n, 0.99);
}

const struct mb_stat mb_stats[MB_MAX_STATS] = {
    {"min", mb_stat_min, MB_UNIT_SAME},
    {"median", mb_stat_median, MB_UNIT_SAME},
    {"mean", mb_stat_mean, MB_UNIT_SAME},
    {"stddev", mb_stat_stddev, MB_UNIT_SAME},
    {"cv", mb_stat_cv, MB_UNIT_RATIO},
    {"p90", mb_stat_p90, MB_UNIT_SAME},
    {"p99", mb_stat_p99, MB_UNIT_SAME},
    {"max", mb_stat_max, MB_UNIT_SAME},
};
const size_t mb_nstats = sizeof mb_stats / sizeof mb_stats[0];

const struct mb_stat *mb_stat_find(const char *name)
{
    for (size_t i = 0; i < mb_nstats; i++)
        if (strcmp(mb_stats[i].name, name) == 0)
            return &mb_stats[i];
    return NULL;
}
