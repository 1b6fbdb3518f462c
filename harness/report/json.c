/* JSON reporter in Google Benchmark's schema (json_schema_version 1), so
 * that compare.py and the dashboards that read Google Benchmark read mmbench
 * unchanged: iteration entries per repetition, then mean / median / stddev /
 * cv aggregates, counters as extra numeric fields. jansson refuses NaN and
 * Infinity, and so do we: an unknown value is left out. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/report.h"

struct json_state {
    char *path;
    json_t *root, *benchmarks;
    size_t family;
    unsigned reps;
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

static int json_begin(struct mb_reporter *r, const struct mb_run_info *in)
{
    struct json_state *st = r->state;
    const struct mb_env *e = in->env;
    json_t *ctx = json_object();
    set_str(ctx, "date", in->date);
    set_str(ctx, "host_name", e->hostname);
    set_str(ctx, "executable", "mmbench");
    set_num(ctx, "num_cpus", e->num_cpus);
    if (e->has_load_avg)
        json_object_set_new(ctx, "load_avg",
                            json_pack("[fff]", e->load_avg[0], e->load_avg[1], e->load_avg[2]));
    set_str(ctx, "library_build_type", "release");
    set_num(ctx, "json_schema_version", 1);
    set_str(ctx, "mmbench_version", in->version);
    set_str(ctx, "git_commit", in->git_commit);
    set_str(ctx, "command_line", in->command_line);
    set_str(ctx, "suite", in->suite);
    set_str(ctx, "os", e->os);
    set_str(ctx, "kernel", e->kernel);
    set_str(ctx, "arch", e->arch);
    set_str(ctx, "cpu", e->cpu);
    set_str(ctx, "filesystem", e->fs_type);
    set_num(ctx, "page_size", (double)e->page_size);
    set_num(ctx, "allocation_granularity", (double)e->alloc_granularity);
    set_str(ctx, "thp", e->thp);
    if (e->readahead_kb >= 0)
        set_num(ctx, "readahead_kb", (double)e->readahead_kb);
    json_object_set_new(ctx, "under_wine", json_boolean(e->under_wine));
    if (e->under_wine) {
        set_str(ctx, "wine_version", e->wine_version);
        set_str(ctx, "timing_note", "measured under Wine: these are not Windows timings");
    }
    if (e->counters_note[0])
        set_str(ctx, "counters_note", e->counters_note);
    if (e->cache_note[0])
        set_str(ctx, "cache_note", e->cache_note);
    set_num(ctx, "timer_resolution_ns", (double)in->timer_resolution_ns);
    set_num(ctx, "timer_overhead_ns", in->timer_overhead_ns);
    set_num(ctx, "repetitions", in->reps);
    set_num(ctx, "warmup", in->warmup);
    set_num(ctx, "seed", (double)in->seed);
    json_t *opts = json_object();
    for (size_t i = 0; i < in->nopts; i++)
        set_str(opts, in->opt_names[i], in->opt_values[i]);
    json_object_set_new(ctx, "options", opts);

    st->root = json_object();
    st->benchmarks = json_array();
    st->reps = in->reps;
    json_object_set_new(st->root, "context", ctx);
    json_object_set(st->root, "benchmarks", st->benchmarks);
    return 0;
}

static json_t *entry(struct json_state *st, const struct mb_case *c, const char *name)
{
    json_t *b = json_object();
    set_str(b, "name", name);
    set_num(b, "family_index", (double)st->family);
    set_num(b, "per_family_instance_index", 0);
    set_str(b, "run_name", c->name);
    return b;
}

static int json_sample(struct mb_reporter *r, const struct mb_case *c, const struct mb_sample *s)
{
    struct json_state *st = r->state;
    json_t *b = entry(st, c, c->name);
    set_str(b, "run_type", "iteration");
    set_num(b, "repetitions", st->reps);
    set_num(b, "repetition_index", s->rep);
    set_num(b, "threads", 1);
    set_num(b, "iterations", (double)s->passes);
    if (!s->cache_ok) {
        /* Left without times so that no reader counts it as a sample of the
         * requested cache state. */
        json_object_set_new(b, "error_occurred", json_true());
        char msg[160];
        snprintf(msg, sizeof msg, "not %s: %lld of %lld pages resident before the timed region",
                 mb_cache_name(c->cache), (long long)s->resident_before, (long long)s->file_pages);
        set_str(b, "error_message", msg);
        json_array_append_new(st->benchmarks, b);
        return 0;
    }
    set_num(b, "real_time", s->v[MB_F_WALL]);
    if (mb_sample_has(s, MB_F_CPU))
        set_num(b, "cpu_time", s->v[MB_F_CPU]);
    else if (mb_sample_has(s, MB_F_USER) && mb_sample_has(s, MB_F_SYS))
        set_num(b, "cpu_time", s->v[MB_F_USER] + s->v[MB_F_SYS]);
    set_str(b, "time_unit", "ns");
    for (int f = MB_F_CPU + 1; f < MB_F_COUNT; f++)
        if (mb_sample_has(s, (enum mb_field)f))
            set_num(b, mb_fields[f].name, s->v[f]);
    if (s->resident_before >= 0)
        set_num(b, "resident_before", (double)s->resident_before);
    if (s->file_pages >= 0)
        set_num(b, "file_pages", (double)s->file_pages);
    set_num(b, "checksum_ok", s->checksum_ok);
    json_array_append_new(st->benchmarks, b);
    return 0;
}

