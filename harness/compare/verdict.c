/* The comparison: pairs the two sides' series by name and turns each pair
 * into a verdict that fails closed. "Slower" needs an effect both large (the
 * median ratio beyond 1 + threshold) and unlikely to be chance (Holm-corrected
 * one-sided rank test below alpha): on a shared runner, significance alone
 * flags tiny drifts and size alone flags one unlucky run. "Same" needs the
 * interval to rule a regression of the threshold out, and data with which the
 * test could have found one. Everything between is inconclusive: ci/gate
 * answers it with more rounds instead of a guess. */
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
    o->max_input = MB_CMP_DEFAULT_MAX_INPUT;
}

const char *mb_cmp_verdict_name(enum mb_cmp_verdict v)
{
    switch (v) {
    case MB_CMP_SAME: return "same";
    case MB_CMP_FASTER: return "faster";
    case MB_CMP_SLOWER: return "slower";
    case MB_CMP_INCONCLUSIVE: return "inconclusive";
    case MB_CMP_FAILED: return "failed";
    }
    return "?";
}

const char *mb_cmp_why_text(enum mb_cmp_why why)
{
    switch (why) {
    case MB_CMP_WHY_NONE: return "";
    case MB_CMP_WHY_FEW_REPS: return "too few usable repetitions for the test";
    case MB_CMP_WHY_WIDE: return "interval too wide to rule out the threshold";
    case MB_CMP_WHY_NOT_SIGNIFICANT: return "above the threshold but not significant";
    case MB_CMP_WHY_NO_BASE: return "no usable data in base";
    case MB_CMP_WHY_ZERO_BASE: return "base median is zero: no ratio";
    case MB_CMP_WHY_HEAD_FAILED: return "failed in head";
    case MB_CMP_WHY_HEAD_MISSING: return "missing in head";
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

/* Repetitions per side with which the exact test's smallest p, times Holm's
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

/* Whether every value of both series is the same number. */
static int all_equal(const struct mb_cmp_series *b, const struct mb_cmp_series *h)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i] != b->v[0])
            return 0;
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i] != b->v[0])
            return 0;
    return 1;
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
    row->failed_base = b->failed;
    row->failed_head = h->failed;
    row->pairs = 0;
    row->med_base = median_of(b->v, b->n, scratch);
    row->med_head = median_of(h->v, h->n, scratch);
    row->ratio = row->ci_lo = row->ci_hi = NAN;
    row->mwu = (struct mb_cmp_mwu){NAN, NAN, NAN, NAN, NAN, 0};
    row->strata = row->mwu;
    row->p_slower = row->p_faster = row->p_min_holm = NAN;
    if (!b->n || !h->n)
        return 0;
    row->ratio = mb_cmp_ratio(row->med_head, row->med_base);
    row->identical = all_equal(b, h);

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
        rc = mb_cmp_signed_rank_rounds(&sb, &sh, &row->mwu);
        if (!rc)
            rc = mb_cmp_van_elteren(&sb, &sh, &row->strata);
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

static void inconclusive(struct mb_cmp_row *row, enum mb_cmp_why why)
{
    row->verdict = MB_CMP_INCONCLUSIVE;
    row->why = why;
}

/* Failed or missing data on one side, decided before any statistics: head
 * losing data that base had is a failure, base lacking data is no evidence. */
static int decide_missing(struct mb_cmp_row *row)
{
    if (row->n_base && (!row->n_head || row->failed_head > row->failed_base)) {
        row->verdict = MB_CMP_FAILED;
        row->why = MB_CMP_WHY_HEAD_FAILED;
        return 1;
    }
    if (!row->n_base) {
        inconclusive(row, MB_CMP_WHY_NO_BASE);
        return 1;
    }
    return 0;
}

