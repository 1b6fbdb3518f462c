/* The comparison: pairs the two sides' series by name and turns each pair
 * into a verdict. A benchmark is slower only when the effect is both large
 * (the whole confidence interval of the median ratio lies beyond
 * 1 + threshold) and unlikely to be chance (Holm-corrected one-sided U test
 * below alpha): on a shared runner, significance alone flags tiny drifts and
 * size alone flags one unlucky run. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/compare.h"
#include "mmbench/error.h"

void mb_cmp_opts_default(struct mb_cmp_opts *o)
{
    memset(o, 0, sizeof *o);
    o->metric = "real_time";
    o->threshold = MB_CMP_DEFAULT_THRESHOLD;
    o->alpha = MB_CMP_DEFAULT_ALPHA;
    o->confidence = MB_CMP_DEFAULT_CONFIDENCE;
    o->resamples = MB_CMP_DEFAULT_RESAMPLES;
    o->seed = MB_CMP_DEFAULT_SEED;
}

const char *mb_cmp_verdict_name(enum mb_cmp_verdict v)
{
    switch (v) {
    case MB_CMP_SAME: return "same";
    case MB_CMP_FASTER: return "faster";
    case MB_CMP_SLOWER: return "slower";
    case MB_CMP_UNRELIABLE: return "unreliable";
    }
    return "?";
}

/* Mixes the benchmark's name into the seed, so a benchmark's interval does
 * not depend on which other benchmarks the files hold or --filter kept. */
static uint64_t row_seed(uint64_t seed, const char *name)
{
    uint64_t h = 1469598103934665603u ^ seed;
    for (; *name; name++) {
        h ^= (unsigned char)*name;
        h *= 1099511628211u;
    }
    return h;
}

/* Repetitions per side with which the smallest possible p, times Holm's
 * largest factor (the family size), falls below alpha. */
static size_t reps_needed(size_t family, double alpha)
{
    size_t n = 2;
    while (n < 1000 && (double)family * mb_cmp_min_p(n, n) >= alpha)
        n++;
    return n;
}

static int kept(const struct mb_cmp_opts *o, const char *name)
{
    return !o->keep || o->keep(name, o->keep_ctx);
}

static double median_of(const double *v, size_t n, double *scratch)
{
    if (!n)
        return NAN;
    memcpy(scratch, v, n * sizeof *v);
    return mb_cmp_median_inplace(scratch, n);
}

/* A side's rounds as start/end arrays (owned by the caller's buffers). */
struct rounds {
    size_t *start, *end;
    size_t n;
};

static size_t block_end(const struct mb_cmp_series *x, size_t k)
{
    return k + 1 < x->nblk ? x->blk[k + 1] : x->n;
}

/* Every round of one series, in file order. */
static void all_rounds(const struct mb_cmp_series *x, struct rounds *r)
{
    for (size_t k = 0; k < x->nblk; k++) {
        r->start[k] = x->blk[k];
        r->end[k] = block_end(x, k);
    }
    r->n = x->nblk;
}

/* The rounds of file numbers present in both series, matched by number. */
static void paired_rounds(const struct mb_cmp_series *b, const struct mb_cmp_series *h,
                          struct rounds *rb, struct rounds *rh)
{
    size_t i = 0, j = 0;
    rb->n = rh->n = 0;
    while (i < b->nblk && j < h->nblk) {
        if (b->blk_file[i] < h->blk_file[j]) {
            i++;
        } else if (b->blk_file[i] > h->blk_file[j]) {
            j++;
        } else {
            rb->start[rb->n] = b->blk[i];
            rb->end[rb->n++] = block_end(b, i);
            rh->start[rh->n] = h->blk[j];
            rh->end[rh->n++] = block_end(h, j);
            i++;
            j++;
        }
    }
}

/* Fills the figures of one row (everything but the corrected p-values and
 * the verdict). `pairable`: the two sets merged the same number of files. */
static int measure_row(struct mb_cmp_row *row, const struct mb_cmp_series *b,
                       const struct mb_cmp_series *h, const struct mb_cmp_opts *o,
                       int pairable, double *scratch)
{
    row->name = b->name;
    row->n_base = b->n;
    row->n_head = h->n;
    row->excl_base = b->excluded;
    row->excl_head = h->excluded;
    row->why_base = b->excluded_reason;
    row->why_head = h->excluded_reason;
    row->rounds_base = b->nblk;
    row->rounds_head = h->nblk;
    row->pairs = 0;
    row->med_base = median_of(b->v, b->n, scratch);
    row->med_head = median_of(h->v, h->n, scratch);
    row->ratio = row->ci_lo = row->ci_hi = NAN;
    row->mwu = (struct mb_cmp_mwu){NAN, NAN, NAN, NAN, 0};
    row->p_slower = row->p_faster = NAN;
    if (!b->n || !h->n)
        return 0;
    row->ratio = mb_cmp_ratio(row->med_head, row->med_base);

    size_t most = b->nblk > h->nblk ? b->nblk : h->nblk;
    size_t *buf = malloc(4 * (most ? most : 1) * sizeof *buf);
    if (!buf)
        return MB_ENOMEM;
    struct rounds rb = {buf, buf + most, 0}, rh = {buf + 2 * most, buf + 3 * most, 0};
    int paired = 0;
    if (pairable && !o->unpaired) {
        paired_rounds(b, h, &rb, &rh);
        paired = rb.n >= 2;
    }
    if (!paired) {
        all_rounds(b, &rb);
        all_rounds(h, &rh);
    }
    struct mb_cmp_sample sb = {b->v, b->n, rb.start, rb.end, rb.n};
    struct mb_cmp_sample sh = {h->v, h->n, rh.start, rh.end, rh.n};
    int rc;
    if (paired) {
        row->pairs = rb.n;
        /* The pooled medians above stay the reported figures; the interval
         * and the test only use the rounds that have a partner. */
        rc = mb_cmp_mann_whitney_strata(&sb, &sh, &row->mwu);
    } else {
        rc = mb_cmp_mann_whitney(b->v, b->n, h->v, h->n, &row->mwu);
    }
    if (!rc)
        rc = mb_cmp_bootstrap_ratio_ci(&sb, &sh, paired, o->resamples, o->confidence,
                                       row_seed(o->seed, b->name), &row->ci_lo, &row->ci_hi);
    free(buf);
    return rc;
}

