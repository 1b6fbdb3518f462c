/* Number formatting shared by the table, markdown and JSON outputs, so the
 * three never disagree on what a figure is. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format_common.h"

char *mb_cmpf_value(const struct mb_cmp_report *r, double v, char *buf, size_t len)
{
    if (r->metric_is_time)
        return mb_cmp_format_ns(v, buf, len);
    if (!isfinite(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.6g", v);
    return buf;
}

char *mb_cmpf_change(double ratio, char *buf, size_t len)
{
    if (isnan(ratio))
        snprintf(buf, len, "-");
    else if (isinf(ratio))
        snprintf(buf, len, ratio > 0 ? "+inf" : "-inf");
    else
        snprintf(buf, len, "%+.1f%%", (ratio - 1) * 100);
    return buf;
}

double mb_cmpf_p_value(const struct mb_cmp_row *row)
{
    return row->ratio >= 1 ? row->p_slower : row->p_faster;
}

char *mb_cmpf_p(const struct mb_cmp_row *row, char *buf, size_t len)
{
    double p = mb_cmpf_p_value(row);
    if (isnan(p))
        snprintf(buf, len, "-");
    else if (p < 0.0001)
        snprintf(buf, len, "%.1e", p);
    else
        snprintf(buf, len, "%.4f", p);
    return buf;
}

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n = s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : s[0] < 0xf5 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    /* Overlong three- and four-byte forms, surrogates, beyond U+10FFFF. */
    if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
        (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

size_t mb_cmpf_text(FILE *out, const char *s)
{
    size_t cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        char esc[8];
        const char *named = *p == '\n' ? "\\n" : *p == '\t' ? "\\t" : *p == '\r' ? "\\r"
                          : *p == '\\' ? "\\\\" : NULL;
        size_t n = *p < 0x80 ? 1 : utf8_len(p);
        if (!named && (*p < 0x20 || *p == 0x7f || n == 0)) {
            snprintf(esc, sizeof esc, "\\x%02x", *p);
            named = esc;
        }
        if (named) {
            if (out)
                fputs(named, out);
            cols += strlen(named);
            p++;
            continue;
        }
        if (out)
            fwrite(p, 1, n, out);
        cols++;
        p += n;
    }
    return cols;
}

void mb_cmpf_html(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = *p < 0x80 ? 1 : utf8_len(p);
        if (n == 0 || *p < 0x20 || *p == 0x7f) {
            fprintf(out, "\\x%02x", *p);
            p++;
        } else if (n == 1 && !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                               (*p >= 'A' && *p <= 'Z') || strchr(" /:=,.-+@%", *p))) {
            fprintf(out, "&#%d;", *p);
            p++;
        } else {
            fwrite(p, 1, n, out);
            p += n;
        }
    }
}

char *mb_cmpf_why(const struct mb_cmp_report *r, const struct mb_cmp_row *row, char *buf,
                  size_t len)
{
    const char *why = mb_cmp_why_text(row->why);
    switch (row->why) {
    case MB_CMP_WHY_FEW_REPS:
        snprintf(buf, len, "%s: %zu vs %zu reps, smallest p %.2g after Holm; ~%zu per side", why,
                 row->n_base, row->n_head, row->p_min_holm, row->reps_needed);
        break;
    case MB_CMP_WHY_WIDE:
        snprintf(buf, len, "%s +%.0f%%; more rounds or ~%zu reps per side", why,
                 r->opts.threshold * 100, row->reps_needed);
        break;
    case MB_CMP_WHY_HEAD_FAILED:
        snprintf(buf, len, "%s: %zu of %zu entries did not run%s", why, row->failed_head,
                 row->excl_head + row->n_head, row->n_head ? "" : ", no usable value");
        break;
    default:
        snprintf(buf, len, "%s", why);
    }
    return buf;
}

/* One side's excluded entries: " base 2 of 12 (why)". */
static void excluded_side(FILE *out, const char *side, size_t excl, size_t kept,
                          const char *why, void (*esc)(FILE *, const char *), bool totals)
{
    fprintf(out, " %s %zu", side, excl);
    if (totals)
        fprintf(out, " of %zu", excl + kept);
    fputs(" (", out);
    esc(out, why ? why : "?");
    fputc(')', out);
}

void mb_cmpf_excluded(FILE *out, const struct mb_cmp_report *r, const char *heading,
                      const char *bullet, void (*esc)(FILE *, const char *), bool totals)
{
    bool header = false;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct mb_cmp_row *row = &r->rows[i];
        if (!row->excl_base && !row->excl_head)
            continue;
        if (!header)
            fputs(heading, out);
        header = true;
        fputs(bullet, out);
        esc(out, row->name);
        fputc(':', out);
        if (row->excl_base)
            excluded_side(out, "base", row->excl_base, row->n_base, row->why_base, esc, totals);
        if (row->excl_base && row->excl_head)
            fputc(';', out);
        if (row->excl_head)
            excluded_side(out, "head", row->excl_head, row->n_head, row->why_head, esc, totals);
        fputc('\n', out);
    }
}
