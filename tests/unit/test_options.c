/* mb_options_parse: values land typed and checked, and every kind of bad
 * command line fails with MB_EUSAGE and one line naming the problem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "mmbench/options.h"

static int check_letter(const char *item, char *valid, size_t vlen)
{
    if (strcmp(item, "a") == 0 || strcmp(item, "b") == 0 || strcmp(item, "c") == 0)
        return 0;
    snprintf(valid, vlen, "a, b, c");
    return MB_EUSAGE;
}

/* As a suite's --methods check does it (bench/records.c's is not
 * reachable from the tests): this platform's methods are valid, another
 * platform's are MB_EUNSUPPORTED with the reason, anything else is unknown
 * with the valid names. */
static int check_method(const char *item, char *valid, size_t vlen)
{
    if (mb_method_find(item))
        return 0;
    const char *why = mb_method_elsewhere(item);
    if (why) {
        snprintf(valid, vlen, "unsupported on this platform: %s", why);
        return MB_EUNSUPPORTED;
    }
    mb_method_names(valid, vlen);
    return MB_EUSAGE;
}

static const struct mb_opt common[] = {
    {"reps", MB_OPT_COUNT, "25", "repetitions", NULL, 1, 100, NULL},
    {"out", MB_OPT_STRING, NULL, "results", NULL, 0, 0, NULL},
    {"quick", MB_OPT_FLAG, NULL, "smoke test", NULL, 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};
static const struct mb_opt suite[] = {
    {"record-size", MB_OPT_SIZE, "20", "bytes", NULL, 1, 1 << 20, NULL},
    {"cache", MB_OPT_CHOICE, "both", "state", "cold|warm|both", 0, 0, NULL},
    {"methods", MB_OPT_LIST, NULL, "methods", NULL, 0, 0, check_letter},
    {"format", MB_OPT_LIST, "csv", "outputs", "csv|json", 0, 0, NULL},
    {"access-methods", MB_OPT_LIST, NULL, "methods", NULL, 0, 0, check_method},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};
static const struct mb_opt *const tables[] = {common, suite, NULL};

static int parse(struct mb_options *o, int argc, const char **argv)
{
    mb_clear_error();
    return mb_options_parse(o, tables, argc, (char **)argv);
}

/* Parses argv, expects a usage error whose message contains every needle
 * and fits on one line. */
static void expect_error(int argc, const char **argv, const char *n1, const char *n2)
{
    struct mb_options o;
    int rc = parse(&o, argc, argv);
    const char *msg = mb_last_error();
    if (rc != MB_EUSAGE || !strstr(msg, n1) || (n2 && !strstr(msg, n2)) || strchr(msg, '\n')) {
        print_error("argv[0]='%s': rc %d, message '%s' (want '%s'%s%s)\n", argv[0], rc, msg, n1,
                    n2 ? " and " : "", n2 ? n2 : "");
        mb_options_free(&o);
        fail();
    }
    mb_options_free(&o);
}

static void test_defaults_and_values(void **state)
{
    (void)state;
    struct mb_options o;
    const char *argv[] = {"--reps", "7", "--record-size=4K", "--quick", "--methods", "c,a",
                          "--out", "/tmp/r"};
    assert_int_equal(parse(&o, 8, argv), 0);
    assert_true(mb_opt_num(&o, "reps") == 7);
    assert_true(mb_opt_num(&o, "record-size") == 4096);
    assert_true(mb_opt_flag(&o, "quick"));
    assert_string_equal(mb_opt_str(&o, "methods"), "c,a");
    assert_string_equal(mb_opt_str(&o, "cache"), "both"); /* default */
    assert_true(mb_opt_given(&o, "reps"));
    assert_false(mb_opt_given(&o, "cache"));
    assert_true(mb_list_has(mb_opt_str(&o, "methods"), "a"));
    assert_false(mb_list_has(mb_opt_str(&o, "methods"), "b"));
    assert_int_equal(mb_opt_set(&o, "cache", "warm"), 0);
    assert_string_equal(mb_opt_str(&o, "cache"), "warm");
    mb_options_free(&o);
}

static void test_unset_without_default(void **state)
{
    (void)state;
    struct mb_options o;
    assert_int_equal(parse(&o, 0, NULL), 0);
    assert_null(mb_opt_str(&o, "out"));
    assert_false(mb_opt_flag(&o, "quick"));
    assert_true(mb_opt_num(&o, "reps") == 25);
    mb_options_free(&o);
}

static void test_unknown_option(void **state)
{
    (void)state;
    const char *argv[] = {"--frobnicate", "1"};
    /* names the option and lists the valid ones */
    expect_error(2, argv, "--frobnicate", "--record-size");
}

static void test_missing_value(void **state)
{
    (void)state;
    const char *argv[] = {"--reps"};
    expect_error(1, argv, "--reps", "needs a value");
}

static void test_out_of_range(void **state)
{
    (void)state;
    const char *zero[] = {"--reps", "0"};
    expect_error(2, zero, "--reps", "out of range");
    const char *big[] = {"--reps", "101"};
    expect_error(2, big, "101", "1 to 100");
    const char *size[] = {"--record-size", "2M"};
    expect_error(2, size, "--record-size", "out of range");
}

static void test_bad_number(void **state)
{
    (void)state;
    const char *neg[] = {"--reps", "-5"};
    expect_error(2, neg, "--reps", "'-5'");
    const char *frac[] = {"--record-size", "1.5"};
    expect_error(2, frac, "--record-size", "'1.5'");
    const char *junk[] = {"--record-size=12Q"};
    expect_error(1, junk, "--record-size", "'12Q'");
}

static void test_bad_choice(void **state)
{
    (void)state;
    const char *argv[] = {"--cache", "hot"};
    expect_error(2, argv, "'hot'", "cold|warm|both");
    const char *two[] = {"--cache", "cold,warm"}; /* a choice is one value, not a list */
    expect_error(2, two, "--cache", "cold|warm|both");
}

static void test_bad_list_item(void **state)
{
    (void)state;
    const char *checked[] = {"--methods", "a,zzz"};
    expect_error(2, checked, "'zzz'", "a, b, c"); /* the check callback's valid list */
    const char *fixed[] = {"--format", "csv,xml"};
    expect_error(2, fixed, "'xml'", "csv|json");
    const char *empty_item[] = {"--methods", "a,,b"};
    expect_error(2, empty_item, "--methods", "empty");
    const char *trailing[] = {"--methods", "a,"};
    expect_error(2, trailing, "--methods", "empty");
    const char *empty[] = {"--methods", ""};
    expect_error(2, empty, "--methods", "empty");
}

/* A value the check hook knows from another platform is a usage error
 * that says why, not "unknown value". */
static void test_value_of_another_platform(void **state)
{
    (void)state;
    const char *argv[] = {"--access-methods", "mmap,ReadFile"};
    expect_error(2, argv, "'ReadFile'", "unsupported on this platform");
    struct mb_options o;
    parse(&o, 2, argv);
    if (strstr(mb_last_error(), "unknown value")) {
        print_error("message '%s' calls it unknown\n", mb_last_error());
        mb_options_free(&o);
        fail();
    }
    mb_options_free(&o);
    /* a name no platform has stays unknown, with this platform's names */
    const char *bogus[] = {"--access-methods", "mmapp"};
    expect_error(2, bogus, "unknown value 'mmapp'", "mmap");
    /* and this platform's are accepted */
    const char *ok[] = {"--access-methods", "read,mmap,floor"};
    assert_int_equal(parse(&o, 2, ok), 0);
    mb_options_free(&o);
}

static void test_positional_argument(void **state)
{
    (void)state;
    const char *argv[] = {"--reps", "3", "extra"};
    expect_error(3, argv, "'extra'", "--reps");
    const char *dash[] = {"-x"};
    expect_error(1, dash, "'-x'", NULL);
    const char *bare[] = {"--"};
    expect_error(1, bare, "'--'", NULL);
}

static void test_flag_with_value(void **state)
{
    (void)state;
    const char *argv[] = {"--quick=1"};
    expect_error(1, argv, "--quick", "no value");
}

static void test_empty_string(void **state)
{
    (void)state;
    const char *argv[] = {"--out="};
    expect_error(1, argv, "--out", "non-empty");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_values), cmocka_unit_test(test_unset_without_default),
        cmocka_unit_test(test_unknown_option),      cmocka_unit_test(test_missing_value),
        cmocka_unit_test(test_out_of_range),        cmocka_unit_test(test_bad_number),
        cmocka_unit_test(test_bad_choice),          cmocka_unit_test(test_bad_list_item),
        cmocka_unit_test(test_positional_argument), cmocka_unit_test(test_flag_with_value),
        cmocka_unit_test(test_empty_string),        cmocka_unit_test(test_value_of_another_platform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
