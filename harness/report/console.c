/* Console reporter: an aligned table, one row per case as it completes,
 * with the counters that tell the methods apart. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/report.h"

struct console_state {
    FILE *out;
    bool header_done;
    size_t failed, unstable, unsupported;
};

static void cell(FILE *f, const struct mb_summary *s, enum mb_field fld, int width)
{
    char buf[32];
    double v = mb_summary_get(s, fld, "median");
    if (isnan(v))
        fprintf(f, " %*s", width, "-");
    else
        fprintf(f, " %*s", width, mb_fmt_num(buf, sizeof buf, round(v * 10) / 10));
}

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

static int console_begin(struct mb_reporter *r, const struct mb_run_info *in)
{
    struct console_state *st = r->state;
    const struct mb_env *e = in->env;
    fprintf(st->out, "mmbench %s%s%s  suite %s  %s\n", in->version, in->git_commit[0] ? " @" : "",
            in->git_commit, in->suite, in->date);
    fprintf(st->out, "%s %s | %s x%u | fs %s | page %zu | THP %s | readahead %ld KiB\n", e->os,
            e->kernel, e->cpu, e->num_cpus, e->fs_type, e->page_size, e->thp, e->readahead_kb);
    fprintf(st->out, "timer: resolution %llu ns, overhead %.1f ns per reading | %u reps + %u warm-up\n",
            (unsigned long long)in->timer_resolution_ns, in->timer_overhead_ns, in->reps, in->warmup);
    if (e->under_wine)
        fprintf(st->out, "running under Wine %s: these are not Windows timings\n", e->wine_version);
    if (e->counters_note[0])
        fprintf(st->out, "counters: %s\n", e->counters_note);
    if (e->cache_note[0])
        fprintf(st->out, "cache: %s\n", e->cache_note);
    return 0;
}

static int console_sample(struct mb_reporter *r, const struct mb_case *c, const struct mb_sample *s)
{
    (void)r, (void)c, (void)s;
    return 0;
}

static int console_aggregate(struct mb_reporter *r, const struct mb_case *c, const struct mb_summary *s)
{
    struct console_state *st = r->state;
    FILE *f = st->out;
    if (!st->header_done) {
        fprintf(f, "\n%-50s %4s %10s %10s %6s %9s %9s %8s %6s %7s %7s %5s\n", "case", "n",
                "median", "p90", "cv%", "os_calls", "stor_KiB", "stor_ops", "dev_rd", "majflt",
                "minflt", "res");
        st->header_done = true;
    }
    const char *name = c->name;
    size_t sl = strlen(c->suite);
    if (strncmp(name, c->suite, sl) == 0 && name[sl] == '/')
        name += sl + 1;
    if (c->status == MB_EUNSUPPORTED) {
        st->unsupported++;
        fprintf(f, "%-50s unsupported here: %s\n", name, c->error);
        return 0;
    }
    if (c->status) {
        st->failed++;
        fprintf(f, "%-50s FAILED (%s): %s\n", name, mb_strerror(c->status), c->error);
        return 0;
    }
    char med[32], p90[32];
    human_ns(med, sizeof med, mb_summary_get(s, MB_F_WALL, "median"));
    human_ns(p90, sizeof p90, mb_summary_get(s, MB_F_WALL, "p90"));
    double cv = 100 * mb_summary_get(s, MB_F_WALL, "cv");
    fprintf(f, "%-50s %4zu %10s %10s %5.1f%s", name, s->n, med, p90, cv, s->unstable ? "!" : " ");
    cell(f, s, MB_F_OS_CALLS, 9);
    double kib = mb_summary_get(s, MB_F_STORAGE_BYTES, "median") / 1024.0;
    char buf[32];
    fprintf(f, " %9s", isnan(kib) ? "-" : mb_fmt_num(buf, sizeof buf, round(kib * 10) / 10));
    cell(f, s, MB_F_STORAGE_OPS, 8);
    cell(f, s, MB_F_DEVICE_READS, 6);
    cell(f, s, MB_F_MAJOR, 7);
    cell(f, s, MB_F_MINOR, 7);
    if (s->resident_before_median >= 0)
        fprintf(f, " %5.0f", s->resident_before_median);
    else
        fprintf(f, " %5s", "-");
    if (s->cache_misses)
        fprintf(f, "  (%zu reps not %s, excluded)", s->cache_misses, mb_cache_name(c->cache));
    fputc('\n', f);
    if (s->unstable)
        st->unstable++;
    return 0;
}

static int console_end(struct mb_reporter *r, bool ok)
{
    struct console_state *st = r->state;
    (void)ok;
    if (st->unstable)
        fprintf(st->out, "! cv above %.0f%%: %zu case(s) unstable; medians are still usable, "
                         "means less so (a busy machine, or too few passes)\n",
                100 * MB_CV_WARN, st->unstable);
    fprintf(st->out, "times are medians per pass (open + every record + close); counters are "
                     "medians per pass; res = file pages resident before the timed region\n");
    if (st->unsupported)
        fprintf(st->out, "%zu case(s) unsupported on this platform (reasons above)\n",
                st->unsupported);
    if (st->failed)
        fprintf(st->out, "%zu case(s) FAILED\n", st->failed);
    fflush(st->out);
    return 0;
}

static void console_destroy(struct mb_reporter *r)
{
    if (r)
        free(r->state);
    free(r);
}

struct mb_reporter *mb_reporter_console(FILE *out)
{
    struct mb_reporter *r = calloc(1, sizeof *r);
    struct console_state *st = calloc(1, sizeof *st);
    if (!r || !st) {
        free(r);
        free(st);
        return NULL;
    }
    st->out = out;
    r->name = "console";
    r->state = st;
    r->begin = console_begin;
    r->sample = console_sample;
    r->aggregate = console_aggregate;
    r->end = console_end;
    r->destroy = console_destroy;
    return r;
}
