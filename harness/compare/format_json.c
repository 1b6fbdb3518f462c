/* The machine-readable output: every figure of every row, for dashboards and
 * for the agreement test against compare.py (which needs the two-sided p). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "format_common.h"
#include "mmbench/error.h"

/* JSON has no NaN or Infinity: a figure that is not finite is left out. */
static void set_num(json_t *o, const char *key, double v)
{
    if (isfinite(v))
        json_object_set_new(o, key, json_real(v));
}

/* A string from the input: jansson refuses invalid UTF-8, so such bytes
 * become '?' rather than losing the field. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s);
    if (j || !s)
        return j;
    char *copy = strdup(s);
    if (!copy)
        return NULL;
    for (char *p = copy; *p; p++)
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    j = json_string(copy);
    free(copy);
    return j;
}

static json_t *names(const char **list, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, text(list[i]));
    return a;
}

static json_t *row_json(const struct mb_cmp_row *row)
{
    json_t *j = json_object();
    json_object_set_new(j, "name", text(row->name));
    json_object_set_new(j, "verdict", json_string(mb_cmp_verdict_name(row->verdict)));
    json_object_set_new(j, "n_base", json_integer((json_int_t)row->n_base));
    json_object_set_new(j, "n_head", json_integer((json_int_t)row->n_head));
    json_object_set_new(j, "excluded_base", json_integer((json_int_t)row->excl_base));
    json_object_set_new(j, "excluded_head", json_integer((json_int_t)row->excl_head));
    json_object_set_new(j, "failed_base", json_integer((json_int_t)row->failed_base));
    json_object_set_new(j, "failed_head", json_integer((json_int_t)row->failed_head));
    if (row->why_base)
        json_object_set_new(j, "excluded_base_reason", text(row->why_base));
    if (row->why_head)
        json_object_set_new(j, "excluded_head_reason", text(row->why_head));
    set_num(j, "median_base", row->med_base);
    set_num(j, "median_head", row->med_head);
    set_num(j, "ratio", row->ratio);
    set_num(j, "ci_low", row->ci_lo);
    set_num(j, "ci_high", row->ci_hi);
    set_num(j, "u_head", row->mwu.u_head);
    set_num(j, "p_greater", row->mwu.p_greater);
    set_num(j, "p_less", row->mwu.p_less);
    set_num(j, "p_two_sided", row->mwu.p_two_sided);
    set_num(j, "p_min", row->mwu.p_min);
    set_num(j, "p_van_elteren_greater", row->strata.p_greater);
    set_num(j, "p_min_holm", row->p_min_holm);
    set_num(j, "p_slower_holm", row->p_slower);
    set_num(j, "p_faster_holm", row->p_faster);
    if (row->n_base && row->n_head)
        json_object_set_new(j, "exact", json_boolean(row->mwu.exact));
    json_object_set_new(j, "rounds_base", json_integer((json_int_t)row->rounds_base));
    json_object_set_new(j, "rounds_head", json_integer((json_int_t)row->rounds_head));
    json_object_set_new(j, "paired_rounds", json_integer((json_int_t)row->pairs));
    json_object_set_new(j, "test", json_string(row->pairs ? "signed-rank over rounds"
                                                          : "Mann-Whitney U"));
    if (row->why != MB_CMP_WHY_NONE)
        json_object_set_new(j, "reason", json_string(mb_cmp_why_text(row->why)));
    if (row->reps_needed)
        json_object_set_new(j, "reps_needed", json_integer((json_int_t)row->reps_needed));
    return j;
}

int mb_cmp_print_json(FILE *out, const struct mb_cmp_report *r)
{
    const struct mb_cmp_opts *o = &r->opts;
    json_t *root = json_object();
    if (!root)
        return MB_ENOMEM;
    json_object_set_new(root, "metric", text(o->metric));
    json_object_set_new(root, "unit", json_string(r->metric_is_time ? "ns" : ""));
    set_num(root, "threshold", o->threshold);
    set_num(root, "alpha", o->alpha);
    set_num(root, "confidence", o->confidence);
    json_object_set_new(root, "resamples", json_integer((json_int_t)o->resamples));
    json_object_set_new(root, "seed", json_integer((json_int_t)(o->seed & 0x7fffffffffffffffu)));
    json_object_set_new(root, "family", json_integer((json_int_t)r->family));
    if (r->base_label)
        json_object_set_new(root, "base", text(r->base_label));
    if (r->head_label)
        json_object_set_new(root, "head", text(r->head_label));
    json_t *sum = json_object();
    for (int v = 0; v < MB_CMP_NVERDICTS; v++)
        json_object_set_new(sum, mb_cmp_verdict_name((enum mb_cmp_verdict)v),
                            json_integer((json_int_t)r->count[v]));
    json_object_set_new(root, "summary", sum);
    json_object_set_new(root, "exit_code", json_integer(mb_cmp_exit_code(r)));
    json_t *rows = json_array();
    for (size_t i = 0; i < r->nrows; i++)
        json_array_append_new(rows, row_json(&r->rows[i]));
    json_object_set_new(root, "benchmarks", rows);
    json_object_set_new(root, "only_in_head", names(r->only_head, r->n_only_head));
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) ? MB_ENOMEM : 0;
    fputc('\n', out);
    json_decref(root);
    return rc;
}
