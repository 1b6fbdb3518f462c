/* GitHub-flavoured markdown for a pull-request comment: the verdict first,
 * changed and undecided benchmarks in the table, unchanged ones folded away
 * (a comment is limited to 65536 characters and reviewers read the top).
 * Names are HTML-escaped: a benchmark name must not be able to inject markup
 * into the comment. */
#include <stdio.h>
#include <string.h>

#include "format_common.h"

static void row_md(FILE *out, const struct mb_cmp_report *r, const struct mb_cmp_row *row)
{
    char b[32], h[32], c[32], lo[32], hi[32], p[32], why[160];
    fputs("| ", out);
    mb_cmpf_html(out, row->name);
    fprintf(out, " | %s | %s | %s | ", mb_cmpf_value(r, row->med_base, b, sizeof b),
            mb_cmpf_value(r, row->med_head, h, sizeof h), mb_cmpf_change(row->ratio, c, sizeof c));
    if (row->ci_lo != row->ci_lo)
        fputs("- | - | ", out);
    else
        fprintf(out, "%s to %s | %s | ", mb_cmpf_change(row->ci_lo, lo, sizeof lo),
                mb_cmpf_change(row->ci_hi, hi, sizeof hi), mb_cmpf_p(row, p, sizeof p));
    switch (row->verdict) {
    case MB_CMP_SLOWER: fputs(":x: **slower**", out); break;
    case MB_CMP_FAILED: fputs(":x: **failed**: ", out); break;
    case MB_CMP_FASTER: fputs(":rocket: faster", out); break;
    case MB_CMP_SAME: fputs("same", out); break;
    case MB_CMP_INCONCLUSIVE: fputs(":warning: inconclusive: ", out); break;
    }
    if (row->verdict == MB_CMP_FAILED || row->verdict == MB_CMP_INCONCLUSIVE)
        mb_cmpf_html(out, mb_cmpf_why(r, row, why, sizeof why));
    fputs(" |\n", out);
}

static void table(FILE *out, const struct mb_cmp_report *r, int same)
{
    fputs("| Benchmark | Base | Head | Change | 95% CI | p (Holm) | Verdict |\n"
          "|---|---:|---:|---:|---|---:|---|\n",
          out);
    for (size_t i = 0; i < r->nrows; i++)
        if ((r->rows[i].verdict == MB_CMP_SAME) == same)
            row_md(out, r, &r->rows[i]);
}

static void title(FILE *out, const struct mb_cmp_report *r)
{
    size_t bad = r->count[MB_CMP_SLOWER] + r->count[MB_CMP_FAILED];
    switch (mb_cmp_exit_code(r)) {
    case MB_CMP_EXIT_REGRESSION:
        fprintf(out, "### :x: mmbench compare: %zu benchmark%s slower or failed\n\n", bad,
                bad == 1 ? "" : "s");
        break;
    case MB_CMP_EXIT_INCONCLUSIVE:
        fprintf(out, "### :warning: mmbench compare: inconclusive (%zu benchmark%s)\n\n",
                r->count[MB_CMP_INCONCLUSIVE], r->count[MB_CMP_INCONCLUSIVE] == 1 ? "" : "s");
        break;
    default: fputs("### :white_check_mark: mmbench compare: no regression\n\n", out);
    }
}

void mb_cmp_print_markdown(FILE *out, const struct mb_cmp_report *r)
{
    const struct mb_cmp_opts *o = &r->opts;
    title(out, r);
    fprintf(out, "%zu slower, %zu failed, %zu inconclusive, %zu faster, %zu same. Metric ",
            r->count[MB_CMP_SLOWER], r->count[MB_CMP_FAILED], r->count[MB_CMP_INCONCLUSIVE],
            r->count[MB_CMP_FASTER], r->count[MB_CMP_SAME]);
    mb_cmpf_html(out, o->metric);
    fprintf(out,
            "; *same* means the %.0f%% bootstrap CI of median head/base stays at or below "
            "+%.1f%%; *slower* means the median is above +%.1f%% **and** the one-sided rank "
            "test gives p < %g after Holm's correction over %zu benchmarks%s.\n\n",
            o->confidence * 100,
            o->threshold * 100, o->threshold * 100, o->alpha, r->family,
            r->nrows && r->rows[0].pairs ? "; rounds of base and head compared in pairs" : "");
    if (r->nrows > r->count[MB_CMP_SAME])
        table(out, r, 0);
    if (r->count[MB_CMP_SAME]) {
        fprintf(out, "\n<details><summary>%zu unchanged benchmark%s</summary>\n\n",
                r->count[MB_CMP_SAME], r->count[MB_CMP_SAME] == 1 ? "" : "s");
        table(out, r, 1);
        fputs("\n</details>\n", out);
    }
    if (r->n_only_head) {
        fprintf(out, "\nOnly in head (%zu, new, not compared): ", r->n_only_head);
        for (size_t i = 0; i < r->n_only_head; i++) {
            fputs(i ? ", " : "", out);
            mb_cmpf_html(out, r->only_head[i]);
        }
        fputc('\n', out);
    }
    mb_cmpf_excluded(out, r, "\nExcluded entries (not in the verdict):\n\n", "- ", mb_cmpf_html,
                     false);
}
