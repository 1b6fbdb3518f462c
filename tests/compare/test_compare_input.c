/* Unit tests of the comparison's JSON reader: what is read, what is
 * excluded (and said why), and what makes a file unusable. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mmbench/compare.h"
#include "mmbench/error.h"

static int parse(struct mb_cmp_set *s, const char *text, const char *metric, char *err)
{
    return mb_cmp_parse(s, text, strlen(text), "t.json", metric, err, 256);
}

static void reads_iterations_skips_aggregates(void **state)
{
    (void)state;
    const char *doc =
        "{\"context\":{\"json_schema_version\":1},\"benchmarks\":["
        "{\"name\":\"a\",\"run_name\":\"a\",\"run_type\":\"iteration\",\"real_time\":10,"
        "\"cpu_time\":9,\"time_unit\":\"ns\",\"os_calls\":5},"
        "{\"name\":\"a\",\"run_name\":\"a\",\"run_type\":\"iteration\",\"real_time\":2,"
        "\"cpu_time\":1,\"time_unit\":\"us\",\"os_calls\":0},"
        "{\"name\":\"a_mean\",\"run_name\":\"a\",\"run_type\":\"aggregate\",\"real_time\":6,"
        "\"cpu_time\":5,\"time_unit\":\"ns\"},"
        "{\"name\":\"b\",\"real_time\":1.5,\"cpu_time\":1,\"time_unit\":\"ms\"},"
        "{\"name\":\"c\",\"real_time\":3,\"cpu_time\":1,\"time_unit\":\"s\"}]}";
    struct mb_cmp_set s;
    char err[256];
    mb_cmp_set_init(&s);
    assert_int_equal(parse(&s, doc, "real_time", err), 0);
    assert_int_equal(s.n, 3);
    assert_null(mb_cmp_set_find(&s, "a_mean"));
    struct mb_cmp_series *a = mb_cmp_set_find(&s, "a");
    assert_non_null(a);
    assert_int_equal(a->n, 2);
    assert_true(a->v[0] == 10 && a->v[1] == 2000); /* us -> ns */
    assert_true(mb_cmp_set_find(&s, "b")->v[0] == 1.5e6);
    assert_true(mb_cmp_set_find(&s, "c")->v[0] == 3e9);
    mb_cmp_set_free(&s);

    /* A counter is taken as it is, zero included. */
    mb_cmp_set_init(&s);
    assert_int_equal(parse(&s, doc, "os_calls", err), 0);
    a = mb_cmp_set_find(&s, "a");
    assert_int_equal(a->n, 2);
    assert_true(a->v[0] == 5 && a->v[1] == 0);
    assert_int_equal(mb_cmp_set_find(&s, "b")->excluded, 1);
    assert_string_equal(mb_cmp_set_find(&s, "b")->excluded_reason, "no os_calls");
    assert_int_equal(s.with_metric, 2);
    mb_cmp_set_free(&s);
}

static void excludes_and_names_bad_entries(void **state)
{
    (void)state;
    const char *doc =
        "{\"benchmarks\":["
        "{\"name\":\"e\",\"error_occurred\":true,\"error_message\":\"cannot\\nevict\"},"
        "{\"name\":\"e\",\"real_time\":5,\"cpu_time\":5,\"time_unit\":\"ns\"},"
        "{\"name\":\"z\",\"real_time\":0,\"cpu_time\":1,\"time_unit\":\"ns\"},"
        "{\"name\":\"n\",\"real_time\":NaN,\"cpu_time\":1,\"time_unit\":\"ns\"},"
        "{\"name\":\"i\",\"real_time\":-Infinity,\"cpu_time\":1,\"time_unit\":\"ns\"},"
        "{\"name\":\"m\",\"cpu_time\":1,\"time_unit\":\"ns\"},"
        "{\"name\":\"s\",\"skipped\":\"skipped_with_message\",\"skip_message\":\"later\","
        "\"real_time\":1,\"cpu_time\":1}]}";
    struct mb_cmp_set s;
    char err[256];
    mb_cmp_set_init(&s);
    assert_int_equal(parse(&s, doc, "real_time", err), 0);
    struct mb_cmp_series *e = mb_cmp_set_find(&s, "e");
    assert_int_equal(e->n, 1);
    assert_int_equal(e->excluded, 1);
    assert_string_equal(e->excluded_reason, "did not run: cannot evict"); /* one line */
    assert_string_equal(mb_cmp_set_find(&s, "z")->excluded_reason, "real_time is not above zero");
    assert_string_equal(mb_cmp_set_find(&s, "n")->excluded_reason,
                        "real_time is NaN, Infinity or null");
    assert_int_equal(mb_cmp_set_find(&s, "i")->n, 0);
    assert_string_equal(mb_cmp_set_find(&s, "m")->excluded_reason, "no real_time");
    assert_string_equal(mb_cmp_set_find(&s, "s")->excluded_reason, "did not run: later");
    mb_cmp_set_free(&s);
}

static void expect_bad(const char *doc, const char *needle)
{
    struct mb_cmp_set s;
    char err[256] = "";
    mb_cmp_set_init(&s);
    assert_int_equal(parse(&s, doc, "real_time", err), MB_EUSAGE);
    if (!strstr(err, needle))
        fail_msg("message '%s' lacks '%s'", err, needle);
    assert_null(strchr(err, '\n'));
    mb_cmp_set_free(&s);
}

