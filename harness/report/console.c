/* Console reporter: the run's description when it starts, then, once every
 * case is done, an aligned table with one row per case (and phase): the
 * median time, its p90 and cv, and the median of every field that has a
 * console column (fields.def) and a value in at least one row. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "reporters.h"

struct row {
    char name[256];
    const struct mb_case *c;
    struct mb_summary s;
};

struct console_state {
    FILE *out;
    struct row *rows;
    size_t n, cap;
    size_t failed, unstable, unsupported;
};

static void human_ns(char *buf, size_t len, double ns)
{
    if (isnan(ns))
        snprintf(buf, len, "-");
    else if (ns < 1e4)
        snprintf(buf, len, "%.0f ns", ns);
    else if (ns < 1e7)
        snprintf(buf, len, "%.1f us", ns / 1e3);
    else
        snprintf(buf, len, "%.2f ms", ns / 1e6);
}

/* A median in the unit its column shows. */
static void cell(char *buf, size_t len, enum mb_field f, double v)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else if (strcmp(mb_fields[f].unit, "ns") == 0)
        human_ns(buf, len, v);
    else if (strcmp(mb_fields[f].unit, "bytes/s") == 0)
        snprintf(buf, len, "%.1f", v / (1024.0 * 1024.0));
    else
        mb_fmt_num(buf, len, round(v * 10) / 10);
}

static int console_begin(void *p, const struct mb_run_info *in, const struct mb_case *cases,
                         size_t n)
{
    struct console_state *st = p;
    const struct mb_env *e = in->env;
    (void)cases;
    fprintf(st->out, "mmbench %s%s%s  suite %s  %s  %zu cases\n", in->version,
            in->git_commit[0] ? " @" : "", in->git_commit, in->suite, in->date, n);
    fprintf(st->out, "%s %s | %s x%u | fs %s | page %zu | THP %s | readahead %ld KiB\n", e->os,
            e->kernel, e->cpu, e->num_cpus, e->fs_type, e->page_size, e->thp, e->readahead_kb);
    fprintf(st->out,
            "timer: resolution %llu ns, overhead %.1f ns per reading | %u reps, %u warm-up "
            "each | order: %s\n",
            (unsigned long long)in->timer_resolution_ns, in->timer_overhead_ns, in->reps,
            in->warmup, in->interleaved ? "interleaved (seeded)" : "case by case");
    if (e->under_wine)
        fprintf(st->out, "running under Wine %s: these are not Windows timings\n", e->wine_version);
    if (e->counters_note[0])
        fprintf(st->out, "counters: %s\n", e->counters_note);
    if (e->cache_note[0])
        fprintf(st->out, "cache: %s\n", e->cache_note);
    return fflush(st->out) == 0 ? 0 : mb_fail(MB_EENV, "writing to the console failed");
}

static int console_aggregate(void *p, const struct mb_case *c, const struct mb_summary *s)
{
    struct console_state *st = p;
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        struct row *r = realloc(st->rows, cap * sizeof *r);
        if (!r)
            return mb_fail(MB_ENOMEM, "out of memory");
        st->rows = r;
        st->cap = cap;
    }
    struct row *r = &st->rows[st->n++];
    char name[256];
    mb_entry_name(c, s->phase, name, sizeof name);
    size_t sl = strlen(c->suite);
    const char *shown = strncmp(name, c->suite, sl) == 0 && name[sl] == '/' ? name + sl + 1 : name;
    snprintf(r->name, sizeof r->name, "%s", shown);
    r->c = c;
    r->s = *s;
    return 0;
}

/* The console columns that have a value in some row. */
static mb_fieldset shown_fields(const struct console_state *st)
{
    mb_fieldset any = 0;
    for (size_t i = 0; i < st->n; i++)
        any |= st->rows[i].s.n ? st->rows[i].s.valid : 0;
    mb_fieldset cols = 0;
    for (int f = 0; f < MB_F_COUNT; f++)
        if (f != MB_F_WALL && mb_fields[f].console && ((any >> f) & 1u))
            cols |= MB_FIELD_BIT(f);
    return cols;
}

