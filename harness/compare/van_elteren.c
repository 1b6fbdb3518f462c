/* Van Elteren's stratified rank-sum test, for paired rounds: round k of base
 * against round k of head is one stratum, so a change of the machine's speed
 * between rounds is not mistaken for a difference. Each stratum's U counts
 * with weight 1 / (N_k + 1), N_k the values in it (van Elteren 1960: the
 * locally most powerful weights), so a large round does not outvote the
 * others.
 *
 * Exact when no stratum has ties and the distribution is small: the weights
 * become whole steps L / (N_k + 1), L the least common multiple of every
 * N_k + 1, and the strata's exact U distributions are convolved. Otherwise
 * the normal approximation with tie correction and a continuity correction
 * of half the smallest step. scipy has no stratified test; its rule for the
 * unstratified one is in mannwhitney.c. */
#include <math.h>
#include <stdlib.h>

#include "mmbench/compare.h"
#include "mmbench/error.h"
#include "rank_test.h"

/* Bounds of the exact convolution: its cost is support x strata x points. */
#define EXACT_MAX_STEP 100000u
#define EXACT_MAX_SUPPORT 2000000u
#define EXACT_MAX_WORK 50000000.0

struct stratum {
    size_t nb, nh;
    double u, tie_term;
    int ties;
};

static size_t gcd(size_t a, size_t b)
{
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The common step L of the strata's weights, or 0 when the exact
 * distribution would be too large to build. */
static size_t exact_step(const struct stratum *s, size_t k, size_t *support)
{
    size_t l = 1;
    for (size_t i = 0; i < k; i++) {
        size_t w = s[i].nb + s[i].nh + 1;
        l = l / gcd(l, w) * w;
        if (s[i].ties || l > EXACT_MAX_STEP)
            return 0;
    }
    double top = 0, work = 0;
    for (size_t i = 0; i < k; i++) {
        double pts = (double)(s[i].nb * s[i].nh) + 1;
        top += (pts - 1) * (double)(l / (s[i].nb + s[i].nh + 1));
        work += (top + 1) * pts;
    }
    if (top >= EXACT_MAX_SUPPORT || work > EXACT_MAX_WORK)
        return 0;
    *support = (size_t)top + 1;
    return l;
}

/* Convolves stratum `s` (U in steps of `step`) into dist[0 .. *top]. */
static int convolve(double *dist, double *next, size_t *top, const struct stratum *s,
                    size_t step)
{
    size_t mn = s->nb * s->nh;
    double *c = malloc((mn + 1) * sizeof *c);
    if (!c)
        return MB_ENOMEM;
    mb_cmp_u_counts(s->nb, s->nh, c);
    double total = 0;
    for (size_t u = 0; u <= mn; u++)
        total += c[u];
    size_t new_top = *top + mn * step;
    for (size_t j = 0; j <= new_top; j++)
        next[j] = 0;
    for (size_t j = 0; j <= *top; j++)
        if (dist[j] != 0)
            for (size_t u = 0; u <= mn; u++)
                next[j + u * step] += dist[j] * (c[u] / total);
    for (size_t j = 0; j <= new_top; j++)
        dist[j] = next[j];
    *top = new_top;
    free(c);
    return 0;
}

static int exact_p(const struct stratum *s, size_t k, size_t l, size_t support,
                   struct mb_cmp_mwu *out)
{
    double *dist = calloc(support, sizeof *dist), *next = malloc(support * sizeof *next);
    int rc = MB_ENOMEM;
    if (!dist || !next)
        goto out;
    dist[0] = 1;
    size_t top = 0;
    double w_head = 0, w_base = 0, p_min = 1;
    for (size_t i = 0; i < k; i++) {
        size_t step = l / (s[i].nb + s[i].nh + 1);
        if ((rc = convolve(dist, next, &top, &s[i], step)))
            goto out;
        w_head += s[i].u * (double)step;
        w_base += ((double)(s[i].nb * s[i].nh) - s[i].u) * (double)step;
        p_min *= mb_cmp_min_p(s[i].nb, s[i].nh);
    }
    /* P(W >= w) for head and for base: the distribution is symmetric, so the
     * base's upper tail is the head's lower tail. */
    double pg = 0, pl = 0;
    for (size_t j = 0; j <= top; j++) {
        if ((double)j >= w_head - 0.5)
            pg += dist[j];
        if ((double)j >= w_base - 0.5)
            pl += dist[j];
    }
    out->p_greater = pg;
    out->p_less = pl;
    out->p_min = p_min;
    out->exact = 1;
    rc = 0;
out:
    free(dist);
    free(next);
    return rc;
}

static void normal_p(const struct stratum *s, size_t k, struct mb_cmp_mwu *out)
{
    double w_head = 0, w_base = 0, w_max = 0, mu = 0, var = 0, cc = INFINITY;
    for (size_t i = 0; i < k; i++) {
        double nb = (double)s[i].nb, nh = (double)s[i].nh, w = 1 / (nb + nh + 1);
        w_head += w * s[i].u;
        w_base += w * (nb * nh - s[i].u);
        w_max += w * nb * nh;
        mu += w * nb * nh / 2;
        var += w * w * mb_cmp_u_variance(nb, nh, s[i].tie_term);
        if (nb * nh > 0 && w / 2 < cc)
            cc = w / 2;
    }
    out->exact = 0;
    if (!(var > 0)) {
        out->p_greater = out->p_less = out->p_min = 1; /* every value equal */
        return;
    }
    double sd = sqrt(var);
    out->p_greater = mb_cmp_normal_sf((w_head - mu - cc) / sd);
    out->p_less = mb_cmp_normal_sf((w_base - mu - cc) / sd);
    out->p_min = mb_cmp_normal_sf((w_max - mu - cc) / sd);
}

int mb_cmp_van_elteren(const struct mb_cmp_sample *base, const struct mb_cmp_sample *head,
                       struct mb_cmp_mwu *out)
{
    size_t k = base->nrounds;
    struct stratum *s = malloc((k ? k : 1) * sizeof *s);
    if (!s)
        return MB_ENOMEM;
    double u = 0;
    for (size_t i = 0; i < k; i++) {
        s[i].nb = base->end[i] - base->start[i];
        s[i].nh = head->end[i] - head->start[i];
        int rc = mb_cmp_rank_stats(base->v + base->start[i], s[i].nb, head->v + head->start[i],
                                   s[i].nh, &s[i].u, &s[i].tie_term, &s[i].ties);
        if (rc) {
            free(s);
            return rc;
        }
        u += s[i].u / (double)(s[i].nb + s[i].nh + 1);
    }
    out->u_head = u;
    size_t support = 0, l = exact_step(s, k, &support);
    int rc = 0;
    if (l)
        rc = exact_p(s, k, l, support, out);
    else
        normal_p(s, k, out);
    free(s);
    if (!rc)
        mb_cmp_mwu_finish(out);
    return rc;
}
