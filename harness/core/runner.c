/* The runner. A run:
 *   set up every case -> size the repeatable ones (passes per repetition)
 *   -> execute the schedule: every measured repetition of every case, in a
 *      seeded random order (or case order), each preceded by its warm-up
 *   -> report every case's samples and summaries in plan order
 *   -> tear every case down.
 * What one repetition does is in repetition.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/runner.h"
#include "mmbench/workload.h"
#include "repetition.h"

double mb_timer_overhead_ns(void)
{
    enum { BATCH = 1000, ROUNDS = 15 };
    double per[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t t0 = mb_now_ns(), t = t0;
        for (int i = 0; i < BATCH; i++)
            t = mb_now_ns();
        per[r] = (double)(t - t0) / BATCH;
    }
    mb_sort(per, ROUNDS);
    return mb_stat_median(per, ROUNDS);
}

/* What the run keeps of one case while its repetitions are scheduled. */
struct case_run {
    struct mb_case *c;
    uint64_t passes;
    unsigned done;              /* measured repetitions finished */
    bool set_up, warmed;
    struct mb_sample *samples;  /* reps x (nphases + 1) */
    size_t nsamples;
};

struct run {
    struct case_run *cr;
    size_t n;
    const struct mb_run_config *cfg;
    struct mb_rep_env env;
    struct mb_bracket_cost cost;
    unsigned *order;            /* the schedule: case index per measured repetition */
    size_t norder;
};

static void fail_case(struct case_run *cr, int rc)
{
    struct mb_case *c = cr->c;
    c->status = rc;
    snprintf(c->error, sizeof c->error, "%s", mb_last_error()[0] ? mb_last_error() : mb_strerror(rc));
    cr->nsamples = 0;
}

/* The schedule: cfg->reps entries per case, shuffled (Fisher-Yates with the
 * run's seed) when interleaving. */
static int make_schedule(struct run *r)
{
    r->norder = r->n * r->cfg->reps;
    r->order = malloc((r->norder ? r->norder : 1) * sizeof *r->order);
    if (!r->order)
        return mb_fail(MB_ENOMEM, "out of memory for the schedule");
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        for (unsigned j = 0; j < r->cfg->reps; j++)
            r->order[k++] = (unsigned)i;
    if (r->cfg->interleave && r->norder > 1) {
        uint64_t st = r->cfg->seed;
        for (size_t i = r->norder - 1; i > 0; i--) {
            size_t j = (size_t)(mb_rand_next(&st) % (i + 1));
            unsigned t = r->order[i];
            r->order[i] = r->order[j];
            r->order[j] = t;
        }
    }
    return 0;
}

static int setup_case(struct run *r, struct case_run *cr)
{
    struct mb_case *c = cr->c;
    size_t per = c->nphases + 1;
    cr->samples = calloc((size_t)r->cfg->reps * per, sizeof *cr->samples);
    if (!cr->samples)
        return mb_fail(MB_ENOMEM, "out of memory for the samples of %s", c->name);
    int rc = c->ops->setup ? c->ops->setup(c) : 0;
    if (rc)
        return rc;
    cr->set_up = true;
    return mb_rep_calibrate(c, &r->env, r->cfg->min_time_ns, &cr->passes);
}

/* The warm-up before a measured repetition: cfg->warmup repetitions before
 * each one of a repeatable case (so that whatever ran before, a cold case
 * that left the CPU idle, is behind it), before the first one only of a
 * single-pass case (a cold repetition is dominated by I/O, and costs it). */
static int warm_up(struct run *r, struct case_run *cr)
{
    struct mb_case *c = cr->c;
    struct mb_sample s[MB_CASE_MAXPHASES + 1];
    if (c->single_pass && cr->warmed)
        return 0;
    cr->warmed = true;
    for (unsigned w = 0; w < r->cfg->warmup; w++) {
        int rc = mb_rep_run(c, &r->env, cr->passes, s);
        if (rc)
            return rc;
    }
    return 0;
}

static int measure(struct run *r, struct case_run *cr, unsigned order)
{
    struct mb_case *c = cr->c;
    size_t per = c->nphases + 1;
    struct mb_sample *s = &cr->samples[cr->nsamples];
    int rc = warm_up(r, cr);
    if (!rc)
        rc = mb_rep_run(c, &r->env, cr->passes, s);
    if (rc)
        return rc;
    for (size_t k = 0; k < per; k++) {
        s[k].rep = cr->done;
        s[k].order = order;
    }
    cr->nsamples += per;
    cr->done++;
    return 0;
}

static void progress(struct run *r, size_t i, size_t done, uint64_t start)
{
    if (!r->cfg->progress)
        return;
    const struct case_run *cr = &r->cr[i];
    struct mb_progress p = {
        .done = done, .total = r->norder, .c = cr->c, .case_index = i, .ncases = r->n,
        .rep = cr->done, .reps = r->cfg->reps,
        .case_finished = cr->c->status != 0 || cr->done == r->cfg->reps,
        .elapsed_ns = mb_now_ns() - start,
    };
    r->cfg->progress(r->cfg->progress_arg, &p);
}

