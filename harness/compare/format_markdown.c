/* GitHub-flavoured markdown for a pull-request comment: the verdict first,
 * changed benchmarks in the table, unchanged ones folded away (a comment is
 * limited to 65536 characters and reviewers read the top). */
#include <stdio.h>
#include <string.h>

#include "format_common.h"

/* A name in a table cell: a code span unless it holds a backtick, with the
 * cell separator escaped. */
static void cell_name(FILE *out, const char *name)
{
    int code = strchr(name, '`') == NULL;
    if (code)
        fputc('`', out);
    for (const char *p = name; *p; p++) {
        if (*p == '|')
            fputs("\\|", out);
        else if ((unsigned char)*p < 0x20)
            fputc(' ', out);
        else
            fputc(*p, out);
    }
    if (code)
        fputc('`', out);
}

static void row_md(FILE *out, const struct mb_cmp_report *r, const struct mb_cmp_row *row)
{
    char b[32], h[32], c[32], lo[32], hi[32], p[32];
    fputs("| ", out);
    cell_name(out, row->name);
    fprintf(out, " | %s | %s | %s | ", mb_cmpf_value(r, row->med_base, b, sizeof b),
            mb_cmpf_value(r, row->med_head, h, sizeof h), mb_cmpf_change(row->ratio, c, sizeof c));
    if (row->verdict == MB_CMP_UNRELIABLE && !row->noisy)
        fputs("- | - | ", out);
    else
        fprintf(out, "%s to %s | %s | ", mb_cmpf_change(row->ci_lo, lo, sizeof lo),
                mb_cmpf_change(row->ci_hi, hi, sizeof hi), mb_cmpf_p(row, p, sizeof p));
    switch (row->verdict) {
    case MB_CMP_SLOWER: fputs(":x: **slower**", out); break;
    case MB_CMP_FASTER: fputs(":rocket: faster", out); break;
    case MB_CMP_SAME: fputs("same", out); break;
    case MB_CMP_UNRELIABLE:
        if (row->noisy)
            fprintf(out, ":warning: unreliable: too noisy, ~%zu reps per side or more rounds",
                    row->reps_needed);
        else
            fprintf(out, ":warning: unreliable: %zu vs %zu reps, needs %zu", row->n_base,
                    row->n_head, row->reps_needed);
        break;
    }
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

static void names_md(FILE *out, const char *title, const char **names, size_t n)
{
    if (!n)
        return;
    fprintf(out, "\n%s (%zu, not compared): ", title, n);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", out);
        cell_name(out, names[i]);
    }
    fputc('\n', out);
}

void mb_cmp_print_markdown(FILE *out, const struct mb_cmp_report *r)
{
    const struct mb_cmp_opts *o = &r->opts;
    if (mb_cmp_exit_code(r))
        fprintf(out, "### :x: mmbench compare: %zu benchmark%s slower\n\n",
                r->count[MB_CMP_SLOWER], r->count[MB_CMP_SLOWER] == 1 ? "" : "s");
    else
        fputs("### :white_check_mark: mmbench compare: no regression\n\n", out);
    fprintf(out,
            "%zu slower, %zu faster, %zu same, %zu unreliable. Metric `%s`; *slower* means the "
            "%.0f%% bootstrap CI of median head/base lies above +%.1f%% **and** the one-sided "
            "Mann-Whitney U test gives p < %g after Holm's correction over %zu benchmarks%s.\n\n",
            r->count[MB_CMP_SLOWER], r->count[MB_CMP_FASTER], r->count[MB_CMP_SAME],
            r->count[MB_CMP_UNRELIABLE], o->metric, o->confidence * 100, o->threshold * 100,
            o->alpha, r->family,
            r->nrows && r->rows[0].pairs ? "; rounds of base and head compared in pairs" : "");
    if (r->nrows > r->count[MB_CMP_SAME])
        table(out, r, 0);
    if (r->count[MB_CMP_SAME]) {
        fprintf(out, "\n<details><summary>%zu unchanged benchmark%s</summary>\n\n",
                r->count[MB_CMP_SAME], r->count[MB_CMP_SAME] == 1 ? "" : "s");
        table(out, r, 1);
        fputs("\n</details>\n", out);
    }
    names_md(out, "Only in base", r->only_base, r->n_only_base);
    names_md(out, "Only in head", r->only_head, r->n_only_head);
    int header = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct mb_cmp_row *row = &r->rows[i];
        if (!row->excl_base && !row->excl_head)
            continue;
        if (!header++)
            fputs("\nExcluded entries (not in the verdict):\n\n", out);
        fputs("- ", out);
        cell_name(out, row->name);
        if (row->excl_base)
            fprintf(out, ": base %zu (%s)", row->excl_base, row->why_base ? row->why_base : "?");
        if (row->excl_head)
            fprintf(out, "%s head %zu (%s)", row->excl_base ? ";" : ":", row->excl_head,
                    row->why_head ? row->why_head : "?");
        fputc('\n', out);
    }
}