/* Repetitions per side that would shrink the interval to the width of the
 * "same" band, assuming the width falls as 1 / sqrt(n) (capped, since noise
 * between runs does not fall that way at all). */
static size_t reps_for_width(size_t n, double width, double band)
{
    double need = ceil((double)n * (width / band) * (width / band));
    return need > 100000 ? 100000 : (size_t)need;
}

static void decide(struct mb_cmp_row *row, const struct mb_cmp_opts *o, size_t family)
{
    row->reps_needed = 0;
    row->noisy = 0;
    if (!row->n_base || !row->n_head ||
        (double)family * mb_cmp_min_p(row->n_base, row->n_head) >= o->alpha) {
        row->verdict = MB_CMP_UNRELIABLE;
        row->reps_needed = reps_needed(family ? family : 1, o->alpha);
        return;
    }
    double up = 1 + o->threshold, down = 1 / (1 + o->threshold);
    if (row->ci_lo > up && row->p_slower < o->alpha) {
        row->verdict = MB_CMP_SLOWER;
        return;
    }
    if (row->ci_hi < down && row->p_faster < o->alpha) {
        row->verdict = MB_CMP_FASTER;
        return;
    }
    /* "Same" must mean the interval rules out a regression of threshold:
     * an interval that reaches beyond 1 + threshold and is wider than the
     * whole band says nothing either way, and calling it "same" would hide a
     * regression behind noise. (Uncertainty on the faster side does not
     * make a gate unreliable.) */
    double width = log(row->ci_hi / row->ci_lo), band = log(up);
    if (row->ci_hi > up && row->ci_lo > 0 && isfinite(width) && band > 0 && width > band) {
        row->verdict = MB_CMP_UNRELIABLE;
        row->noisy = 1;
        size_t n = row->n_base < row->n_head ? row->n_base : row->n_head;
        row->reps_needed = reps_for_width(n, width, band);
        return;
    }
    row->verdict = MB_CMP_SAME;
}

int mb_cmp_compare(const struct mb_cmp_set *base, const struct mb_cmp_set *head,
                   const struct mb_cmp_opts *o, struct mb_cmp_report *r)
{
    memset(r, 0, sizeof *r);
    r->opts = *o;
    r->metric_is_time = mb_cmp_metric_is_time(o->metric);
    size_t most = 1;
    for (size_t i = 0; i < base->n; i++)
        most = base->s[i].n > most ? base->s[i].n : most;
    for (size_t i = 0; i < head->n; i++)
        most = head->s[i].n > most ? head->s[i].n : most;

    int pairable = base->files == head->files && base->files >= 2;
    int rc = MB_ENOMEM;
    double *scratch = malloc(most * sizeof *scratch);
    double *pg = malloc((base->n + 1) * sizeof *pg);
    double *pl = malloc((base->n + 1) * sizeof *pl);
    r->rows = calloc(base->n + 1, sizeof *r->rows);
    r->only_base = calloc(base->n + 1, sizeof *r->only_base);
    r->only_head = calloc(head->n + 1, sizeof *r->only_head);
    if (!scratch || !pg || !pl || !r->rows || !r->only_base || !r->only_head)
        goto out;

    for (size_t i = 0; i < base->n; i++) {
        const struct mb_cmp_series *b = &base->s[i];
        if (!kept(o, b->name))
            continue;
        const struct mb_cmp_series *h = mb_cmp_set_find(head, b->name);
        if (!h) {
            r->only_base[r->n_only_base++] = b->name;
            continue;
        }
        struct mb_cmp_row *row = &r->rows[r->nrows];
        if ((rc = measure_row(row, b, h, o, pairable, scratch)))
            goto out;
        pg[r->nrows] = row->mwu.p_greater;
        pl[r->nrows] = row->mwu.p_less;
        r->nrows++;
        if (row->n_base && row->n_head)
            r->family++;
    }
    for (size_t i = 0; i < head->n; i++)
        if (kept(o, head->s[i].name) && !mb_cmp_set_find(base, head->s[i].name))
            r->only_head[r->n_only_head++] = head->s[i].name;

    if ((rc = mb_cmp_holm(pg, r->nrows, pg)) || (rc = mb_cmp_holm(pl, r->nrows, pl)))
        goto out;
    for (size_t i = 0; i < r->nrows; i++) {
        r->rows[i].p_slower = pg[i];
        r->rows[i].p_faster = pl[i];
        decide(&r->rows[i], o, r->family);
        r->count[r->rows[i].verdict]++;
    }
    rc = 0;
out:
    free(scratch);
    free(pg);
    free(pl);
    if (rc)
        mb_cmp_report_free(r);
    return rc;
}

void mb_cmp_report_free(struct mb_cmp_report *r)
{
    free(r->rows);
    free(r->only_base);
    free(r->only_head);
    r->rows = NULL;
    r->only_base = r->only_head = NULL;
    r->nrows = r->n_only_base = r->n_only_head = 0;
}

int mb_cmp_exit_code(const struct mb_cmp_report *r)
{
    return r->count[MB_CMP_SLOWER] ? 1 : 0;
}