static const char *const json_aggregates[] = {"mean", "median", "stddev", "cv"};

static int json_aggregate(struct mb_reporter *r, const struct mb_case *c, const struct mb_summary *s)
{
    struct json_state *st = r->state;
    if (c->status || !s->n) {
        json_t *b = entry(st, c, c->name);
        set_str(b, "run_type", "iteration");
        json_object_set_new(b, "error_occurred", json_true());
        set_str(b, "error_message", c->error[0] ? c->error : mb_strerror(c->status));
        json_array_append_new(st->benchmarks, b);
        st->family++;
        return 0;
    }
    for (size_t a = 0; a < sizeof json_aggregates / sizeof json_aggregates[0]; a++) {
        const char *agg = json_aggregates[a];
        char name[256];
        snprintf(name, sizeof name, "%s_%s", c->name, agg);
        json_t *b = entry(st, c, name);
        set_str(b, "run_type", "aggregate");
        set_num(b, "repetitions", (double)s->reps);
        set_num(b, "threads", 1);
        set_str(b, "aggregate_name", agg);
        set_str(b, "aggregate_unit", strcmp(agg, "cv") == 0 ? "percentage" : "time");
        set_num(b, "iterations", (double)s->n);
        set_num(b, "real_time", mb_summary_get(s, MB_F_WALL, agg));
        set_num(b, "cpu_time", mb_summary_get(s, MB_F_CPU, agg));
        set_str(b, "time_unit", "ns");
        for (int f = MB_F_CPU + 1; f < MB_F_COUNT; f++)
            set_num(b, mb_fields[f].name, mb_summary_get(s, (enum mb_field)f, agg));
        if (strcmp(agg, "median") == 0 && s->resident_before_median >= 0)
            set_num(b, "resident_before", s->resident_before_median);
        set_num(b, "cache_misses", (double)s->cache_misses);
        json_array_append_new(st->benchmarks, b);
    }
    st->family++;
    return 0;
}

static int json_end(struct mb_reporter *r, bool ok)
{
    struct json_state *st = r->state;
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

static void json_destroy(struct mb_reporter *r)
{
    if (!r)
        return;
    struct json_state *st = r->state;
    if (st) {
        json_decref(st->benchmarks);
        json_decref(st->root);
        free(st->path);
        free(st);
    }
    free(r);
}

struct mb_reporter *mb_reporter_json(const char *dir)
{
    struct mb_reporter *r = calloc(1, sizeof *r);
    struct json_state *st = calloc(1, sizeof *st);
    size_t len = strlen(dir) + 16;
    char *path = malloc(len);
    if (!r || !st || !path) {
        free(r);
        free(st);
        free(path);
        return NULL;
    }
    snprintf(path, len, "%s/results.json", dir);
    st->path = path;
    r->name = "json";
    r->state = st;
    r->begin = json_begin;
    r->sample = json_sample;
    r->aggregate = json_aggregate;
    r->end = json_end;
    r->destroy = json_destroy;
    return r;
}
