/* Bootstrap confidence interval of the median ratio. The generator is a
 * seeded xoshiro256** (not rand()), so the interval, and with it the gate's
 * verdict, is the same on every machine and every rerun of the same files. */
#include <stdlib.h>
#include <string.h>

#include "mmbench/compare.h"
#include "mmbench/error.h"

struct rng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) without modulo bias (Lemire's multiply-and-reject). */
static size_t below(struct rng *r, size_t n)
{
    if (n > UINT32_MAX)
        return (size_t)(next(r) % n); /* bias negligible, and never met in practice */
    uint64_t x = next(r) >> 32;
    uint64_t m = x * (uint64_t)n;
    uint32_t low = (uint32_t)m;
    if (low < (uint32_t)n) {
        uint32_t floor = (uint32_t)(-(uint32_t)n) % (uint32_t)n;
        while (low < floor) {
            x = next(r) >> 32;
            m = x * (uint64_t)n;
            low = (uint32_t)m;
        }
    }
    return (size_t)(m >> 32);
}

/* Moves the k-th smallest of a[0..n) to a[k], the smaller ones before it
 * and the larger ones after it (Hoare's selection, median-of-three pivot):
 * the interval needs two order statistics of the replicates, and a full
 * sort would cost a fifth of the bootstrap's time. No NaN in a[]. */
static void select_kth(double *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        double x = a[lo], y = a[mid], z = a[hi];
        double pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

/* The p-quantile of a[0..n) by linear interpolation between closest ranks,
 * as of the sorted values (a[] is reordered). */
static double quantile(double *a, size_t n, double p)
{
    double pos = p * (double)(n - 1);
    size_t i = (size_t)pos;
    if (i + 1 >= n)
        i = n - 1;
    select_kth(a, n, i);
    if (i + 1 >= n)
        return a[i];
    double next = a[i + 1];
    for (size_t k = i + 2; k < n; k++)
        next = a[k] < next ? a[k] : next;
    double frac = pos - (double)i;
    /* Equal neighbours (also two infinities) need no interpolation. */
    return frac == 0 || a[i] == next ? a[i] : a[i] + (next - a[i]) * frac;
}

/* A side prepared for fast replicates: the values in ascending order and,
 * for each original position, the rank of its value. A replicate then only
 * counts how often each rank was drawn and walks the counts to the middle,
 * with no copying or selection of doubles: the bootstrap is most of the
 * comparison's run time on a large suite. */
struct prepared {
    const struct mb_cmp_sample *x;
    double *sorted;
    size_t *rank;
    unsigned *count;
};

struct by_value {
    double v;
    size_t i;
};

static int cmp_by_value(const void *a, const void *b)
{
    double x = ((const struct by_value *)a)->v, y = ((const struct by_value *)b)->v;
    return (x > y) - (x < y);
}

static int prepare(struct prepared *p, const struct mb_cmp_sample *x)
{
    p->x = x;
    p->sorted = malloc(x->n * sizeof *p->sorted);
    p->rank = malloc(x->n * sizeof *p->rank);
    p->count = malloc(x->n * sizeof *p->count);
    struct by_value *tmp = malloc(x->n * sizeof *tmp);
    if (!p->sorted || !p->rank || !p->count || !tmp) {
        free(tmp);
        return MB_ENOMEM;
    }
    for (size_t i = 0; i < x->n; i++)
        tmp[i] = (struct by_value){x->v[i], i};
    qsort(tmp, x->n, sizeof *tmp, cmp_by_value);
    for (size_t r = 0; r < x->n; r++) {
        p->sorted[r] = tmp[r].v;
        p->rank[tmp[r].i] = r;
    }
    free(tmp);
    return 0;
}

static void release(struct prepared *p)
{
    free(p->sorted);
    free(p->rank);
    free(p->count);
}

/* The value of the k-th smallest drawn element (k from 0). */
static double kth_drawn(const struct prepared *p, size_t k)
{
    size_t seen = 0;
    for (size_t r = 0;; r++) {
        seen += p->count[r];
        if (seen > k)
            return p->sorted[r];
    }
}

/* Draws nrounds round numbers, each below nrounds (with replacement). */
static void draw_rounds(struct rng *r, size_t nrounds, size_t *picks)
{
    for (size_t k = 0; k < nrounds; k++)
        picks[k] = below(r, nrounds);
}

/* One bootstrap replicate of a side's median: with one round, n draws from
 * all values; with several, for each drawn round (picks), that round's size
 * in draws from within it. */
static double resampled_median(struct rng *gen, struct prepared *p, const size_t *picks)
{
    const struct mb_cmp_sample *x = p->x;
    unsigned *count = p->count;
    const size_t *rank = p->rank;
    /* Draws from a local copy of the generator, which the compiler can keep
     * in registers across the loop, and hands the state back at the end. */
    struct rng local = *gen, *r = &local;
    size_t m = 0;
    memset(count, 0, x->n * sizeof *count);
    if (!x->start || x->nrounds <= 1) {
        for (size_t i = 0; i < x->n; i++)
            count[rank[below(r, x->n)]]++;
        m = x->n;
    } else {
        for (size_t k = 0; k < x->nrounds; k++) {
            size_t start = x->start[picks[k]], len = x->end[picks[k]] - start;
            for (size_t i = 0; i < len; i++)
                count[rank[start + below(r, len)]]++;
            m += len;
        }
    }
    *gen = local;
    if (m % 2)
        return kth_drawn(p, m / 2);
    return (kth_drawn(p, m / 2 - 1) + kth_drawn(p, m / 2)) / 2;
}

int mb_cmp_bootstrap_ratio_ci(const struct mb_cmp_sample *base, const struct mb_cmp_sample *head,
                              int paired, unsigned resamples, double conf, uint64_t seed,
                              double *lo, double *hi)
{
    struct prepared pb = {0}, ph = {0};
    size_t nb = base->start ? base->nrounds : 1, nh = head->start ? head->nrounds : 1;
    double *ratios = malloc(resamples * sizeof *ratios);
    size_t *pick_b = malloc((nb + nh) * sizeof *pick_b), *pick_h = pick_b ? pick_b + nb : NULL;
    int rc = MB_ENOMEM;
    if (!ratios || !pick_b || prepare(&pb, base) || prepare(&ph, head))
        goto out;
    paired = paired && nb == nh && nb > 1;
    struct rng r;
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r.s[i] = splitmix64(&x);
    for (unsigned k = 0; k < resamples; k++) {
        draw_rounds(&r, nb, pick_b);
        if (paired)
            memcpy(pick_h, pick_b, nb * sizeof *pick_b);
        else
            draw_rounds(&r, nh, pick_h);
        double mb = resampled_median(&r, &pb, pick_b);
        double mh = resampled_median(&r, &ph, pick_h);
        ratios[k] = mb_cmp_ratio(mh, mb);
    }
    *lo = quantile(ratios, resamples, (1 - conf) / 2);
    *hi = quantile(ratios, resamples, (1 + conf) / 2);
    rc = 0;
out:
    release(&pb);
    release(&ph);
    free(ratios);
    free(pick_b);
    return rc;
}
