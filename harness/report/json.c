/* JSON reporter in Google Benchmark's schema (json_schema_version 1), so
 * that compare.py and the dashboards that read Google Benchmark read mmbench
 * unchanged: an iteration entry per sample, then mean / median / stddev /
 * cv aggregates per case (and per phase), every known field as a numeric
 * counter. Entries that failed carry error_occurred and error_message and,
 * as Google Benchmark writes them, real_time and cpu_time 0, time_unit and
 * iterations. jansson refuses NaN and Infinity, and so do we: an unknown
 * value is left out. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "context_json.h"
#include "mmbench/error.h"
#include "reporters.h"

struct json_state {
    char *path;
    json_t *root, *benchmarks;
    size_t family;
    unsigned reps;
    const struct mb_case *last;     /* the case whose samples were written last */
};

static void set_num(json_t *o, const char *key, double v)
{
    if (isfinite(v)) {
        if (v == floor(v) && fabs(v) < 9e15)
            json_object_set_new(o, key, json_integer((json_int_t)v));
        else
            json_object_set_new(o, key, json_real(v));
    }
}

static void set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, json_string(v ? v : ""));
}

static int json_begin(void *p, const struct mb_run_info *in, const struct mb_case *cases, size_t n)
{
    struct json_state *st = p;
    (void)cases, (void)n;
    st->root = json_object();
    st->benchmarks = json_array();
    st->reps = in->reps;
    if (!st->root || !st->benchmarks)
        return mb_fail(MB_ENOMEM, "out of memory");
    json_object_set_new(st->root, "context", mb_json_context(in));
    json_object_set(st->root, "benchmarks", st->benchmarks);
    return 0;
}

static json_t *entry(struct json_state *st, const struct mb_case *c, int phase, const char *suffix)
{
    char run_name[256], name[280];
    mb_entry_name(c, phase, run_name, sizeof run_name);
    snprintf(name, sizeof name, "%s%s%s", run_name, suffix ? "_" : "", suffix ? suffix : "");
    json_t *b = json_object();
    set_str(b, "name", name);
    set_num(b, "family_index", (double)st->family);
    set_num(b, "per_family_instance_index", phase + 1);
    set_str(b, "run_name", run_name);
    set_str(b, "run_type", suffix ? "aggregate" : "iteration");
    set_num(b, "repetitions", st->reps);
    set_num(b, "threads", 1);
    /* Google Benchmark's per-benchmark label (SetLabel) carries what a
     * case's figures do not say by themselves, as the console and CSV do. */
    if (c->note[0])
        set_str(b, "label", c->note);
    return b;
}

/* Google Benchmark's fields of an entry that failed. */
static void set_error(json_t *b, const char *msg, double iterations)
{
    json_object_set_new(b, "error_occurred", json_true());
    set_str(b, "error_message", msg);
    set_num(b, "iterations", iterations);
    set_num(b, "real_time", 0);
    set_num(b, "cpu_time", 0);
    set_str(b, "time_unit", "ns");
}

static void set_params(json_t *b, const struct mb_case *c)
{
    json_t *o = json_object();
    for (size_t i = 0; i < c->nparams; i++)
        set_str(o, c->params[i].key, c->params[i].value);
    json_object_set_new(b, "params", o);
}

static int json_sample(void *p, const struct mb_case *c, const struct mb_sample *s)
{
    struct json_state *st = p;
    json_t *b = entry(st, c, s->phase, NULL);
    st->last = c;
    set_num(b, "repetition_index", s->rep);
    if (!s->cache_ok) {
        char msg[160];
        snprintf(msg, sizeof msg, "not %s: %.0f of %.0f pages resident before the timed region",
                 mb_cache_name(c->cache), s->v[MB_F_RESIDENT_BEFORE], s->v[MB_F_FILE_PAGES]);
        set_error(b, msg, (double)s->passes);
        return json_array_append_new(st->benchmarks, b) ? MB_ENOMEM : 0;
    }
    set_num(b, "iterations", (double)s->passes);
    set_num(b, "real_time", s->v[MB_F_WALL]);
    if (mb_sample_has(s, MB_F_CPU))
        set_num(b, "cpu_time", s->v[MB_F_CPU]);
    set_str(b, "time_unit", "ns");
    for (int f = 0; f < MB_F_COUNT; f++)
        if (f != MB_F_WALL && f != MB_F_CPU && mb_sample_has(s, (enum mb_field)f))
            set_num(b, mb_fields[f].name, s->v[f]);
    for (size_t k = 0; k < c->nmetrics; k++)
        if ((s->metric_valid >> k) & 1u)
            set_num(b, c->metrics[k], s->metric[k]);
    set_num(b, "order", s->order);
    set_params(b, c);
    return json_array_append_new(st->benchmarks, b) ? MB_ENOMEM : 0;
}

