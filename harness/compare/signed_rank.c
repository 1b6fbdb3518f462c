/* Wilcoxon's signed-rank test on paired rounds, the test behind a verdict
 * when base and head ran in rounds side by side. The unit is the round, not
 * the repetition: the repetitions of one run share that run's state (file
 * placement, page cache, a neighbour's burst), so a test that ranks them as
 * independent values (Mann-Whitney, van Elteren) finds "significant"
 * differences between two runs of the same build: measured with
 * ci/gate-quality on this project's CI machine, 3 of 10 A/A trials alarmed.
 * Rounds are independent, and in each the order of base and head is ABBA or
 * random, so under "no change" the sign of round k's difference is a coin
 * flip: the exact signed-rank distribution holds.
 *
 * d_k = (m_h - m_b) / (|m_h| + |m_b|) with m the round's medians: the sign
 * of the change, and a size that orders rounds as |log(m_h / m_b)| does,
 * defined for counters that are zero. Rounds with d_k = 0 are dropped
 * (Wilcoxon's rule). Exact without ties in |d| (n <= 60), otherwise the
 * normal approximation with tie and continuity correction. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/compare.h"
#include "mmbench/error.h"
#include "rank_test.h"

#define EXACT_MAX_ROUNDS 60

struct signed_d {
    double abs;
    int positive;
};

static int cmp_abs(const void *a, const void *b)
{
    double x = ((const struct signed_d *)a)->abs, y = ((const struct signed_d *)b)->abs;
    return (x > y) - (x < y);
}

static double round_median(const struct mb_cmp_sample *s, size_t k, double *scratch)
{
    size_t n = s->end[k] - s->start[k];
    memcpy(scratch, s->v + s->start[k], n * sizeof *scratch);
    return mb_cmp_median_inplace(scratch, n);
}

/* P(T >= t) for T the sum of a random subset of 1..n (every subset equally
 * likely): counts by dynamic programming over the ranks. */
static int exact_tail(size_t n, double t_plus, double t_minus, double *pg, double *pl)
{
    size_t top = n * (n + 1) / 2;
    double *c = calloc(top + 1, sizeof *c);
    if (!c)
        return MB_ENOMEM;
    c[0] = 1;
    for (size_t r = 1; r <= n; r++)
        for (size_t s = top; s >= r; s--)
            c[s] += c[s - r];
    double total = ldexp(1.0, (int)n), g = 0, l = 0;
    for (size_t s = 0; s <= top; s++) {
        if ((double)s >= t_plus - 0.25)
            g += c[s];
        if ((double)s >= t_minus - 0.25)
            l += c[s];
    }
    free(c);
    *pg = g / total;
    *pl = l / total;
    return 0;
}

/* Ranks of |d| (average ranks for ties), T+ and T-, and the tie term. */
static void rank_signs(struct signed_d *d, size_t n, double *tp, double *tm, double *tie_term)
{
    qsort(d, n, sizeof *d, cmp_abs);
    *tp = *tm = *tie_term = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && d[j].abs == d[i].abs)
            j++;
        double rank = ((double)i + 1 + (double)j) / 2, t = (double)(j - i);
        for (size_t k = i; k < j; k++)
            *(d[k].positive ? tp : tm) += rank;
        *tie_term += t * t * t - t;
        i = j;
    }
}

static void normal_p(size_t n, double tp, double tm, double tie_term, struct mb_cmp_mwu *out)
{
    double dn = (double)n, mu = dn * (dn + 1) / 4;
    double var = dn * (dn + 1) * (2 * dn + 1) / 24 - tie_term / 48;
    out->exact = 0;
    if (!(var > 0)) {
        out->p_greater = out->p_less = out->p_min = 1;
        return;
    }
    double sd = sqrt(var);
    out->p_greater = mb_cmp_normal_sf((tp - mu - 0.5) / sd);
    out->p_less = mb_cmp_normal_sf((tm - mu - 0.5) / sd);
    out->p_min = mb_cmp_normal_sf((dn * (dn + 1) / 2 - mu - 0.5) / sd);
}

int mb_cmp_signed_rank_rounds(const struct mb_cmp_sample *base, const struct mb_cmp_sample *head,
                              struct mb_cmp_mwu *out)
{
    size_t k = base->nrounds, most = 1;
    for (size_t i = 0; i < k; i++) {
        size_t nb = base->end[i] - base->start[i], nh = head->end[i] - head->start[i];
        most = nb > most ? nb : most;
        most = nh > most ? nh : most;
    }
    struct signed_d *d = malloc((k ? k : 1) * sizeof *d);
    double *scratch = malloc(most * sizeof *scratch);
    if (!d || !scratch) {
        free(d);
        free(scratch);
        return MB_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < k; i++) {
        double mb = round_median(base, i, scratch), mh = round_median(head, i, scratch);
        double den = fabs(mh) + fabs(mb), x = den > 0 ? (mh - mb) / den : 0;
        if (x != 0)
            d[n++] = (struct signed_d){fabs(x), x > 0};
    }
    free(scratch);
    double tp, tm, tie_term;
    rank_signs(d, n, &tp, &tm, &tie_term);
    free(d);
    out->u_head = tp;
    int rc = 0;
    if (n == 0) {
        out->p_greater = out->p_less = out->p_min = 1; /* no round moved */
        out->exact = 1;
    } else if (tie_term == 0 && n <= EXACT_MAX_ROUNDS) {
        rc = exact_tail(n, tp, tm, &out->p_greater, &out->p_less);
        out->p_min = ldexp(1.0, -(int)n);
        out->exact = 1;
    } else {
        normal_p(n, tp, tm, tie_term, out);
    }
    if (!rc)
        mb_cmp_mwu_finish(out);
    return rc;
}
