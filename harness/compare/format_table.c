/* The plain-text output: fixed-width columns for a terminal or a CI log.
 * Every name goes through mb_cmpf_text, so input cannot reach the terminal
 * as control sequences. */
#include <stdio.h>
#include <string.h>

#include "format_common.h"

/* mb_cmpf_text as an escaper that returns nothing. */
static void text(FILE *out, const char *s)
{
    mb_cmpf_text(out, s);
}

static void print_header(FILE *out, const struct mb_cmp_report *r)
{
    const struct mb_cmp_opts *o = &r->opts;
    fputs("mmbench compare: ", out);
    mb_cmpf_text(out, o->metric);
    fprintf(out,
            ", median head/base, %.0f%% bootstrap CI; same = CI at most "
            "+%.1f%%; slower = median above +%.1f%% and one-sided rank test p < %g (Holm, %zu "
            "benchmarks)\n",
            o->confidence * 100, o->threshold * 100, o->threshold * 100, o->alpha,
            r->family);
    if (r->base_label && r->head_label) {
        fputs("base: ", out);
        mb_cmpf_text(out, r->base_label);
        fputs("\nhead: ", out);
        mb_cmpf_text(out, r->head_label);
        fputc('\n', out);
    }
    size_t paired = 0, most = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        paired += r->rows[i].pairs > 0;
        if (r->rows[i].pairs > most)
            most = r->rows[i].pairs;
    }
    if (paired)
        fprintf(out, "rounds: %zu paired (base k with head k) for %zu of %zu benchmarks\n", most,
                paired, r->nrows);
}

static void print_row(FILE *out, const struct mb_cmp_report *r, const struct mb_cmp_row *row,
                      int w)
{
    char b[32], h[32], c[32], lo[32], hi[32], ci[72], p[32], why[160];
    mb_cmpf_value(r, row->med_base, b, sizeof b);
    mb_cmpf_value(r, row->med_head, h, sizeof h);
    mb_cmpf_change(row->ratio, c, sizeof c);
    snprintf(ci, sizeof ci, "[%s, %s]", mb_cmpf_change(row->ci_lo, lo, sizeof lo),
             mb_cmpf_change(row->ci_hi, hi, sizeof hi));
    if (row->ci_lo != row->ci_lo)
        snprintf(ci, sizeof ci, "-");
    int pad = w - (int)mb_cmpf_text(out, row->name);
    fprintf(out, "%*s  %10s  %10s  %8s  %-19s  %8s  ", pad > 0 ? pad : 0, "", b, h, c, ci,
            mb_cmpf_p(row, p, sizeof p));
    switch (row->verdict) {
    case MB_CMP_SLOWER: fputs("SLOWER\n", out); break;
    case MB_CMP_FAILED: fprintf(out, "FAILED (%s)\n", mb_cmpf_why(r, row, why, sizeof why)); break;
    case MB_CMP_INCONCLUSIVE:
        fprintf(out, "inconclusive (%s)\n", mb_cmpf_why(r, row, why, sizeof why));
        break;
    default: fprintf(out, "%s\n", mb_cmp_verdict_name(row->verdict));
    }
}

static const char *summary(int code)
{
    switch (code) {
    case MB_CMP_EXIT_REGRESSION: return "REGRESSION (exit 1)";
    case MB_CMP_EXIT_INCONCLUSIVE: return "INCONCLUSIVE (exit 3): a regression is not ruled out";
    default: return "no regression (exit 0)";
    }
}

void mb_cmp_print_table(FILE *out, const struct mb_cmp_report *r)
{
    print_header(out, r);
    int w = (int)strlen("benchmark");
    for (size_t i = 0; i < r->nrows; i++)
        if ((int)mb_cmpf_text(NULL, r->rows[i].name) > w)
            w = (int)mb_cmpf_text(NULL, r->rows[i].name);
    fprintf(out, "\n%-*s  %10s  %10s  %8s  %-19s  %8s  %s\n", w, "benchmark", "base", "head",
            "change", "95% CI", "p", "verdict");
    for (size_t i = 0; i < r->nrows; i++)
        print_row(out, r, &r->rows[i], w);
    fprintf(out, "\n%zu slower, %zu failed, %zu inconclusive, %zu faster, %zu same: %s\n",
            r->count[MB_CMP_SLOWER], r->count[MB_CMP_FAILED], r->count[MB_CMP_INCONCLUSIVE],
            r->count[MB_CMP_FASTER], r->count[MB_CMP_SAME], summary(mb_cmp_exit_code(r)));
    if (r->n_only_head) {
        fprintf(out, "only in head (%zu, new, not compared):", r->n_only_head);
        for (size_t i = 0; i < r->n_only_head; i++) {
            fputs(i ? ", " : " ", out);
            mb_cmpf_text(out, r->only_head[i]);
        }
        fputc('\n', out);
    }
    mb_cmpf_excluded(out, r, "excluded entries (not in the verdict):\n", "  ", text, true);
}