/* Before the first measured repetition, the machine itself is warmed up
 * (cfg->warmup_run_ns): repeatable cases run untimed, in plan order. */
static void warm_up_run(struct run *r)
{
    struct mb_sample s[MB_CASE_MAXPHASES + 1];
    uint64_t start = mb_now_ns();
    bool any = true;
    while (any && mb_now_ns() - start < r->cfg->warmup_run_ns && !mb_interrupted()) {
        any = false;
        for (size_t i = 0; i < r->n; i++) {
            struct case_run *cr = &r->cr[i];
            if (!cr->set_up || cr->c->status || cr->c->single_pass || cr->c->nphases)
                continue;
            any = true;
            if (mb_rep_run(cr->c, &r->env, cr->passes, s) != 0)
                mb_clear_error(); /* the case fails, with its reason, when measured */
        }
    }
}

/* Executes the schedule; a case that fails is dropped from it. */
static int execute(struct run *r)
{
    warm_up_run(r);
    uint64_t start = mb_now_ns();
    for (size_t k = 0; k < r->norder; k++) {
        if (mb_interrupted())
            return mb_fail(MB_EINTR, "interrupted");
        struct case_run *cr = &r->cr[r->order[k]];
        if (cr->c->status)
            continue;
        mb_clear_error();
        int rc = cr->set_up ? measure(r, cr, (unsigned)k) : 0;
        if (rc == MB_ENOMEM)
            return rc;
        if (rc)
            fail_case(cr, rc);
        progress(r, r->order[k], k + 1, start);
    }
    return 0;
}

/* A case whose every repetition missed its cache state fails, saying why. */
static void check_cache_misses(struct case_run *cr, const struct mb_summary *total)
{
    struct mb_case *c = cr->c;
    if (c->status || total->n || !cr->nsamples)
        return;
    const struct mb_sample *s = &cr->samples[c->nphases];
    c->status = MB_EENV;
    snprintf(c->error, sizeof c->error,
             "the file could not be made %s in any repetition (%.0f of %.0f pages resident)",
             mb_cache_name(c->cache), s->v[MB_F_RESIDENT_BEFORE], s->v[MB_F_FILE_PAGES]);
}

static int report_case(struct case_run *cr, const struct mb_reporter *rep, size_t nrep)
{
    struct mb_case *c = cr->c;
    struct mb_summary sum[MB_CASE_MAXPHASES + 1];
    int phases = (int)c->nphases;
    for (int p = -1; p < phases; p++)
        mb_summarize(cr->samples, cr->nsamples, p, &sum[p + 1]);
    check_cache_misses(cr, &sum[0]);
    int rc = 0;
    for (size_t i = 0; i < cr->nsamples && !rc; i++)
        rc = mb_report_sample(rep, nrep, c, &cr->samples[i]);
    for (int p = 0; p < phases && !rc; p++)
        rc = mb_report_aggregate(rep, nrep, c, &sum[p + 1]);
    return rc ? rc : mb_report_aggregate(rep, nrep, c, &sum[0]);
}

static void teardown(struct run *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct case_run *cr = &r->cr[i];
        if (cr->set_up && cr->c->ops->teardown)
            cr->c->ops->teardown(cr->c);
        free(cr->samples);
    }
    free(r->cr);
    free(r->order);
}

static int prepare_run(struct run *r)
{
    int rc = make_schedule(r);
    if (rc)
        return rc;
    mb_bracket_calibrate(&r->cost);
    for (size_t i = 0; i < r->n; i++) {
        if (mb_interrupted())
            return mb_fail(MB_EINTR, "interrupted");
        /* A case the caller already failed (a run option this platform
         * cannot honour) is reported with its reason and never set up. */
        if (r->cr[i].c->status)
            continue;
        mb_clear_error();
        rc = setup_case(r, &r->cr[i]);
        if (rc == MB_ENOMEM)
            return rc;
        if (rc)
            fail_case(&r->cr[i], rc);
    }
    return 0;
}

int mb_run_cases(struct mb_case *cases, size_t n, const struct mb_run_config *cfg,
                 const struct mb_reporter *reporters, size_t nrep)
{
    struct run r = {.n = n, .cfg = cfg};
    r.env = (struct mb_rep_env){.cost = &r.cost, .drop_caches = cfg->drop_caches};
    r.cr = calloc(n ? n : 1, sizeof *r.cr);
    if (!r.cr)
        return mb_fail(MB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        r.cr[i].c = &cases[i];
    int rc = prepare_run(&r);
    if (!rc)
        rc = execute(&r);
    int result = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = report_case(&r.cr[i], reporters, nrep);
        /* A case the platform cannot run (reported with its reason) is not
         * a failure of the run. */
        if (cases[i].status && cases[i].status != MB_EUNSUPPORTED)
            result = 1;
    }
    teardown(&r);
    return rc ? rc : result;
}