static const char *const json_aggregates[] = {"mean", "median", "stddev", "cv"};

static void set_aggregate(json_t *b, const struct mb_case *c, const struct mb_summary *s,
                          const char *agg)
{
    set_str(b, "aggregate_name", agg);
    set_str(b, "aggregate_unit", strcmp(agg, "cv") == 0 ? "percentage" : "time");
    set_num(b, "iterations", (double)s->n);
    set_num(b, "real_time", mb_summary_get(s, MB_F_WALL, agg));
    set_num(b, "cpu_time", mb_summary_get(s, MB_F_CPU, agg));
    set_str(b, "time_unit", "ns");
    for (int f = 0; f < MB_F_COUNT; f++)
        if (f != MB_F_WALL && f != MB_F_CPU)
            set_num(b, mb_fields[f].name, mb_summary_get(s, (enum mb_field)f, agg));
    if (strcmp(agg, "median") == 0)
        for (size_t k = 0; k < c->nmetrics; k++)
            if ((s->metric_valid >> k) & 1u)
                set_num(b, c->metrics[k], s->metric_median[k]);
    set_num(b, "cache_misses", (double)s->cache_misses);
}

static int json_aggregate(void *p, const struct mb_case *c, const struct mb_summary *s)
{
    struct json_state *st = p;
    if (c->status || !s->n) {
        /* A failed case is one error entry, unless its repetitions already
         * said why each failed (so a reader counts it once). */
        if (st->last != c && s->phase < 0) {
            json_t *b = entry(st, c, -1, NULL);
            set_error(b, c->error[0] ? c->error : mb_strerror(c->status), 0);
            if (json_array_append_new(st->benchmarks, b))
                return MB_ENOMEM;
        }
    } else {
        for (size_t a = 0; a < sizeof json_aggregates / sizeof json_aggregates[0]; a++) {
            json_t *b = entry(st, c, s->phase, json_aggregates[a]);
            set_aggregate(b, c, s, json_aggregates[a]);
            if (json_array_append_new(st->benchmarks, b))
                return MB_ENOMEM;
        }
    }
    if (s->phase < 0)
        st->family++;
    return 0;
}

static int json_end(void *p, bool ok)
{
    struct json_state *st = p;
    if (!st->root)
        return 0;
    int rc = 0;
    if (ok) {
        char *tmp = NULL;
        FILE *f = mb_report_open_tmp(st->path, &tmp);
        if (!f)
            rc = MB_EENV;
        else {
            if (json_dumpf(st->root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
                rc = mb_fail(MB_EENV, "writing JSON failed");
            fputc('\n', f);
            int rc2 = mb_report_close_tmp(f, tmp, st->path, rc == 0);
            if (!rc)
                rc = rc2;
        }
    }
    json_decref(st->benchmarks);
    json_decref(st->root);
    st->root = st->benchmarks = NULL;
    return rc;
}

static void json_destroy(void *p)
{
    struct json_state *st = p;
    if (!st)
        return;
    json_decref(st->benchmarks);
    json_decref(st->root);
    free(st->path);
    free(st);
}

static const struct mb_reporter_ops json_ops = {
    .name = "json",
    .begin = json_begin,
    .sample = json_sample,
    .aggregate = json_aggregate,
    .end = json_end,
    .destroy = json_destroy,
};

int mb_reporter_json(struct mb_reporter *r, const char *dir, FILE *console)
{
    (void)console;
    struct json_state *st = calloc(1, sizeof *st);
    size_t len = strlen(dir) + 16;
    char *path = malloc(len);
    if (!st || !path) {
        free(st);
        free(path);
        return mb_fail(MB_ENOMEM, "out of memory");
    }
    snprintf(path, len, "%s/results.json", dir);
    st->path = path;
    r->ops = &json_ops;
    r->st = st;
    return 0;
}
