/* CSV reporter: samples.csv (one row per measured repetition) and
 * summary.csv (one row per case). Header on the first line, snake_case,
 * units in column names, C-locale numbers, rows in case order (series, then
 * x). Text fields go through libcsv, which quotes them when needed. Run
 * metadata follows the rows as "# key: value" lines, which gnuplot and
 * pandas (comment='#') skip. */
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/report.h"

struct csv_state {
    char *dir;
    char *samples_path, *summary_path;
    char *samples_tmp, *summary_tmp;
    FILE *samples, *summary;
    bool header_done;
    const struct mb_run_info *info;
};

static void put_text(FILE *f, const char *s, bool first)
{
    if (!first)
        fputc(',', f);
    if (strpbrk(s, ",\"\r\n") || (s[0] == ' ' || (*s && s[strlen(s) - 1] == ' ')))
        csv_fwrite(f, s, strlen(s));
    else
        fputs(s, f);
}

static void put_num(FILE *f, double v, bool known)
{
    char buf[64];
    fputc(',', f);
    if (known)
        fputs(mb_fmt_num(buf, sizeof buf, v), f);
}

static void put_int(FILE *f, long long v, bool known)
{
    fputc(',', f);
    if (known)
        fprintf(f, "%lld", v);
}

static void series_header(FILE *f, const struct mb_case *c)
{
    fputs("suite,case,method,cache,readahead", f);
    for (size_t i = 0; i < c->nparams; i++)
        fprintf(f, ",%s", c->params[i].key);
}

static void series_values(FILE *f, const struct mb_case *c)
{
    put_text(f, c->suite, true);
    put_text(f, c->name, false);
    put_text(f, c->method->name, false);
    put_text(f, mb_cache_name(c->cache), false);
    put_text(f, c->readahead_off ? "off" : "default", false);
    for (size_t i = 0; i < c->nparams; i++)
        put_text(f, c->params[i].value, false);
}

static void write_headers(struct csv_state *st, const struct mb_case *c)
{
    series_header(st->samples, c);
    fputs(",rep,passes,cache_ok,checksum_ok,resident_before,file_pages", st->samples);
    for (int f = 0; f < MB_F_COUNT; f++)
        fprintf(st->samples, ",%s", mb_fields[f].name);
    fputc('\n', st->samples);

    series_header(st->summary, c);
    fputs(",status,n,reps,cache_misses", st->summary);
    for (size_t k = 0; k < mb_nstats; k++)
        fprintf(st->summary, ",%s_%s", mb_fields[MB_F_WALL].name, mb_stats[k].name);
    for (int f = MB_F_WALL + 1; f < MB_F_COUNT; f++)
        fprintf(st->summary, ",%s_median", mb_fields[f].name);
    fputs(",resident_before_median,file_pages,note\n", st->summary);
    st->header_done = true;
}

static int csv_begin(struct mb_reporter *r, const struct mb_run_info *info)
{
    struct csv_state *st = r->state;
    st->info = info;
    st->samples = mb_report_open_tmp(st->samples_path, &st->samples_tmp);
    if (!st->samples)
        return MB_EENV;
    st->summary = mb_report_open_tmp(st->summary_path, &st->summary_tmp);
    if (!st->summary)
        return MB_EENV;
    return 0;
}

static int csv_sample(struct mb_reporter *r, const struct mb_case *c, const struct mb_sample *s)
{
    struct csv_state *st = r->state;
    if (!st->header_done)
        write_headers(st, c);
    FILE *f = st->samples;
    series_values(f, c);
    put_int(f, s->rep, true);
    put_int(f, (long long)s->passes, true);
    put_int(f, s->cache_ok, true);
    put_int(f, s->checksum_ok, true);
    put_int(f, s->resident_before, s->resident_before >= 0);
    put_int(f, s->file_pages, s->file_pages >= 0);
    for (int k = 0; k < MB_F_COUNT; k++)
        put_num(f, s->v[k], mb_sample_has(s, (enum mb_field)k));
    fputc('\n', f);
    return 0;
}

