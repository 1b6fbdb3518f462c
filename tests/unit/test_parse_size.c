/* mb_parse_size and mb_parse_count: every accepted spelling and every kind
 * of rejected text. Suffixes are binary (1K = 1024) and case-insensitive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/options.h"

static void expect_size(const char *text, uint64_t want)
{
    uint64_t got = 12345;
    int rc = mb_parse_size(text, &got);
    if (rc != 0 || got != want) {
        print_error("'%s': rc %d, got %llu, want %llu (%s)\n", text, rc,
                    (unsigned long long)got, (unsigned long long)want, mb_last_error());
        fail();
    }
}

/* Rejected, and the message quotes the text it rejected. */
static void expect_bad_size(const char *text)
{
    uint64_t got = 0;
    mb_clear_error();
    int rc = mb_parse_size(text, &got);
    if (rc != MB_EUSAGE) {
        print_error("'%s' was accepted as %llu\n", text, (unsigned long long)got);
        fail();
    }
    assert_true(mb_last_error()[0] != '\0');
    if (*text && !strstr(mb_last_error(), text)) {
        print_error("message for '%s' does not name it: %s\n", text, mb_last_error());
        fail();
    }
}

static void test_plain_bytes(void **state)
{
    (void)state;
    expect_size("20", 20);
    expect_size("0", 0);
    expect_size("20B", 20);
    expect_size("20b", 20);
    expect_size("18446744073709551615", UINT64_MAX);
}

static void test_suffixes(void **state)
{
    (void)state;
    expect_size("4K", 4096);
    expect_size("4KB", 4096);
    expect_size("64KiB", 65536);
    expect_size("1M", 1048576);
    expect_size("1MB", 1048576); /* binary, as the contract says */
    expect_size("1MiB", 1048576);
    expect_size("2G", 2147483648ull);
    expect_size("1T", 1099511627776ull);
}

static void test_lowercase(void **state)
{
    (void)state;
    expect_size("4k", 4096);
    expect_size("64kib", 65536);
    expect_size("1mb", 1048576);
    expect_size("2g", 2147483648ull);
}

static void test_garbage(void **state)
{
    (void)state;
    expect_bad_size("abc");
    expect_bad_size("K");
    expect_bad_size("4X");
    expect_bad_size("4KX");
    expect_bad_size("4KiBB");
    expect_bad_size("4 K");
    expect_bad_size(" 4K");
    expect_bad_size("0x10");
}

static void test_sign_and_fraction(void **state)
{
    (void)state;
    expect_bad_size("-5");
    expect_bad_size("+5");
    expect_bad_size("1.5");
    expect_bad_size("1.5K");
    expect_bad_size("1e3");
}

static void test_empty(void **state)
{
    (void)state;
    expect_bad_size("");
    uint64_t v;
    assert_int_equal(mb_parse_size(NULL, &v), MB_EUSAGE);
}

static void test_overflow(void **state)
{
    (void)state;
    expect_bad_size("18446744073709551616");   /* 2^64 */
    expect_bad_size("99999999999999999999999");
    expect_bad_size("16777216T");              /* 2^24 * 2^40 = 2^64 */
    expect_bad_size("17179869184G");           /* 2^34 * 2^30 = 2^64 */
    expect_size("16777215T", 16777215ull << 40);
}

static void test_count(void **state)
{
    (void)state;
    uint64_t v = 0;
    assert_int_equal(mb_parse_count("1000", &v), 0);
    assert_true(v == 1000);
    assert_int_equal(mb_parse_count("18446744073709551615", &v), 0);
    assert_true(v == UINT64_MAX);
    static const char *const bad[] = {"", "-1", "1.5", "1K", "x", " 1", "18446744073709551616"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (mb_parse_count(bad[i], &v) != MB_EUSAGE) {
            print_error("count '%s' was accepted\n", bad[i]);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_bytes),     cmocka_unit_test(test_suffixes),
        cmocka_unit_test(test_lowercase),       cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_sign_and_fraction), cmocka_unit_test(test_empty),
        cmocka_unit_test(test_overflow),        cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
