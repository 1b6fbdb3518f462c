/* Unit tests of the verdicts, the exit code and the three output formats,
 * on synthetic series whose answer is known. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mmbench/compare.h"

/* n values around `level` with a small deterministic spread. */
static void fill(struct mb_cmp_set *s, const char *name, double level, int n, size_t file)
{
    struct mb_cmp_series *x = mb_cmp_set_get(s, name);
    assert_non_null(x);
    for (int i = 0; i < n; i++)
        assert_int_equal(mb_cmp_series_push(x, level * (1 + 0.01 * ((i * 7) % 5 - 2)), file), 0);
}

struct fixture {
    struct mb_cmp_set base, head;
    struct mb_cmp_report r;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    mb_cmp_set_init(&f->base);
    mb_cmp_set_init(&f->head);
    fill(&f->base, "same", 100, 20, 0);
    fill(&f->head, "same", 101, 20, 0);
    fill(&f->base, "slow", 100, 20, 0);
    fill(&f->head, "slow", 125, 20, 0);
    fill(&f->base, "fast", 100, 20, 0);
    fill(&f->head, "fast", 70, 20, 0);
    fill(&f->base, "small|change", 100, 20, 0);
    fill(&f->head, "small|change", 105, 20, 0); /* significant, below threshold */
    fill(&f->base, "few", 100, 2, 0);
    fill(&f->head, "few", 200, 2, 0);
    fill(&f->base, "gone", 1, 3, 0);
    fill(&f->head, "new", 1, 3, 0);
    struct mb_cmp_series *e = mb_cmp_set_get(&f->head, "same");
    mb_cmp_series_exclude(e, "did not run: boom");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    mb_cmp_report_free(&f->r);
    mb_cmp_set_free(&f->base);
    mb_cmp_set_free(&f->head);
    free(f);
    return 0;
}

static const struct mb_cmp_row *row(const struct mb_cmp_report *r, const char *name)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (strcmp(r->rows[i].name, name) == 0)
            return &r->rows[i];
    fail_msg("no row %s", name);
    return NULL;
}

static void verdicts(void **state)
{
    struct fixture *f = *state;
    struct mb_cmp_opts o;
    mb_cmp_opts_default(&o);
    assert_int_equal(mb_cmp_compare(&f->base, &f->head, &o, &f->r), 0);
    assert_int_equal(f->r.nrows, 5);
    assert_int_equal(f->r.family, 5);
    assert_int_equal(row(&f->r, "same")->verdict, MB_CMP_SAME);
    assert_int_equal(row(&f->r, "slow")->verdict, MB_CMP_SLOWER);
    assert_int_equal(row(&f->r, "fast")->verdict, MB_CMP_FASTER);
    assert_int_equal(row(&f->r, "small|change")->verdict, MB_CMP_SAME);
    const struct mb_cmp_row *few = row(&f->r, "few");
    assert_int_equal(few->verdict, MB_CMP_UNRELIABLE);
    /* 5 benchmarks, alpha 0.05: 5 / C(2n, n) < 0.05 first at n = 5 (5/252). */
    assert_int_equal(few->reps_needed, 5);
    assert_int_equal(f->r.n_only_base, 1);
    assert_string_equal(f->r.only_base[0], "gone");
    assert_int_equal(f->r.n_only_head, 1);
    assert_string_equal(f->r.only_head[0], "new");
    assert_int_equal(row(&f->r, "same")->excl_head, 1);
    assert_int_equal(mb_cmp_exit_code(&f->r), 1);
    assert_true(fabs(row(&f->r, "slow")->ratio - 1.25) < 1e-9);
    assert_true(row(&f->r, "slow")->ci_lo > 1.1);
}

static void threshold_moves_the_line(void **state)
{
    struct fixture *f = *state;
    struct mb_cmp_opts o;
    mb_cmp_opts_default(&o);
    o.threshold = 0.30;
    assert_int_equal(mb_cmp_compare(&f->base, &f->head, &o, &f->r), 0);
    assert_int_equal(row(&f->r, "slow")->verdict, MB_CMP_SAME);
    assert_int_equal(mb_cmp_exit_code(&f->r), 0);
    mb_cmp_report_free(&f->r);
    o.threshold = 0.01;
    assert_int_equal(mb_cmp_compare(&f->base, &f->head, &o, &f->r), 0);
    assert_int_equal(row(&f->r, "small|change")->verdict, MB_CMP_SLOWER);
}

