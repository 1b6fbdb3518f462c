/* One repetition of one case. The only code between the bracket's clock
 * readings is the case's pass (in a loop for a batch); verification, cache
 * control and counter reads stay outside. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "repetition.h"

struct mb_phase_clock {
    const struct mb_bracket_cost *cost;
    struct mb_bracket b;
    size_t cur, n;
    size_t calls;               /* mb_phase_next calls in this pass */
    double acc[MB_CASE_MAXPHASES][MB_F_COUNT];
    double held[MB_CASE_MAXPHASES]; /* ns each phase held its clock */
    mb_fieldset valid[MB_CASE_MAXPHASES];
    double metric[MB_CASE_MAXPHASES][MB_MAX_METRICS]; /* what the pass added during each phase */
};

void mb_pass_hold(struct mb_pass *p)
{
    if (p->held && !p->hold_t0)
        p->hold_t0 = mb_now_ns();
}

void mb_pass_resume(struct mb_pass *p)
{
    if (!p->held || !p->hold_t0)
        return;
    *p->held += (double)(mb_now_ns() - p->hold_t0);
    p->hold_t0 = 0;
}

void mb_phase_next(struct mb_pass *p)
{
    struct mb_phase_clock *pc = p->phases;
    if (!pc)
        return;
    if (++pc->calls >= pc->n)
        return; /* too many: the repetition fails when the pass returns */
    mb_pass_resume(p); /* a hold ends with its phase */
    mb_bracket_close(&pc->b, pc->cost, pc->held[pc->cur], pc->acc[pc->cur], &pc->valid[pc->cur]);
    pc->cur++;
    p->metric = pc->metric[pc->cur];
    p->held = &pc->held[pc->cur];
    mb_bracket_open(&pc->b, pc->cost);
}

/* The timed work of one batch, run inside the fault guard. */
struct batch {
    struct mb_case *c;
    const struct mb_bracket_cost *cost;
    size_t n;                   /* passes in this batch */
    double acc[MB_F_COUNT];     /* summed over the repetition's batches */
    double held;                /* ns the current batch's passes held the clock */
    mb_fieldset valid;
    double metric[MB_MAX_METRICS];
    double counted[MB_F_COUNT]; /* fields the passes counted themselves */
    mb_fieldset counted_set;
    struct mb_phase_clock *pc;  /* NULL unless phased */
};

static int timed_phases(struct batch *bt)
{
    struct mb_phase_clock *pc = bt->pc;
    struct mb_pass p = {.slot = 0, .phases = pc, .metric = pc->metric[0], .counted = bt->counted,
                        .counted_set = &bt->counted_set, .held = &pc->held[0]};
    pc->cur = 0;
    mb_bracket_open(&pc->b, bt->cost);
    int rc = bt->c->ops->pass(bt->c, &p);
    mb_pass_resume(&p);
    mb_bracket_close(&pc->b, bt->cost, pc->held[pc->cur], pc->acc[pc->cur], &pc->valid[pc->cur]);
    return rc;
}

static int timed_batch(void *arg)
{
    struct batch *bt = arg;
    if (bt->pc)
        return timed_phases(bt);
    struct mb_case *c = bt->c;
    int (*pass)(struct mb_case *, struct mb_pass *) = c->ops->pass;
    struct mb_pass p = {.slot = 0, .phases = NULL, .metric = bt->metric, .counted = bt->counted,
                        .counted_set = &bt->counted_set, .held = &bt->held};
    struct mb_bracket br;
    mb_fieldset got;
    int rc = 0;
    bt->held = 0;
    mb_bracket_open(&br, bt->cost);
    for (size_t i = 0; i < bt->n; i++) {
        p.slot = i;
        if ((rc = pass(c, &p)) != 0)
            break;
        mb_pass_resume(&p);
    }
    mb_pass_resume(&p);
    mb_bracket_close(&br, bt->cost, bt->held, bt->acc, &got);
    bt->valid &= got;
    return rc;
}

/* Residency cannot be measured here (no mincore); mb_last_error() says why.
 * A state is still labelled where it holds by construction: warm (the whole
 * file was just read), a pass that reads no file, or one that reads around
 * the cache. A cold case otherwise is reported unsupported, never measured
 * under a cold label. */
