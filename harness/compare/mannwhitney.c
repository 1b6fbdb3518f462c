/* The Mann-Whitney U test: rank-based, so one outlier repetition (a page
 * cache hiccup, a noisy neighbour) cannot carry the verdict as it would a
 * t-test on means. The method choice and formulas follow
 * scipy.stats.mannwhitneyu(method="auto"), which Google Benchmark's
 * compare.py calls, so both tools give the same p-values on the same data. */
#include <math.h>
#include <stdlib.h>

#include "mmbench/compare.h"
#include "mmbench/error.h"
#include "rank_test.h"

/* scipy (1.10, Debian 12) takes the exact test whenever one side has at most
 * 8 values and there are no ties, however large the other side; beyond this
 * many (base, head) pairs the exact table's cost grows with the other side
 * while the normal approximation is already close, so mmbench stops there
 * (the only place where its choice differs from scipy's). */
#define EXACT_MAX_PAIRS 4000000.0

struct tagged {
    double x;
    int head;
};

static int cmp_tagged(const void *a, const void *b)
{
    double x = ((const struct tagged *)a)->x, y = ((const struct tagged *)b)->x;
    return (x > y) - (x < y);
}

int mb_cmp_u_counts(size_t m, size_t n, double *c)
{
    if (m > n) {
        size_t t = m;
        m = n;
        n = t;
    }
    /* The counts of U are the coefficients of the Gaussian binomial
     * [m+n choose m](q) = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i). */
    size_t deg = m * n;
    for (size_t k = 0; k <= deg; k++)
        c[k] = 0;
    c[0] = 1;
    for (size_t i = 1; i <= m; i++) {
        size_t up = n + i;
        for (size_t k = deg; k >= up; k--)
            c[k] -= c[k - up];
        for (size_t k = i; k <= deg; k++)
            c[k] += c[k - i];
    }
    for (size_t k = 0; k <= deg; k++)
        if (c[k] < 0)
            c[k] = 0; /* rounding can leave -0.x */
    return 0;
}

/* P(U >= u1) and P(U >= u2) for sample sizes m and n without ties. */
static int exact_sf(size_t m, size_t n, double u1, double u2, double *p1, double *p2)
{
    size_t deg = m * n;
    double *c = malloc((deg + 1) * sizeof *c);
    if (!c)
        return MB_ENOMEM;
    mb_cmp_u_counts(m, n, c);
    double total = 0, tail1 = 0, tail2 = 0;
    for (size_t k = 0; k <= deg; k++) {
        total += c[k];
        if ((double)k >= u1 - 1e-9)
            tail1 += c[k];
        if ((double)k >= u2 - 1e-9)
            tail2 += c[k];
    }
    free(c);
    *p1 = tail1 / total;
    *p2 = tail2 / total;
    return 0;
}

double mb_cmp_normal_sf(double z)
{
    return 0.5 * erfc(z / sqrt(2.0));
}

int mb_cmp_rank_stats(const double *base, size_t nb, const double *head, size_t nh,
                      double *u_head, double *tie_term, int *ties)
{
    size_t n = nb + nh;
    struct tagged *all = malloc(n * sizeof *all);
    if (!all)
        return MB_ENOMEM;
    for (size_t i = 0; i < nb; i++)
        all[i] = (struct tagged){base[i], 0};
    for (size_t i = 0; i < nh; i++)
        all[nb + i] = (struct tagged){head[i], 1};
    qsort(all, n, sizeof *all, cmp_tagged);

    /* Average ranks for ties; the tie term corrects the variance. */
    double rank_head = 0;
    *tie_term = 0;
    *ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && all[j].x == all[i].x)
            j++;
        double t = (double)(j - i), avg = ((double)i + 1 + (double)j) / 2;
        for (size_t k = i; k < j; k++)
            if (all[k].head)
                rank_head += avg;
        if (t > 1) {
            *ties = 1;
            *tie_term += t * t * t - t;
        }
        i = j;
    }
    free(all);
    double dnh = (double)nh;
    *u_head = rank_head - dnh * (dnh + 1) / 2;
    return 0;
}

double mb_cmp_u_variance(double nb, double nh, double tie_term)
{
    double n = nb + nh;
    if (n < 2)
        return 0;
    return nb * nh / 12 * ((n + 1) - tie_term / (n * (n - 1)));
}

/* Normal approximation with continuity correction, as scipy; p_min is the
 * p of the most extreme outcome (U = u_max) under the same approximation. */
static void normal_p(double u_head, double u_base, double u_max, double mu, double var,
                     struct mb_cmp_mwu *out)
{
    if (!(var > 0)) {
        out->p_greater = out->p_less = out->p_min = 1; /* every value equal: no evidence */
        return;
    }
    double s = sqrt(var);
    out->p_greater = mb_cmp_normal_sf((u_head - mu - 0.5) / s);
    out->p_less = mb_cmp_normal_sf((u_base - mu - 0.5) / s);
    out->p_min = mb_cmp_normal_sf((u_max - mu - 0.5) / s);
}

void mb_cmp_mwu_finish(struct mb_cmp_mwu *out)
{
    if (out->p_greater > 1)
        out->p_greater = 1;
    if (out->p_less > 1)
        out->p_less = 1;
    double two = 2 * (out->p_greater < out->p_less ? out->p_greater : out->p_less);
    out->p_two_sided = two > 1 ? 1 : two;
}

int mb_cmp_mann_whitney(const double *base, size_t nb, const double *head, size_t nh,
                        struct mb_cmp_mwu *out)
{
    double u_head, tie_term;
    int ties;
    int rc = mb_cmp_rank_stats(base, nb, head, nh, &u_head, &tie_term, &ties);
    if (rc)
        return rc;
    double dnb = (double)nb, dnh = (double)nh;
    double u_base = dnb * dnh - u_head;
    out->u_head = u_head;
    out->exact = (nb <= 8 || nh <= 8) && !ties && dnb * dnh <= EXACT_MAX_PAIRS;
    if (out->exact) {
        rc = exact_sf(nb, nh, u_head, u_base, &out->p_greater, &out->p_less);
        if (rc)
            return rc;
        out->p_min = mb_cmp_min_p(nb, nh);
    } else {
        normal_p(u_head, u_base, dnb * dnh, dnb * dnh / 2, mb_cmp_u_variance(dnb, dnh, tie_term),
                 out);
    }
    mb_cmp_mwu_finish(out);
    return 0;
}

double mb_cmp_min_p(size_t nb, size_t nh)
{
    double a = (double)nb, b = (double)nh;
    return exp(lgamma(a + 1) + lgamma(b + 1) - lgamma(a + b + 1));
}
