/* CSV reporter: samples.csv (one row per sample) and summary.csv (one row per
 * case and phase). Plain tables: a header on the first line and nothing but
 * rows after it, snake_case names with units, C-locale numbers, rows in
 * plan order (series, then x). The parameter and metric columns are the
 * union over every case of the run; a case without one leaves it empty, as
 * it does an unavailable counter. Text goes through libcsv, which quotes
 * it when needed. Run metadata lives in results.json. */
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "reporters.h"

#define MAX_COLS 64

struct csv_state {
    char *samples_path, *summary_path;
    char *samples_tmp, *summary_tmp;
    FILE *samples, *summary;
    const char *params[MAX_COLS];   /* union of parameter keys, first-seen order */
    size_t nparams;
    const char *metrics[MAX_COLS];  /* union of metric names */
    size_t nmetrics;
};

/* Quoted (by libcsv) only when the text needs it, so that plain values read
 * the same in every tool. */
static void put_text(FILE *f, const char *s, bool first)
{
    if (!first)
        fputc(',', f);
    if (strpbrk(s, ",\"\r\n") || s[0] == ' ' || (*s && s[strlen(s) - 1] == ' '))
        csv_fwrite(f, s, strlen(s));
    else
        fputs(s, f);
}

static void put_num(FILE *f, double v, bool known)
{
    char buf[64];
    fputc(',', f);
    if (known && isfinite(v))
        fputs(mb_fmt_num(buf, sizeof buf, v), f);
}

static void put_int(FILE *f, long long v)
{
    fprintf(f, ",%lld", v);
}

static int add_name(const char **set, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(set[i], name) == 0)
            return 0;
    if (*n == MAX_COLS)
        return mb_fail(MB_EUSAGE, "more than %d distinct parameters or metrics in one run",
                       MAX_COLS);
    set[(*n)++] = name;
    return 0;
}

static int metric_index(const struct mb_case *c, const char *name)
{
    for (size_t k = 0; k < c->nmetrics; k++)
        if (strcmp(c->metrics[k], name) == 0)
            return (int)k;
    return -1;
}

static void series_header(const struct csv_state *st, FILE *f)
{
    fputs("suite,case", f);
    for (size_t i = 0; i < st->nparams; i++)
        fprintf(f, ",%s", st->params[i]);
    fputs(",phase", f);
}

static void series_values(const struct csv_state *st, FILE *f, const struct mb_case *c, int phase)
{
    put_text(f, c->suite, true);
    put_text(f, c->name, false);
    for (size_t i = 0; i < st->nparams; i++) {
        const char *v = mb_case_get(c, st->params[i]);
        put_text(f, v ? v : "", false);
    }
    put_text(f, phase >= 0 ? c->phases[phase] : "total", false);
}

static void write_headers(const struct csv_state *st)
{
    series_header(st, st->samples);
    fputs(",rep,order,passes,cache_ok,verified", st->samples);
    for (int f = 0; f < MB_F_COUNT; f++)
        fprintf(st->samples, ",%s", mb_fields[f].name);
    for (size_t k = 0; k < st->nmetrics; k++)
        fprintf(st->samples, ",%s", st->metrics[k]);
    fputc('\n', st->samples);

    series_header(st, st->summary);
    fputs(",status,n,reps,cache_misses", st->summary);
    for (int f = 0; f < MB_F_COUNT; f++) {
        bool all = mb_fields[f].stats == MB_STATS_ALL;
        for (size_t k = 0; k < MB_MAX_STATS; k++)
            if (all || strcmp(mb_stats[k].name, "median") == 0)
                fprintf(st->summary, ",%s_%s", mb_fields[f].name, mb_stats[k].name);
    }
    for (size_t k = 0; k < st->nmetrics; k++)
        fprintf(st->summary, ",%s_median", st->metrics[k]);
    fputs(",note\n", st->summary);
}

static int csv_begin(void *p, const struct mb_run_info *info, const struct mb_case *cases,
                     size_t n)
{
    struct csv_state *st = p;
    (void)info;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        for (size_t k = 0; k < cases[i].nparams && !rc; k++)
            rc = add_name(st->params, &st->nparams, cases[i].params[k].key);
        for (size_t k = 0; k < cases[i].nmetrics && !rc; k++)
            rc = add_name(st->metrics, &st->nmetrics, cases[i].metrics[k]);
    }
    if (rc)
        return rc;
    st->samples = mb_report_open_tmp(st->samples_path, &st->samples_tmp);
    if (!st->samples)
        return MB_EENV;
    st->summary = mb_report_open_tmp(st->summary_path, &st->summary_tmp);
    if (!st->summary)
        return MB_EENV;
    write_headers(st);
    return 0;
}