static int unverifiable_cache_state(const struct mb_case *c, bool *ok)
{
    if (c->cache == MB_CACHE_WARM || c->cache_irrelevant || c->uncached) {
        *ok = true;
        return 0;
    }
    char why[400];
    snprintf(why, sizeof why, "%s", mb_last_error());
    return mb_fail(MB_EUNSUPPORTED, "cannot make the file cold here: %s", why);
}

/* Puts the case's file in its cache state and measures what was achieved
 * into the CACHE fields of *s. */
static int set_cache_state(const struct mb_case *c, const struct mb_rep_env *env,
                           struct mb_sample *s)
{
    s->cache_ok = true;
    if (c->cache == MB_CACHE_ANY)
        return 0;
    const char *path = c->cache_path;
    uint64_t res = 0, total = 0;
    int rc;
    if (c->cache == MB_CACHE_COLD)
        rc = mb_cache_evict(path);
    /* A file already wholly resident is not read again: for a large file
     * that read would cost more than the repetition. */
    else if (mb_cache_resident(path, &res, &total) == 0 && res == total)
        rc = 0;
    else
        rc = mb_cache_warm(path);
    if (rc)
        return rc;
    rc = mb_cache_resident(path, &res, &total);
    if (rc == MB_EUNSUPPORTED)
        return unverifiable_cache_state(c, &s->cache_ok);
    if (rc == 0 && c->cache == MB_CACHE_COLD && res > 0 && env->drop_caches) {
        if ((rc = mb_cache_drop_all()) != 0)
            return rc;
        rc = mb_cache_resident(path, &res, &total);
    }
    if (rc)
        return rc;
    mb_sample_set(s, MB_F_RESIDENT_BEFORE, (double)res);
    mb_sample_set(s, MB_F_FILE_PAGES, (double)total);
    s->cache_ok = c->cache == MB_CACHE_COLD ? res == 0 : res == total;
    return 0;
}

/* Fills sample s from the summed values of `passes` passes. */
static void fill_sample(const struct mb_case *c, const double *acc, mb_fieldset valid,
                        const double *metric, uint64_t passes, struct mb_sample *s)
{
    s->passes = passes;
    for (int f = 0; f < MB_F_COUNT; f++)
        if ((valid >> f) & 1u)
            mb_sample_set(s, (enum mb_field)f, acc[f] / (double)passes);
    if (c->work_bytes >= 0)
        mb_sample_set(s, MB_F_WORK_BYTES, c->work_bytes);
    if (c->work_items >= 0)
        mb_sample_set(s, MB_F_WORK_ITEMS, c->work_items);
    for (size_t k = 0; k < c->nmetrics; k++) {
        s->metric[k] = metric[k] / (double)passes;
        s->metric_valid |= 1u << k;
    }
    mb_sample_derive(s);
}

/* Turns what the batches (or the phases) measured into out[]: one sample
 * per phase, then the total, which for a phased case is their sum. The
 * total already holds the cache fields and flags. */
static void fill_samples(const struct mb_case *c, struct batch *bt,
                         const struct mb_phase_clock *pc, uint64_t passes, struct mb_sample *out)
{
    struct mb_sample *total = &out[c->nphases];
    if (c->nphases) {
        bt->valid = ~(mb_fieldset)0;
        for (size_t k = 0; k < c->nphases; k++) {
            for (int f = 0; f < MB_F_COUNT; f++)
                bt->acc[f] += pc->acc[k][f];
            for (size_t m = 0; m < c->nmetrics; m++)
                bt->metric[m] += pc->metric[k][m];
            bt->valid &= pc->valid[k];
        }
    }
    /* The runner measured this process, not the work: none of it counts. */
    if (c->measured_by_pass)
        bt->valid = 0;
    /* What the passes counted themselves stands in where the platform
     * could not count. */
    for (int f = 0; f < MB_F_COUNT; f++)
        if (((bt->counted_set >> f) & 1u) && !((bt->valid >> f) & 1u)) {
            bt->acc[f] = bt->counted[f];
            bt->valid |= MB_FIELD_BIT(f);
        }
    fill_sample(c, bt->acc, bt->valid, bt->metric, passes, total);
    total->phase = -1;
    total->verified = true;
    for (size_t k = 0; k < c->nphases; k++) {
        struct mb_sample *s = &out[k];
        s->phase = (int)k;
        s->cache_ok = total->cache_ok;
        s->verified = true;
        fill_sample(c, pc->acc[k], pc->valid[k], pc->metric[k], 1, s);
        for (int f = 0; f < MB_F_COUNT; f++)
            if (mb_fields[f].source == MB_SRC_CACHE && mb_sample_has(total, (enum mb_field)f))
                mb_sample_set(s, (enum mb_field)f, total->v[f]);
    }
}