static int only_slow(const char *name, void *ctx)
{
    (void)ctx;
    return strcmp(name, "slow") == 0 || strcmp(name, "same") == 0;
}

static void filter_keeps_some(void **state)
{
    struct fixture *f = *state;
    struct mb_cmp_opts o;
    mb_cmp_opts_default(&o);
    o.keep = only_slow;
    assert_int_equal(mb_cmp_compare(&f->base, &f->head, &o, &f->r), 0);
    assert_int_equal(f->r.nrows, 2);
    assert_int_equal(f->r.n_only_base + f->r.n_only_head, 0);
}

static char *render(const struct mb_cmp_report *r, int which)
{
    FILE *m = tmpfile(); /* C17, unlike open_memstream */
    assert_non_null(m);
    if (which == 0)
        mb_cmp_print_table(m, r);
    else if (which == 1)
        mb_cmp_print_markdown(m, r);
    else
        assert_int_equal(mb_cmp_print_json(m, r), 0);
    long len = ftell(m);
    assert_true(len >= 0);
    char *buf = malloc((size_t)len + 1);
    rewind(m);
    assert_int_equal(fread(buf, 1, (size_t)len, m), (size_t)len);
    buf[len] = '\0';
    fclose(m);
    return buf;
}

static void outputs(void **state)
{
    struct fixture *f = *state;
    struct mb_cmp_opts o;
    mb_cmp_opts_default(&o);
    assert_int_equal(mb_cmp_compare(&f->base, &f->head, &o, &f->r), 0);
    f->r.base_label = "a.json";
    f->r.head_label = "b.json";

    char *t = render(&f->r, 0);
    assert_non_null(strstr(t, "base: a.json\nhead: b.json\n"));
    assert_non_null(strstr(t, "SLOWER"));
    assert_non_null(strstr(t, "unreliable (2 vs 2 usable reps; needs 5 per side)"));
    assert_non_null(strstr(t, "1 slower, 1 faster, 2 same, 1 unreliable: REGRESSION (exit 1)"));
    assert_non_null(strstr(t, "only in base (1, not compared): gone"));
    assert_non_null(strstr(t, "  same: head 1 of 21 (did not run: boom)"));
    free(t);

    char *md = render(&f->r, 1);
    assert_non_null(strstr(md, "### :x: mmbench compare: 1 benchmark slower"));
    assert_non_null(strstr(md, "| Benchmark | Base | Head | Change | 95% CI | p (Holm) | Verdict |"));
    assert_non_null(strstr(md, "| `slow` | 100 ns | 125 ns | +25.0% |"));
    assert_non_null(strstr(md, "`small\\|change`")); /* the cell separator is escaped */
    assert_non_null(strstr(md, "<details><summary>2 unchanged benchmarks</summary>"));
    free(md);

    char *js = render(&f->r, 2);
    assert_non_null(strstr(js, "\"exit_code\": 1"));
    assert_non_null(strstr(js, "\"verdict\": \"slower\""));
    assert_non_null(strstr(js, "\"reps_needed\": 5"));
    assert_non_null(strstr(js, "\"only_in_head\": [\n    \"new\"\n  ]"));
    assert_null(strstr(js, "NaN"));
    assert_null(strstr(js, "nan"));
    free(js);
}

