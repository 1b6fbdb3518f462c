/* A suite that is not records (the test-only "widgets" suite: two phases,
 * a custom counter, two cases with different parameter keys) run through
 * mb_run_cases with the csv and json reporters, and the files read back:
 * samples.csv and summary.csv with libcsv (a header, no comment lines, a
 * phase column with fill / drop / total rows, the custom counter's column,
 * the union of the parameter columns), results.json with jansson (entries
 * "<case>/phase:<phase>" and the total under the case's name, aggregates,
 * the custom counter).
 *
 * `test_phased_suite_outputs --keep DIR` writes the files into DIR and
 * keeps them, for phased_suite_compare.sh to hand results.json to Google
 * Benchmark's compare.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "report_fixture.h"
#include "testutil.h"
#include "widgets_suite.h"

#define REPS 3

static char *dir;
static bool keep;
static struct mb_plan plan;
static int run_rc;

static int run_suite(void)
{
    struct mb_options o;
    const struct mb_opt *const tables[] = {tu_suite_widgets.opts, NULL};
    if (mb_options_parse(&o, tables, 0, NULL) != 0)
        return -1;
    int rc = tu_suite_widgets.build(&o, &plan);
    mb_options_free(&o);
    if (rc)
        return rc;
    struct mb_run_config cfg = {.reps = REPS, .warmup = 1, .min_time_ns = 0, .interleave = true,
                                .seed = 7};
    return tu_run_with_formats(plan.cases, plan.ncases, &cfg, "csv,json", dir);
}

static int setup(void **state)
{
    (void)state;
    if (!dir)
        dir = tu_mkdtemp(mb_default_scratch_dir(), "phased");
    if (!dir)
        return -1;
    run_rc = run_suite();
    if (run_rc)
        fprintf(stderr, "run: %d %s\n", run_rc, mb_last_error());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mb_plan_free(&plan);
    if (!keep) {
        tu_rmtree(dir);
        free(dir);
    }
    return 0;
}

static void read_table(const char *name, struct csv_table *t)
{
    char *text = fixture_read(dir, name);
    assert_non_null(text);
    bool ok = csv_table_parse(text, t); /* also refuses any '#' line */
    free(text);
    assert_true(ok);
}

static const char *cell(const struct csv_table *t, size_t row, const char *name)
{
    const char *v = csv_table_get(t, row, name);
    if (!v) {
        print_error("no column %s\n", name);
        fail();
    }
    return v;
}

static void test_run_passed(void **state)
{
    (void)state;
    assert_int_equal(run_rc, 0);
    assert_int_equal(plan.ncases, 2);
    assert_string_equal(plan.cases[0].name, WIDGETS_CASE_A);
    assert_string_equal(plan.cases[1].name, WIDGETS_CASE_B);
    for (size_t i = 0; i < plan.ncases; i++) {
        const struct widgets_data *d = plan.cases[i].data;
        assert_int_equal(plan.cases[i].status, 0);
        /* a phased case runs one pass per repetition, every one verified */
        assert_int_equal(d->passes, REPS + 1 /* warm-up */);
        assert_int_equal(d->verifies, d->passes);
        assert_int_equal(d->setups, 1);
        assert_int_equal(d->teardowns, 1);
    }
    assert_int_equal(tu_count_entries(dir), 3); /* and no temporary file */
}

/* Which case a row belongs to: 0 or 1. */
static int row_case(const struct csv_table *t, size_t r)
{
    const char *name = cell(t, r, "case");
    if (strcmp(name, WIDGETS_CASE_A) == 0)
        return 0;
    if (strcmp(name, WIDGETS_CASE_B) == 0)
        return 1;
    print_error("row %zu: unexpected case '%s'\n", r, name);
    fail();
    return -1;
}

static int phase_index(const char *phase)
{
    static const char *const names[] = {"fill", "drop", "total"};
    for (int k = 0; k < 3; k++)
        if (strcmp(phase, names[k]) == 0)
            return k;
    print_error("unexpected phase '%s'\n", phase);
    fail();
    return -1;
}

/* Both cases' parameter columns are there; each is empty where its case
 * does not have it. */
static void check_union_params(const struct csv_table *t, size_t r)
{
    int k = row_case(t, r);
    assert_string_equal(cell(t, r, "size_bytes"), k == 0 ? "65536" : "");
    assert_string_equal(cell(t, r, "shape"), k == 1 ? "square" : "");
    assert_string_equal(cell(t, r, "item"), "page");
    assert_string_equal(cell(t, r, "suite"), "widgets");
}

static void test_samples_csv(void **state)
{
    (void)state;
    struct csv_table t;
    read_table("samples.csv", &t);
    assert_string_equal(t.cell[0][0], "suite"); /* the header comes first */
    assert_int_equal(t.nrows, 1 + 2 * REPS * 3);
    assert_true(csv_table_column(&t, "widgets") > csv_table_column(&t, "wall_ns"));
    int seen[2][3] = {{0}};
    bool order_seen[2 * REPS] = {false};
    for (size_t r = 1; r < t.nrows; r++) {
        check_union_params(&t, r);
        int k = row_case(&t, r), ph = phase_index(cell(&t, r, "phase"));
        seen[k][ph]++;
        assert_string_equal(cell(&t, r, "passes"), "1");
        assert_string_equal(cell(&t, r, "verified"), "1");
        assert_string_equal(cell(&t, r, "cache_ok"), "1");
        assert_true(*cell(&t, r, "wall_ns") != '\0');
        assert_string_equal(cell(&t, r, "work_bytes"), "65536");
        /* the custom counter, per pass, in the phase that counted it (drop) */
        assert_string_equal(cell(&t, r, "widgets"), ph == 0 ? "0" : "7");
        /* one schedule position per repetition, shared by its phases */
        long order = strtol(cell(&t, r, "order"), NULL, 10);
        assert_in_range(order, 0, 2 * REPS - 1);
        if (ph == 2) {
            assert_false(order_seen[order]);
            order_seen[order] = true;
        }
    }
    for (int k = 0; k < 2; k++)
        for (int ph = 0; ph < 3; ph++)
            assert_int_equal(seen[k][ph], REPS);
    csv_table_free(&t);
}