static int csv_aggregate(struct mb_reporter *r, const struct mb_case *c, const struct mb_summary *s)
{
    struct csv_state *st = r->state;
    if (!st->header_done)
        write_headers(st, c);
    FILE *f = st->summary;
    series_values(f, c);
    put_text(f, c->status ? mb_strerror(c->status) : "ok", false);
    put_int(f, (long long)s->n, true);
    put_int(f, (long long)s->reps, true);
    put_int(f, (long long)s->cache_misses, true);
    bool wall = s->n && (s->valid & 1u);
    for (size_t k = 0; k < mb_nstats; k++)
        put_num(f, s->stat[MB_F_WALL][k], wall);
    for (int k = MB_F_WALL + 1; k < MB_F_COUNT; k++)
        put_num(f, mb_summary_get(s, (enum mb_field)k, "median"), s->n && ((s->valid >> k) & 1u));
    put_num(f, s->resident_before_median, s->resident_before_median >= 0);
    put_int(f, s->file_pages, s->file_pages >= 0);
    char note[400] = "";
    if (c->status)
        snprintf(note, sizeof note, "%s", c->error);
    else if (s->unstable)
        snprintf(note, sizeof note, "unstable: cv %.1f%% > %.0f%%",
                 100 * mb_summary_get(s, MB_F_WALL, "cv"), 100 * MB_CV_WARN);
    if (!c->status && s->cache_misses) {
        size_t len = strlen(note);
        snprintf(note + len, sizeof note - len, "%s%zu of %zu repetitions not %s (excluded)",
                 len ? "; " : "", s->cache_misses, s->reps, mb_cache_name(c->cache));
    }
    put_text(f, note, false);
    fputc('\n', f);
    return 0;
}

static void footer(FILE *f, const struct mb_run_info *in)
{
    const struct mb_env *e = in->env;
    fprintf(f, "# mmbench_version: %s\n", in->version);
    fprintf(f, "# git_commit: %s\n", in->git_commit);
    fprintf(f, "# command_line: %s\n", in->command_line);
    fprintf(f, "# date: %s\n", in->date);
    fprintf(f, "# os: %s\n# kernel: %s\n# cpu: %s\n# num_cpus: %u\n", e->os, e->kernel, e->cpu,
            e->num_cpus);
    fprintf(f, "# filesystem: %s\n# page_size: %zu\n# thp: %s\n# readahead_kb: %ld\n", e->fs_type,
            e->page_size, e->thp, e->readahead_kb);
    if (e->under_wine)
        fprintf(f, "# under_wine: %s (timings are not Windows timings)\n", e->wine_version);
    if (e->counters_note[0])
        fprintf(f, "# counters_note: %s\n", e->counters_note);
    if (e->cache_note[0])
        fprintf(f, "# cache_note: %s\n", e->cache_note);
}

static int csv_end(struct mb_reporter *r, bool ok)
{
    struct csv_state *st = r->state;
    int rc = 0, rc2;
    if (st->samples) {
        if (ok)
            footer(st->samples, st->info);
        rc = mb_report_close_tmp(st->samples, st->samples_tmp, st->samples_path, ok);
        st->samples = NULL;
    }
    if (st->summary) {
        if (ok)
            footer(st->summary, st->info);
        rc2 = mb_report_close_tmp(st->summary, st->summary_tmp, st->summary_path, ok);
        st->summary = NULL;
        if (!rc)
            rc = rc2;
    }
    return rc;
}

static void csv_destroy(struct mb_reporter *r)
{
    if (!r)
        return;
    struct csv_state *st = r->state;
    if (st) {
        csv_end(r, false);
        free(st->samples_path);
        free(st->summary_path);
        free(st->dir);
        free(st);
    }
    free(r);
}

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%s", dir, name);
    return p;
}

struct mb_reporter *mb_reporter_csv(const char *dir)
{
    struct mb_reporter *r = calloc(1, sizeof *r);
    struct csv_state *st = calloc(1, sizeof *st);
    if (!r || !st) {
        free(r);
        free(st);
        return NULL;
    }
    st->dir = strdup(dir);
    st->samples_path = join(dir, "samples.csv");
    st->summary_path = join(dir, "summary.csv");
    r->name = "csv";
    r->state = st;
    r->begin = csv_begin;
    r->sample = csv_sample;
    r->aggregate = csv_aggregate;
    r->end = csv_end;
    r->destroy = csv_destroy;
    if (!st->dir || !st->samples_path || !st->summary_path) {
        csv_destroy(r);
        return NULL;
    }
    return r;
}
