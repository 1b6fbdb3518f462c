/* The option-table extensions `mmbench compare` needs (harness/core/options.c):
 * repeatable MULTI options, STRING values checked by a callback, and
 * positional arguments, each with its usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/options.h"

static int check_fraction(const char *v, char *valid, size_t len)
{
    char *end;
    double x = strtod(v, &end);
    if (end != v && !*end && x >= 0 && x <= 1)
        return 0;
    snprintf(valid, len, "0 to 1");
    return MB_EUSAGE;
}

static const struct mb_opt table[] = {
    {"base", MB_OPT_MULTI, NULL, "a base file", NULL, 0, 0, NULL},
    {"level", MB_OPT_STRING, "0.5", "a fraction", NULL, 0, 0, check_fraction},
    {"seed", MB_OPT_COUNT, "1", "seed", NULL, 0, UINT64_MAX, NULL},
    {"flag", MB_OPT_FLAG, NULL, "a flag", NULL, 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};
static const struct mb_opt *const tables[] = {table, NULL};

static int parse(struct mb_options *o, int argc, const char **argv, size_t max_pos)
{
    mb_clear_error();
    return mb_options_parse_args(o, tables, argc, (char **)argv, max_pos);
}

static void multi_keeps_every_value_in_order(void **state)
{
    (void)state;
    struct mb_options o;
    const char *argv[] = {"--base", "a.json", "--base=b.json", "--flag", "--base", "-"};
    assert_int_equal(parse(&o, 6, argv, 0), 0);
    size_t n;
    const char *const *v = mb_opt_multi(&o, "base", &n);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "a.json");
    assert_string_equal(v[1], "b.json");
    assert_string_equal(v[2], "-");
    assert_true(mb_opt_flag(&o, "flag"));
    mb_options_free(&o);
    const char *none[] = {"--flag"};
    assert_int_equal(parse(&o, 1, none, 0), 0);
    mb_opt_multi(&o, "base", &n);
    assert_int_equal(n, 0);
    mb_options_free(&o);
}

static void positionals(void **state)
{
    (void)state;
    struct mb_options o;
    const char *argv[] = {"x.json", "--level", "0.25", "-", "--", "--odd-name"};
    assert_int_equal(parse(&o, 6, argv, 3), 0);
    assert_int_equal(o.npos, 3);
    assert_string_equal(o.pos[0], "x.json");
    assert_string_equal(o.pos[1], "-");
    assert_string_equal(o.pos[2], "--odd-name");
    assert_string_equal(mb_opt_str(&o, "level"), "0.25");
    mb_options_free(&o);
    /* One too many, and none allowed at all (mb_options_parse's rule). */
    assert_int_equal(parse(&o, 4, argv, 1), MB_EUSAGE);
    assert_non_null(strstr(mb_last_error(), "unexpected argument '-' (at most 1 files)"));
    mb_options_free(&o);
    assert_int_equal(parse(&o, 1, argv, 0), MB_EUSAGE);
    assert_non_null(strstr(mb_last_error(), "unexpected argument 'x.json'"));
    mb_options_free(&o);
}

static void checked_values_and_counts(void **state)
{
    (void)state;
    struct mb_options o;
    const char *bad_level[] = {"--level", "2"};
    assert_int_equal(parse(&o, 2, bad_level, 0), MB_EUSAGE);
    assert_non_null(strstr(mb_last_error(), "--level: bad value '2' (valid: 0 to 1)"));
    mb_options_free(&o);
    /* A count never wraps: no sign, no space, no overflow. */
    const char *seeds[][2] = {{"--seed", " -1"}, {"--seed", "-1"}, {"--seed", "18446744073709551616"},
                              {"--seed", " 5"}, {"--seed", "5 "}};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        assert_int_equal(parse(&o, 2, seeds[i], 0), MB_EUSAGE);
        mb_options_free(&o);
    }
    const char *max[] = {"--seed", "18446744073709551615"};
    assert_int_equal(parse(&o, 2, max, 0), 0);
    assert_true(mb_opt_num(&o, "seed") == UINT64_MAX);
    mb_options_free(&o);
    const char *empty[] = {"--base", ""};
    assert_int_equal(parse(&o, 2, empty, 0), MB_EUSAGE);
    mb_options_free(&o);
}

static void help_marks_repeatable(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    mb_options_print(table, f);
    long len = ftell(f);
    char buf[1024];
    rewind(f);
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    buf[got] = '\0';
    fclose(f);
    assert_true(len > 0);
    assert_non_null(strstr(buf, "--base PATH"));
    assert_non_null(strstr(buf, "(repeatable)"));
    assert_non_null(strstr(buf, "--level X"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(multi_keeps_every_value_in_order),
        cmocka_unit_test(positionals),
        cmocka_unit_test(checked_values_and_counts),
        cmocka_unit_test(help_marks_repeatable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