static void unusable_input_is_usage_error(void **state)
{
    (void)state;
    expect_bad("", "t.json: not JSON");
    expect_bad("not json", "not JSON");
    expect_bad("[1,2]", "top level is an array");
    expect_bad("{\"context\":{}}", "no \"benchmarks\" array");
    expect_bad("{\"benchmarks\":{}}", "\"benchmarks\" is an object, not an array");
    expect_bad("{\"benchmarks\":[3]}", "benchmarks[0] is a number, not an object");
    expect_bad("{\"benchmarks\":[{\"real_time\":1}]}", "benchmarks[0] has no name");
    expect_bad("{\"benchmarks\":[{\"name\":1}]}", "benchmarks[0].name is a number");
    expect_bad("{\"benchmarks\":[{\"name\":\"a\",\"real_time\":\"1\"}]}",
               "benchmarks[0].real_time is a string, not a number");
    expect_bad("{\"benchmarks\":[{\"name\":\"a\",\"run_type\":3}]}", "run_type is a number");
    expect_bad("{\"benchmarks\":[{\"name\":\"a\",\"real_time\":1,\"time_unit\":\"min\"}]}",
               "time_unit 'min' is not ns, us, ms or s");
    expect_bad("{\"benchmarks\":[{\"name\":\"a\",\"real_time\":1,\"time_unit\":[]}]}",
               "time_unit is an array");
}

static void missing_file_is_usage_error(void **state)
{
    (void)state;
    struct mb_cmp_set s;
    char err[256];
    mb_cmp_set_init(&s);
    assert_int_equal(mb_cmp_load(&s, "/nonexistent/x.json", "real_time", 1 << 20, err, sizeof err),
                     MB_EUSAGE);
    assert_non_null(strstr(err, "cannot open /nonexistent/x.json"));
    assert_int_equal(mb_cmp_load(&s, "/", "real_time", 1 << 20, err, sizeof err), MB_EUSAGE);
    assert_non_null(strstr(err, "/ is not a regular file (a directory)"));
    /* An endless device is refused, not read until memory runs out. */
    assert_int_equal(mb_cmp_load(&s, "/dev/zero", "real_time", 1 << 20, err, sizeof err),
                     MB_EUSAGE);
    assert_non_null(strstr(err, "/dev/zero is not a regular file"));
    mb_cmp_set_free(&s);
}

static void nonfinite_literals_only_outside_strings(void **state)
{
    (void)state;
    const char *in = "{\"NaN\":NaN,\"s\":\"Infinity \\\" NaN\",\"x\":[-Infinity,Infinity],"
                     "\"y\":NaNa}";
    size_t len;
    char *out = mb_cmp_json_nonfinite_to_null(in, strlen(in), &len);
    assert_non_null(out);
    assert_string_equal(out, "{\"NaN\":null,\"s\":\"Infinity \\\" NaN\",\"x\":[null,null],"
                             "\"y\":NaNa}");
    assert_int_equal(len, strlen(out));
    free(out);
}

static void merged_files_make_rounds(void **state)
{
    (void)state;
    const char *r1 = "{\"benchmarks\":[{\"name\":\"a\",\"real_time\":1},{\"name\":\"a\","
                     "\"real_time\":2},{\"name\":\"b\",\"real_time\":9}]}";
    const char *r2 = "{\"benchmarks\":[{\"name\":\"a\",\"real_time\":3}]}";
    struct mb_cmp_set s;
    char err[256];
    mb_cmp_set_init(&s);
    assert_int_equal(parse(&s, r1, "real_time", err), 0);
    assert_int_equal(parse(&s, r2, "real_time", err), 0);
    assert_int_equal(s.files, 2);
    struct mb_cmp_series *a = mb_cmp_set_find(&s, "a");
    assert_int_equal(a->n, 3);
    assert_int_equal(a->nblk, 2);
    assert_int_equal(a->blk[0], 0);
    assert_int_equal(a->blk[1], 2);
    assert_int_equal(mb_cmp_set_find(&s, "b")->nblk, 1);
    mb_cmp_set_free(&s);
}

static void many_names_stay_findable(void **state)
{
    (void)state;
    struct mb_cmp_set s;
    mb_cmp_set_init(&s);
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "bench/%d", i);
        struct mb_cmp_series *x = mb_cmp_set_get(&s, name);
        assert_non_null(x);
        assert_int_equal(mb_cmp_series_push(x, i, 0), 0);
    }
    assert_int_equal(s.n, 5000);
    for (int i = 0; i < 5000; i += 7) {
        snprintf(name, sizeof name, "bench/%d", i);
        assert_true(mb_cmp_set_find(&s, name)->v[0] == i);
    }
    assert_null(mb_cmp_set_find(&s, "bench/5000"));
    mb_cmp_set_free(&s);
}

static void units(void **state)
{
    (void)state;
    assert_true(mb_cmp_unit_to_ns("us") == 1e3);
    assert_true(mb_cmp_unit_to_ns("h") == 0);
    char buf[32];
    assert_string_equal(mb_cmp_format_ns(812, buf, sizeof buf), "812 ns");
    assert_string_equal(mb_cmp_format_ns(12345, buf, sizeof buf), "12.3 us");
    assert_string_equal(mb_cmp_format_ns(999700, buf, sizeof buf), "1.00 ms");
    assert_string_equal(mb_cmp_format_ns(2.5e9, buf, sizeof buf), "2.50 s");
    assert_string_equal(mb_cmp_format_ns(NAN, buf, sizeof buf), "-");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_iterations_skips_aggregates),
        cmocka_unit_test(excludes_and_names_bad_entries),
        cmocka_unit_test(unusable_input_is_usage_error),
        cmocka_unit_test(missing_file_is_usage_error),
        cmocka_unit_test(nonfinite_literals_only_outside_strings),
        cmocka_unit_test(merged_files_make_rounds),
        cmocka_unit_test(many_names_stay_findable),
        cmocka_unit_test(units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