static int run_batches(struct mb_case *c, struct batch *bt, uint64_t passes)
{
    size_t max = c->batch > 1 ? c->batch : 1;
    for (uint64_t done = 0; done < passes;) {
        bt->n = passes - done < max ? (size_t)(passes - done) : max;
        int rc = mb_guarded_call(timed_batch, bt);
        if (rc)
            return rc;
        /* What verify adds to the metrics counts for the pass: in a phased
         * case, for its last phase. */
        struct mb_pass p = {.metric = bt->pc ? bt->pc->metric[bt->pc->n - 1] : bt->metric,
                            .counted = bt->counted, .counted_set = &bt->counted_set};
        for (size_t i = 0; c->ops->verify && i < bt->n; i++) {
            p.slot = i;
            if ((rc = c->ops->verify(c, &p)) != 0)
                return rc;
        }
        done += bt->n;
    }
    return 0;
}

int mb_rep_run(struct mb_case *c, const struct mb_rep_env *env, uint64_t passes,
               struct mb_sample *out)
{
    size_t nout = c->nphases + 1;
    struct mb_phase_clock pc = {.cost = env->cost, .n = c->nphases};
    struct batch bt = {.c = c, .cost = env->cost, .valid = ~(mb_fieldset)0,
                       .pc = c->nphases ? &pc : NULL};
    int rc = 0;

    memset(out, 0, nout * sizeof *out);
    if (c->nphases)
        passes = 1;
    if (c->ops->prepare && (rc = c->ops->prepare(c)) != 0)
        goto out;
    struct mb_sample *total = &out[c->nphases];
    if ((rc = set_cache_state(c, env, total)) != 0)
        goto out;
    if ((rc = run_batches(c, &bt, passes)) != 0)
        goto out;
    if (c->nphases && pc.calls + 1 != pc.n) {
        rc = mb_fail(MB_EUSAGE,
                     "the pass of %s called mb_phase_next %zu times; its %zu phases need %zu",
                     c->name, pc.calls, pc.n, pc.n - 1);
        goto out;
    }
    fill_samples(c, &bt, &pc, passes, out);
out:
    if (c->ops->release) {
        /* A release hook may fail or clear errors of its own: the reason
         * this repetition failed is what the case must report. */
        char why[256];
        snprintf(why, sizeof why, "%s", rc ? mb_last_error() : "");
        c->ops->release(c);
        if (rc)
            mb_fail(rc, "%s", why);
    }
    return rc;
}

int mb_rep_calibrate(struct mb_case *c, const struct mb_rep_env *env, uint64_t min_time_ns,
                     uint64_t *passes)
{
    enum { TRIES = 5 };
    struct mb_sample s[MB_CASE_MAXPHASES + 1];
    *passes = 1;
    if (c->single_pass || c->measured_by_pass || c->nphases || min_time_ns == 0)
        return 0;
    double one = INFINITY;
    for (int i = 0; i < TRIES; i++) {
        int rc = mb_rep_run(c, env, 1, s);
        if (rc)
            return rc;
        /* Sized on the time the bracket saw: with its own cost taken off, a
         * pass shorter than the cost reads as 0 and would ask for a million
         * passes. */
        double seen = s[0].v[MB_F_WALL] + env->cost->v[MB_F_WALL];
        if (seen < one)
            one = seen;
    }
    if (one < 1.0)
        one = 1.0;
    double want = ceil((double)min_time_ns / one);
    *passes = want < 1 ? 1 : want > 1e6 ? 1000000 : (uint64_t)want;
    return 0;
}
