/* The plain-text output: fixed-width columns for a terminal or a CI log. */
#include <stdio.h>
#include <string.h>

#include "format_common.h"

static void list_names(FILE *out, const char *title, const char **names, size_t n)
{
    if (!n)
        return;
    fprintf(out, "%s (%zu, not compared):", title, n);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s %s", i ? "," : "", names[i]);
    fputc('\n', out);
}

static void print_excluded(FILE *out, const struct mb_cmp_report *r)
{
    int header = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct mb_cmp_row *row = &r->rows[i];
        if (!row->excl_base && !row->excl_head)
            continue;
        if (!header++)
            fputs("excluded entries (not in the verdict):\n", out);
        fprintf(out, "  %s:", row->name);
        if (row->excl_base)
            fprintf(out, " base %zu of %zu (%s)", row->excl_base, row->excl_base + row->n_base,
                    row->why_base ? row->why_base : "?");
        if (row->excl_head)
            fprintf(out, "%s head %zu of %zu (%s)", row->excl_base ? ";" : "", row->excl_head,
                    row->excl_head + row->n_head, row->why_head ? row->why_head : "?");
        fputc('\n', out);
    }
}

void mb_cmp_print_table(FILE *out, const struct mb_cmp_report *r)
{
    const struct mb_cmp_opts *o = &r->opts;
    fprintf(out,
            "mmbench compare: %s, median head/base, %.0f%% bootstrap CI; slower = CI above "
            "+%.1f%% and one-sided U test p < %g (Holm, %zu benchmarks)\n",
            o->metric, o->confidence * 100, o->threshold * 100, o->alpha, r->family);
    if (r->base_label && r->head_label)
        fprintf(out, "base: %s\nhead: %s\n", r->base_label, r->head_label);
    size_t paired = 0, most = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        paired += r->rows[i].pairs > 0;
        if (r->rows[i].pairs > most)
            most = r->rows[i].pairs;
    }
    if (paired)
        fprintf(out, "rounds: %zu paired (base k with head k) for %zu of %zu benchmarks\n", most,
                paired, r->nrows);

    int w = (int)strlen("benchmark");
    for (size_t i = 0; i < r->nrows; i++)
        if ((int)strlen(r->rows[i].name) > w)
            w = (int)strlen(r->rows[i].name);
    fprintf(out, "\n%-*s  %10s  %10s  %8s  %-19s  %8s  %s\n", w, "benchmark", "base", "head",
            "change", "95% CI", "p", "verdict");
    for (size_t i = 0; i < r->nrows; i++) {
        const struct mb_cmp_row *row = &r->rows[i];
        char b[32], h[32], c[32], lo[32], hi[32], ci[72], p[32];
        mb_cmpf_value(r, row->med_base, b, sizeof b);
        mb_cmpf_value(r, row->med_head, h, sizeof h);
        mb_cmpf_change(row->ratio, c, sizeof c);
        snprintf(ci, sizeof ci, "[%s, %s]", mb_cmpf_change(row->ci_lo, lo, sizeof lo),
                 mb_cmpf_change(row->ci_hi, hi, sizeof hi));
        if (row->verdict == MB_CMP_UNRELIABLE && !row->noisy)
            snprintf(ci, sizeof ci, "-");
        fprintf(out, "%-*s  %10s  %10s  %8s  %-19s  %8s  ", w, row->name, b, h, c, ci,
                mb_cmpf_p(row, p, sizeof p));
        if (row->verdict == MB_CMP_UNRELIABLE && row->noisy)
            fprintf(out, "unreliable (too noisy to rule out +%.0f%%; ~%zu reps per side or more rounds)\n",
                    r->opts.threshold * 100, row->reps_needed);
        else if (row->verdict == MB_CMP_UNRELIABLE)
            fprintf(out, "unreliable (%zu vs %zu usable reps; needs %zu per side)\n", row->n_base,
                    row->n_head, row->reps_needed);
        else if (row->verdict == MB_CMP_SLOWER)
            fputs("SLOWER\n", out);
        else
            fprintf(out, "%s\n", mb_cmp_verdict_name(row->verdict));
    }
    fprintf(out, "\n%zu slower, %zu faster, %zu same, %zu unreliable: %s\n",
            r->count[MB_CMP_SLOWER], r->count[MB_CMP_FASTER], r->count[MB_CMP_SAME],
            r->count[MB_CMP_UNRELIABLE],
            mb_cmp_exit_code(r) ? "REGRESSION (exit 1)" : "no regression (exit 0)");
    list_names(out, "only in base", r->only_base, r->n_only_base);
    list_names(out, "only in head", r->only_head, r->n_only_head);
    print_excluded(out, r);
}
