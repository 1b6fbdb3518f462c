/* The JSON reporter against tests/golden/results.json, byte for byte; then
 * the file read back with jansson: Google Benchmark's schema (context with
 * json_schema_version 1, iteration and aggregate entries), no NaN or
 * Infinity anywhere, unavailable counters absent rather than 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/platform.h"
#include "mmbench/report.h"
#include "report_fixture.h"
#include "testutil.h"

static char *dir;
static json_t *root;

static int setup(void **state)
{
    (void)state;
    dir = tu_mkdtemp(mb_default_scratch_dir(), "json");
    if (!dir)
        return -1;
    struct mb_reporter r;
    if (fixture_reporter("json", dir, &r) != 0)
        return -1;
    int rc = fixture_run(&r);
    r.ops->destroy(r.st);
    char path[4096];
    snprintf(path, sizeof path, "%s/results.json", dir);
    json_error_t err;
    root = json_load_file(path, 0, &err); /* jansson rejects NaN / Infinity tokens */
    if (!root)
        fprintf(stderr, "results.json does not parse: %s (line %d)\n", err.text, err.line);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(root);
    tu_rmtree(dir);
    free(dir);
    return 0;
}

static void test_golden(void **state)
{
    (void)state;
    assert_int_equal(tu_count_entries(dir), 1); /* no temporary file left */
    assert_true(fixture_matches_golden(dir, "results.json"));
}

/* Every number in the document is finite. */
static void check_finite(json_t *v)
{
    const char *key;
    json_t *child;
    size_t i;
    if (json_is_real(v))
        assert_true(isfinite(json_real_value(v)));
    else if (json_is_object(v))
        json_object_foreach(v, key, child) check_finite(child);
    else if (json_is_array(v))
        json_array_foreach(v, i, child) check_finite(child);
}

static void test_parses_and_finite(void **state)
{
    (void)state;
    assert_non_null(root);
    check_finite(root);
    char *text = fixture_read(dir, "results.json");
    assert_non_null(text);
    assert_null(strstr(text, "NaN"));
    assert_null(strstr(text, "Infinity"));
    assert_null(strstr(text, "nan,"));
    free(text);
}

static void test_context(void **state)
{
    (void)state;
    assert_non_null(root);
    json_t *ctx = json_object_get(root, "context");
    assert_true(json_is_object(ctx));
    assert_int_equal(json_integer_value(json_object_get(ctx, "json_schema_version")), 1);
    static const char *const keys[] = {
        "date", "host_name", "executable", "num_cpus", "library_build_type",
        "json_schema_version", "mmbench_version", "git_commit",
        "command_line", "os", "kernel", "arch", "cpu", "filesystem", "page_size",
        "allocation_granularity", "thp", "readahead_kb", "timer_resolution_ns",
        "timer_overhead_ns", "repetitions", "seed", "options"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!json_object_get(ctx, keys[i])) {
            print_error("context lacks %s\n", keys[i]);
            fail();
        }
    assert_string_equal(json_string_value(json_object_get(ctx, "date")),
                        "2024-01-02T03:04:05+0000");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(ctx, "options"), "out")), "my results");
}

static json_t *bench(size_t i)
{
    return json_array_get(json_object_get(root, "benchmarks"), i);
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(absent)";
}

/* Google Benchmark's error entry: the flag, the message, and still the
 * times (0), their unit and the iterations. */
static void expect_error_entry(json_t *b)
{
    assert_true(json_is_true(json_object_get(b, "error_occurred")));
    assert_true(json_is_string(json_object_get(b, "error_message")));
    assert_true(json_is_number(json_object_get(b, "real_time")));
    assert_true(json_number_value(json_object_get(b, "real_time")) == 0);
    assert_true(json_is_number(json_object_get(b, "cpu_time")));
    assert_true(json_number_value(json_object_get(b, "cpu_time")) == 0);
    assert_string_equal(str(b, "time_unit"), "ns");
    assert_true(json_is_number(json_object_get(b, "iterations")));
}