/* Two merged files per side, paired by number: the rows say so. */
static void merged_files_are_paired(void **state)
{
    (void)state;
    struct mb_cmp_set b, h;
    mb_cmp_set_init(&b);
    mb_cmp_set_init(&h);
    for (size_t f = 0; f < 3; f++) {
        fill(&b, "x", 100 * (1 + 0.1 * (double)f), 10, f);
        fill(&h, "x", 130 * (1 + 0.1 * (double)f), 10, f);
    }
    b.files = h.files = 3;
    struct mb_cmp_opts o;
    mb_cmp_opts_default(&o);
    struct mb_cmp_report r;
    assert_int_equal(mb_cmp_compare(&b, &h, &o, &r), 0);
    assert_int_equal(r.rows[0].pairs, 3);
    assert_int_equal(r.rows[0].rounds_base, 3);
    assert_int_equal(r.rows[0].verdict, MB_CMP_SLOWER);
    mb_cmp_report_free(&r);
    o.unpaired = 1;
    assert_int_equal(mb_cmp_compare(&b, &h, &o, &r), 0);
    assert_int_equal(r.rows[0].pairs, 0);
    mb_cmp_report_free(&r);
    mb_cmp_set_free(&b);
    mb_cmp_set_free(&h);
}

/* Values spread over a factor of three: the interval spans "same" and far
 * beyond the threshold, so the verdict is unreliable (noisy), not "same". */
static void noise_is_unreliable_not_same(void **state)
{
    (void)state;
    struct mb_cmp_set b, h;
    mb_cmp_set_init(&b);
    mb_cmp_set_init(&h);
    struct mb_cmp_series *x = mb_cmp_set_get(&b, "noisy"), *y = mb_cmp_set_get(&h, "noisy");
    for (int i = 0; i < 12; i++) {
        mb_cmp_series_push(x, 50 + (double)((i * 7) % 12) * 9, 0);
        mb_cmp_series_push(y, 50 + (double)((i * 5) % 12) * 9.5, 0);
    }
    struct mb_cmp_opts o;
    mb_cmp_opts_default(&o);
    struct mb_cmp_report r;
    assert_int_equal(mb_cmp_compare(&b, &h, &o, &r), 0);
    assert_int_equal(r.rows[0].verdict, MB_CMP_UNRELIABLE);
    assert_true(r.rows[0].noisy);
    assert_true(r.rows[0].reps_needed > 12);
    assert_int_equal(mb_cmp_exit_code(&r), 0);
    char *t = render(&r, 0);
    assert_non_null(strstr(t, "unreliable (too noisy to rule out +15%"));
    free(t);
    mb_cmp_report_free(&r);
    mb_cmp_set_free(&b);
    mb_cmp_set_free(&h);
}

static void counters_from_zero(void **state)
{
    (void)state;
    struct mb_cmp_set b, h;
    mb_cmp_set_init(&b);
    mb_cmp_set_init(&h);
    struct mb_cmp_series *x = mb_cmp_set_get(&b, "faults"), *y = mb_cmp_set_get(&h, "faults");
    struct mb_cmp_series *u = mb_cmp_set_get(&b, "zero"), *v = mb_cmp_set_get(&h, "zero");
    for (int i = 0; i < 10; i++) {
        mb_cmp_series_push(x, 0, 0);
        mb_cmp_series_push(y, 5, 0);
        mb_cmp_series_push(u, 0, 0);
        mb_cmp_series_push(v, 0, 0);
    }
    struct mb_cmp_opts o;
    mb_cmp_opts_default(&o);
    o.metric = "major_faults";
    struct mb_cmp_report r;
    assert_int_equal(mb_cmp_compare(&b, &h, &o, &r), 0);
    assert_int_equal(r.rows[0].verdict, MB_CMP_SLOWER);
    assert_true(isinf(r.rows[0].ratio));
    assert_int_equal(r.rows[1].verdict, MB_CMP_SAME);
    assert_true(r.rows[1].ratio == 1);
    char *js = render(&r, 2);
    assert_null(strstr(js, "inf"));
    free(js);
    mb_cmp_report_free(&r);
    mb_cmp_set_free(&b);
    mb_cmp_set_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(verdicts, setup, teardown),
        cmocka_unit_test_setup_teardown(threshold_moves_the_line, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_keeps_some, setup, teardown),
        cmocka_unit_test_setup_teardown(outputs, setup, teardown),
        cmocka_unit_test(counters_from_zero),
        cmocka_unit_test(merged_files_are_paired),
        cmocka_unit_test(noise_is_unreliable_not_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