static void test_summary_csv(void **state)
{
    (void)state;
    struct csv_table t;
    read_table("summary.csv", &t);
    assert_int_equal(t.nrows, 1 + 2 * 3); /* per case: fill, drop, total */
    int seen[2][3] = {{0}};
    for (size_t r = 1; r < t.nrows; r++) {
        check_union_params(&t, r);
        int k = row_case(&t, r), ph = phase_index(cell(&t, r, "phase"));
        seen[k][ph]++;
        assert_string_equal(cell(&t, r, "status"), "ok");
        assert_string_equal(cell(&t, r, "n"), "3");
        assert_true(*cell(&t, r, "wall_ns_median") != '\0');
        assert_string_equal(cell(&t, r, "widgets_median"), ph == 0 ? "0" : "7");
    }
    for (int k = 0; k < 2; k++)
        for (int ph = 0; ph < 3; ph++)
            assert_int_equal(seen[k][ph], 1);
    csv_table_free(&t);
}

static json_t *load_results(void)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/results.json", dir);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root)
        print_error("results.json: %s (line %d)\n", err.text, err.line);
    assert_non_null(root);
    return root;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(absent)";
}

/* The entries named `name` of run type `type` ("iteration", or an
 * aggregate's name); returns how many, the last in *last. */
static size_t find(json_t *benchmarks, const char *name, const char *type, json_t **last)
{
    size_t i, n = 0;
    json_t *b;
    json_array_foreach(benchmarks, i, b)
    {
        bool iter = strcmp(type, "iteration") == 0;
        if (strcmp(str(b, "name"), name) != 0)
            continue;
        if (iter ? strcmp(str(b, "run_type"), "iteration") != 0
                 : strcmp(str(b, "aggregate_name"), type) != 0)
            continue;
        n++;
        *last = b;
    }
    return n;
}

static double num(json_t *b, const char *key)
{
    json_t *v = json_object_get(b, key);
    if (!json_is_number(v)) {
        print_error("%s: no number %s\n", str(b, "name"), key);
        fail();
    }
    return json_number_value(v);
}

static void test_results_json(void **state)
{
    (void)state;
    json_t *root = load_results();
    json_t *bm = json_object_get(root, "benchmarks");
    assert_true(json_is_array(bm));
    /* per case: 3 x (fill, drop, total) iterations + 3 x 4 aggregates */
    assert_int_equal(json_array_size(bm), 2 * (3 * REPS + 3 * 4));
    static const char *const cases[] = {WIDGETS_CASE_A, WIDGETS_CASE_B};
    static const char *const aggs[] = {"mean", "median", "stddev", "cv"};
    for (size_t k = 0; k < 2; k++) {
        char fill[256], drop[256], name[300];
        json_t *b = NULL, *f = NULL, *d = NULL;
        snprintf(fill, sizeof fill, "%s/phase:fill", cases[k]);
        snprintf(drop, sizeof drop, "%s/phase:drop", cases[k]);
        assert_int_equal(find(bm, fill, "iteration", &f), REPS);
        assert_int_equal(find(bm, drop, "iteration", &d), REPS);
        assert_int_equal(find(bm, cases[k], "iteration", &b), REPS);
        assert_string_equal(str(f, "run_name"), fill);
        assert_string_equal(str(b, "time_unit"), "ns");
        assert_true(num(b, "iterations") == 1);
        assert_true(num(b, "widgets") == WIDGETS_PER_PASS); /* the custom counter */
        assert_true(num(f, "widgets") == 0);                /* not counted during fill */
        assert_true(num(d, "widgets") == WIDGETS_PER_PASS);
        assert_null(json_object_get(b, "error_occurred"));
        /* the total is the sum of its phases (same repetition: the last) */
        double sum = num(f, "real_time") + num(d, "real_time");
        assert_true(fabs(num(b, "real_time") - sum) <= 1e-9 * (sum > 1 ? sum : 1));
        for (size_t a = 0; a < 4; a++) {
            const char *runs[] = {fill, drop, cases[k]};
            for (size_t r = 0; r < 3; r++) {
                snprintf(name, sizeof name, "%s_%s", runs[r], aggs[a]);
                assert_int_equal(find(bm, name, aggs[a], &b), 1);
                assert_string_equal(str(b, "run_type"), "aggregate");
                assert_string_equal(str(b, "run_name"), runs[r]);
                assert_true(num(b, "iterations") == REPS);
            }
        }
        snprintf(name, sizeof name, "%s_median", cases[k]);
        find(bm, name, "median", &b);
        assert_true(num(b, "widgets") == WIDGETS_PER_PASS);
    }
    json_decref(root);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--keep") == 0) {
        dir = argv[2];
        keep = true;
    } else if (argc != 1) {
        fprintf(stderr, "usage: %s [--keep DIR]\n", argv[0]);
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_passed),
        cmocka_unit_test(test_samples_csv),
        cmocka_unit_test(test_summary_csv),
        cmocka_unit_test(test_results_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