static void test_entries(void **state)
{
    (void)state;
    assert_non_null(root);
    /* cold: 3 iterations + 4 aggregates; warm: 3 + 4; failed: 1 error
     * entry; phased: 2 x 3 iterations + 3 x 4 aggregates */
    assert_int_equal(json_array_size(json_object_get(root, "benchmarks")), 15 + 18);
    json_t *b = bench(0);
    assert_string_equal(str(b, "name"), "records/mmap/cache:cold/readahead:off");
    assert_string_equal(str(b, "run_type"), "iteration");
    assert_string_equal(str(b, "time_unit"), "ns");
    assert_true(json_number_value(json_object_get(b, "real_time")) == 1000);
    assert_true(json_number_value(json_object_get(b, "major_faults")) == 1);
    assert_true(json_number_value(json_object_get(b, "order")) == 0);
    assert_string_equal(str(json_object_get(b, "params"), "readahead"), "off");
    assert_true(json_number_value(json_object_get(bench(1), "order")) == 3);
    /* the repetition that was not cold carries an error and, as Google
     * Benchmark writes error entries, times of 0 with their unit */
    b = bench(2);
    expect_error_entry(b);
    assert_non_null(strstr(str(b, "error_message"), "not cold"));

    static const char *const aggs[] = {"mean", "median", "stddev", "cv"};
    for (size_t a = 0; a < 4; a++) {
        b = bench(3 + a);
        char name[128];
        snprintf(name, sizeof name, "records/mmap/cache:cold/readahead:off_%s", aggs[a]);
        assert_string_equal(str(b, "name"), name);
        assert_string_equal(str(b, "run_name"), "records/mmap/cache:cold/readahead:off");
        assert_string_equal(str(b, "run_type"), "aggregate");
        assert_string_equal(str(b, "aggregate_name"), aggs[a]);
    }
    assert_true(json_number_value(json_object_get(bench(4), "real_time")) == 1100);

    /* warm: unavailable counters are absent, never 0 */
    for (size_t i = 7; i < 14; i++) {
        assert_null(json_object_get(bench(i), "storage_bytes"));
        assert_null(json_object_get(bench(i), "device_reads"));
        assert_non_null(json_object_get(bench(i), "os_calls"));
    }
    assert_true(json_number_value(json_object_get(bench(7), "minor_faults")) == 0.25);

    assert_true(json_number_value(json_object_get(bench(7), "rss_anon_bytes")) == -1024);
    assert_null(json_object_get(bench(7), "device_writes"));

    /* the failed case: one error entry, every reader copes with it */
    b = bench(14);
    assert_string_equal(str(b, "name"), "records/broken/cache:warm/readahead:default");
    expect_error_entry(b);
    assert_string_equal(str(b, "error_message"), FIXTURE_ERROR);

    /* phased: "<case>/phase:<name>" entries, the total under the case's
     * name, the custom counter among the counters */
    static const char *const names[] = {"phased/size_bytes:4096/phase:fill",
                                        "phased/size_bytes:4096/phase:drop",
                                        "phased/size_bytes:4096"};
    for (size_t i = 0; i < 6; i++) {
        b = bench(15 + i);
        assert_string_equal(str(b, "name"), names[i % 3]);
        assert_string_equal(str(b, "run_type"), "iteration");
        assert_true(json_number_value(json_object_get(b, "widgets")) == 7);
        assert_null(json_object_get(b, "error_occurred"));
    }
    assert_true(json_number_value(json_object_get(bench(17), "real_time")) == 400);
    /* the aggregates of fill, then drop, then the total */
    for (size_t i = 0; i < 12; i++) {
        b = bench(21 + i);
        char name[128];
        snprintf(name, sizeof name, "%s_%s", names[i / 4], aggs[i % 4]);
        assert_string_equal(str(b, "name"), name);
        assert_string_equal(str(b, "run_name"), names[i / 4]);
    }
    assert_true(json_number_value(json_object_get(bench(30), "widgets")) == 7); /* total median */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_parses_and_finite),
        cmocka_unit_test(test_context),
        cmocka_unit_test(test_entries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