static int csv_sample(void *p, const struct mb_case *c, const struct mb_sample *s)
{
    struct csv_state *st = p;
    FILE *f = st->samples;
    series_values(st, f, c, s->phase);
    put_int(f, s->rep);
    put_int(f, s->order);
    put_int(f, (long long)s->passes);
    put_int(f, s->cache_ok);
    put_int(f, s->verified);
    for (int k = 0; k < MB_F_COUNT; k++)
        put_num(f, s->v[k], mb_sample_has(s, (enum mb_field)k));
    for (size_t k = 0; k < st->nmetrics; k++) {
        int m = metric_index(c, st->metrics[k]);
        put_num(f, m >= 0 ? s->metric[m] : 0, m >= 0 && ((s->metric_valid >> m) & 1u));
    }
    fputc('\n', f);
    return 0;
}

static void summary_note(const struct mb_case *c, const struct mb_summary *s, char *note,
                         size_t len)
{
    note[0] = '\0';
    if (c->status)
        snprintf(note, len, "%s", c->error);
    else if (s->unstable)
        snprintf(note, len, "unstable: cv %.1f%% > %.0f%%",
                 100 * mb_summary_get(s, MB_F_WALL, "cv"), 100 * MB_CV_WARN);
    if (!c->status && s->cache_misses) {
        size_t used = strlen(note);
        snprintf(note + used, len - used, "%s%zu of %zu repetitions not %s (excluded)",
                 used ? "; " : "", s->cache_misses, s->reps, mb_cache_name(c->cache));
    }
    if (!c->status && c->note[0]) {
        size_t used = strlen(note);
        snprintf(note + used, len - used, "%s%s", used ? "; " : "", c->note);
    }
}

static int csv_aggregate(void *p, const struct mb_case *c, const struct mb_summary *s)
{
    struct csv_state *st = p;
    FILE *f = st->summary;
    series_values(st, f, c, s->phase);
    put_text(f, c->status ? mb_strerror(c->status) : "ok", false);
    put_int(f, (long long)s->n);
    put_int(f, (long long)s->reps);
    put_int(f, (long long)s->cache_misses);
    for (int k = 0; k < MB_F_COUNT; k++) {
        bool all = mb_fields[k].stats == MB_STATS_ALL;
        bool known = s->n && ((s->valid >> k) & 1u);
        for (size_t j = 0; j < MB_MAX_STATS; j++)
            if (all || strcmp(mb_stats[j].name, "median") == 0)
                put_num(f, s->stat[k][j], known);
    }
    for (size_t k = 0; k < st->nmetrics; k++) {
        int m = metric_index(c, st->metrics[k]);
        put_num(f, m >= 0 ? s->metric_median[m] : 0,
                s->n && m >= 0 && ((s->metric_valid >> m) & 1u));
    }
    char note[400];
    summary_note(c, s, note, sizeof note);
    put_text(f, note, false);
    fputc('\n', f);
    return 0;
}

static int csv_end(void *p, bool ok)
{
    struct csv_state *st = p;
    int rc = 0, rc2 = 0;
    if (st->samples)
        rc = mb_report_close_tmp(st->samples, st->samples_tmp, st->samples_path, ok);
    if (st->summary)
        rc2 = mb_report_close_tmp(st->summary, st->summary_tmp, st->summary_path, ok);
    st->samples = st->summary = NULL;
    return rc ? rc : rc2;
}

static void csv_destroy(void *p)
{
    struct csv_state *st = p;
    if (!st)
        return;
    csv_end(st, false);
    free(st->samples_path);
    free(st->summary_path);
    free(st);
}

static const struct mb_reporter_ops csv_ops = {
    .name = "csv",
    .begin = csv_begin,
    .sample = csv_sample,
    .aggregate = csv_aggregate,
    .end = csv_end,
    .destroy = csv_destroy,
};

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%s", dir, name);
    return p;
}

int mb_reporter_csv(struct mb_reporter *r, const char *dir, FILE *console)
{
    (void)console;
    struct csv_state *st = calloc(1, sizeof *st);
    if (!st)
        return mb_fail(MB_ENOMEM, "out of memory");
    st->samples_path = join(dir, "samples.csv");
    st->summary_path = join(dir, "summary.csv");
    if (!st->samples_path || !st->summary_path) {
        csv_destroy(st);
        return mb_fail(MB_ENOMEM, "out of memory");
    }
    r->ops = &csv_ops;
    r->st = st;
    return 0;
}
