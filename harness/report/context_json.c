/* The "context" object of results.json. Strings go to jansson as they are:
 * it escapes them. */
#include <math.h>

#include "context_json.h"

static void num(json_t *o, const char *key, double v)
{
    if (isfinite(v))
        json_object_set_new(o, key, v == floor(v) && fabs(v) < 9e15 ? json_integer((json_int_t)v)
                                                                    : json_real(v));
}

/* jansson takes UTF-8 only; a command line or path may hold any bytes, and
 * those that are not ASCII are then written as '?' rather than dropped. */
static void str(json_t *o, const char *key, const char *v)
{
    json_t *s = json_string(v ? v : "");
    if (!s) {
        char buf[4096];
        size_t i = 0;
        for (; v[i] && i < sizeof buf - 1; i++)
            buf[i] = (unsigned char)v[i] < 0x80 ? v[i] : '?';
        buf[i] = '\0';
        s = json_string(buf);
    }
    json_object_set_new(o, key, s);
}

/* The fields Google Benchmark writes, so dashboards made for it read ours. */
static void gbench_fields(json_t *ctx, const struct mb_run_info *in)
{
    const struct mb_env *e = in->env;
    str(ctx, "date", in->date);
    str(ctx, "host_name", e->hostname);
    str(ctx, "executable", "mmbench");
    num(ctx, "num_cpus", e->num_cpus);
    if (e->mhz_per_cpu > 0)
        num(ctx, "mhz_per_cpu", round(e->mhz_per_cpu));
    if (e->cpu_scaling >= 0)
        json_object_set_new(ctx, "cpu_scaling_enabled", json_boolean(e->cpu_scaling));
    json_t *caches = json_array();
    for (size_t i = 0; i < e->ncaches; i++) {
        json_t *c = json_object();
        str(c, "type", e->caches[i].type);
        num(c, "level", e->caches[i].level);
        num(c, "size", (double)e->caches[i].size);
        num(c, "num_sharing", e->caches[i].num_sharing);
        json_array_append_new(caches, c);
    }
    json_object_set_new(ctx, "caches", caches);
    if (e->has_load_avg)
        json_object_set_new(ctx, "load_avg",
                            json_pack("[fff]", e->load_avg[0], e->load_avg[1], e->load_avg[2]));
    str(ctx, "library_version", in->version);
    str(ctx, "library_build_type", in->build_type);
    num(ctx, "json_schema_version", 1);
}

static void machine_fields(json_t *ctx, const struct mb_env *e)
{
    str(ctx, "os", e->os);
    str(ctx, "kernel", e->kernel);
    str(ctx, "arch", e->arch);
    str(ctx, "cpu", e->cpu);
    str(ctx, "filesystem", e->fs_type);
    num(ctx, "page_size", (double)e->page_size);
    num(ctx, "allocation_granularity", (double)e->alloc_granularity);
    str(ctx, "thp", e->thp);
    if (e->readahead_kb >= 0)
        num(ctx, "readahead_kb", (double)e->readahead_kb);
    json_object_set_new(ctx, "under_wine", json_boolean(e->under_wine));
    if (e->under_wine) {
        str(ctx, "wine_version", e->wine_version);
        str(ctx, "timing_note", "measured under Wine: these are not Windows timings");
    }
    if (e->counters_note[0])
        str(ctx, "counters_note", e->counters_note);
    if (e->cache_note[0])
        str(ctx, "cache_note", e->cache_note);
}

json_t *mb_json_context(const struct mb_run_info *in)
{
    json_t *ctx = json_object();
    gbench_fields(ctx, in);
    str(ctx, "mmbench_version", in->version);
    str(ctx, "git_commit", in->git_commit);
    str(ctx, "command_line", in->command_line);
    str(ctx, "suite", in->suite);
    machine_fields(ctx, in->env);
    num(ctx, "timer_resolution_ns", (double)in->timer_resolution_ns);
    num(ctx, "timer_overhead_ns", in->timer_overhead_ns);
    num(ctx, "repetitions", in->reps);
    num(ctx, "warmup", in->warmup);
    num(ctx, "seed", (double)in->seed);
    str(ctx, "order", in->interleaved ? "interleaved" : "case");
    json_t *opts = json_object();
    for (size_t i = 0; i < in->nopts; i++)
        str(opts, in->opt_names[i], in->opt_values[i]);
    json_object_set_new(ctx, "options", opts);
    return ctx;
}