static int name_width(const struct console_state *st)
{
    size_t w = 4;
    for (size_t i = 0; i < st->n; i++)
        if (strlen(st->rows[i].name) > w)
            w = strlen(st->rows[i].name);
    return (int)(w > 70 ? 70 : w);
}

static void print_row(struct console_state *st, const struct row *r, mb_fieldset cols, int w)
{
    FILE *f = st->out;
    const struct mb_summary *s = &r->s;
    if (r->c->status) {
        if (s->phase >= 0)
            return; /* one line for the whole case */
        if (r->c->status == MB_EUNSUPPORTED) {
            st->unsupported++;
            fprintf(f, "%-*s unsupported here: %s\n", w, r->name, r->c->error);
        } else {
            st->failed++;
            fprintf(f, "%-*s FAILED (%s): %s\n", w, r->name, mb_strerror(r->c->status),
                    r->c->error);
        }
        return;
    }
    char med[32], p90[32], buf[32];
    human_ns(med, sizeof med, mb_summary_get(s, MB_F_WALL, "median"));
    human_ns(p90, sizeof p90, mb_summary_get(s, MB_F_WALL, "p90"));
    double cv = 100 * mb_summary_get(s, MB_F_WALL, "cv");
    fprintf(f, "%-*s %4zu %10s %10s %5.1f%s", w, r->name, s->n, med, p90, cv,
            s->unstable ? "!" : " ");
    for (int k = 0; k < MB_F_COUNT; k++)
        if ((cols >> k) & 1u) {
            cell(buf, sizeof buf, (enum mb_field)k, mb_summary_get(s, (enum mb_field)k, "median"));
            fprintf(f, " %9s", buf);
        }
    if (s->cache_misses)
        fprintf(f, "  (%zu reps not %s, excluded)", s->cache_misses, mb_cache_name(r->c->cache));
    fputc('\n', f);
    if (r->c->note[0] && s->phase < 0)
        fprintf(f, "%-*s   note: %s\n", w, "", r->c->note);
    if (s->unstable && s->phase < 0)
        st->unstable++;
}

static void print_footer(struct console_state *st)
{
    FILE *f = st->out;
    if (st->unstable)
        fprintf(f, "! cv above %.0f%%: %zu case(s) unstable; medians are still usable, means "
                   "less so (a busy machine, or too few passes)\n",
                100 * MB_CV_WARN, st->unstable);
    fprintf(f, "times and counters are medians per pass; MiB/s from work_bytes; res = file "
               "pages resident before the timed region\n");
    if (st->unsupported)
        fprintf(f, "%zu case(s) unsupported on this platform (reasons above)\n", st->unsupported);
    if (st->failed)
        fprintf(f, "%zu case(s) FAILED\n", st->failed);
}

static int console_end(void *p, bool ok)
{
    struct console_state *st = p;
    if (!ok)
        return 0;
    FILE *f = st->out;
    mb_fieldset cols = shown_fields(st);
    int w = name_width(st);
    fprintf(f, "\n%-*s %4s %10s %10s %6s", w, "case", "n", "median", "p90", "cv%");
    for (int k = 0; k < MB_F_COUNT; k++)
        if ((cols >> k) & 1u)
            fprintf(f, " %9s", mb_fields[k].console);
    fputc('\n', f);
    for (size_t i = 0; i < st->n; i++)
        print_row(st, &st->rows[i], cols, w);
    print_footer(st);
    if (fflush(f) != 0 || ferror(f))
        return mb_fail(MB_EENV, "writing to the console failed");
    return 0;
}

static void console_destroy(void *p)
{
    struct console_state *st = p;
    if (st)
        free(st->rows);
    free(st);
}

static const struct mb_reporter_ops console_ops = {
    .name = "console",
    .begin = console_begin,
    .aggregate = console_aggregate,
    .end = console_end,
    .destroy = console_destroy,
};

int mb_reporter_console(struct mb_reporter *r, const char *dir, FILE *console)
{
    (void)dir;
    struct console_state *st = calloc(1, sizeof *st);
    if (!st)
        return mb_fail(MB_ENOMEM, "out of memory");
    st->out = console;
    r->ops = &console_ops;
    r->st = st;
    return 0;
}