static void decide(struct mb_cmp_row *row, const struct mb_cmp_opts *o, size_t family)
{
    row->reps_needed = 0;
    row->why = MB_CMP_WHY_NONE;
    if (decide_missing(row))
        return;
    double up = 1 + o->threshold, down = 1 / up;
    row->p_min_holm = (double)(family ? family : 1) * row->mwu.p_min;
    if (row->ratio > up && row->p_slower < o->alpha) {
        row->verdict = MB_CMP_SLOWER;
        return;
    }
    /* A counter that reads the same number in every repetition of both
     * sides (0 faults, 5 calls) has no noise to rule out: it did not change. */
    if (row->identical && row->n_base >= 2 && row->n_head >= 2) {
        row->verdict = MB_CMP_SAME;
        return;
    }
    /* Data with which not even the most extreme outcome is significant
     * could not have shown a regression either, so it cannot show "same". */
    if (!(row->p_min_holm < o->alpha)) {
        inconclusive(row, MB_CMP_WHY_FEW_REPS);
        row->reps_needed = reps_needed(family ? family : 1, o->alpha);
        return;
    }
    if (isinf(row->ratio)) {
        inconclusive(row, MB_CMP_WHY_ZERO_BASE);
        return;
    }
    if (row->ci_hi <= up) {
        int faster = row->ci_hi < down && row->p_faster < o->alpha;
        row->verdict = faster ? MB_CMP_FASTER : MB_CMP_SAME;
        return;
    }
    if (row->ratio > up) {
        inconclusive(row, MB_CMP_WHY_NOT_SIGNIFICANT);
        return;
    }
    inconclusive(row, MB_CMP_WHY_WIDE);
    double width = log(row->ci_hi / row->ci_lo), band = log(up);
    size_t n = row->n_base < row->n_head ? row->n_base : row->n_head;
    if (row->ci_lo > 0 && isfinite(width) && band > 0)
        row->reps_needed = reps_for_width(n, width, band);
}

/* A benchmark that base has and head lost entirely: a row of its own. */
static void missing_row(struct mb_cmp_row *row, const struct mb_cmp_series *b, double *scratch)
{
    memset(row, 0, sizeof *row);
    row->name = b->name;
    row->n_base = b->n;
    row->excl_base = b->excluded;
    row->why_base = b->excluded_reason;
    row->failed_base = b->failed;
    row->rounds_base = b->nblk;
    row->med_base = median_of(b->v, b->n, scratch);
    row->med_head = row->ratio = row->ci_lo = row->ci_hi = NAN;
    row->mwu = (struct mb_cmp_mwu){NAN, NAN, NAN, NAN, NAN, 0};
    row->strata = row->mwu;
    row->p_slower = row->p_faster = row->p_min_holm = NAN;
    row->verdict = MB_CMP_FAILED;
    row->why = MB_CMP_WHY_HEAD_MISSING;
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
    r->only_head = calloc(head->n + 1, sizeof *r->only_head);
    if (!scratch || !pg || !pl || !r->rows || !r->only_head)
        goto out;

    for (size_t i = 0; i < base->n; i++) {
        const struct mb_cmp_series *b = &base->s[i];
        if (!kept(o, b->name))
            continue;
        const struct mb_cmp_series *h = mb_cmp_set_find(head, b->name);
        struct mb_cmp_row *row = &r->rows[r->nrows];
        if (!h) {
            missing_row(row, b, scratch);
            pg[r->nrows] = pl[r->nrows] = NAN;
            r->nrows++;
            r->n_only_base++;
            continue;
        }
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
        if (r->rows[i].why != MB_CMP_WHY_HEAD_MISSING)
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
    free(r->only_head);
    r->rows = NULL;
    r->only_head = NULL;
    r->nrows = r->n_only_base = r->n_only_head = 0;
}

int mb_cmp_exit_code(const struct mb_cmp_report *r)
{
    if (r->count[MB_CMP_SLOWER] || r->count[MB_CMP_FAILED])
        return MB_CMP_EXIT_REGRESSION;
    if (r->count[MB_CMP_INCONCLUSIVE] || !r->nrows)
        return MB_CMP_EXIT_INCONCLUSIVE;
    return MB_CMP_EXIT_PASS;
}
