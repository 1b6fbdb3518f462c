/* mb_view_offset_check, the view offset rule (claim C10): multiples of the
 * allocation granularity pass; anything else is refused with a message that
 * names the granularity and the two valid offsets around it, never rounded,
 * and mb_cow_map refuses such an offset before it opens anything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "mmbench/cow.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"

static void test_multiples_pass(void **state)
{
    (void)state;
    uint64_t gran = mb_alloc_granularity();
    assert_true(gran >= mb_page_size());
    assert_int_equal(gran % mb_page_size(), 0);
    const uint64_t ok[] = {0, gran, 2 * gran, 1024 * gran, (UINT64_MAX / gran) * gran};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_int_equal(mb_view_offset_check(ok[i]), 0);
}

static void expect_refused(uint64_t offset)
{
    uint64_t gran = mb_alloc_granularity(), below = offset - offset % gran;
    mb_clear_error();
    assert_int_equal(mb_view_offset_check(offset), MB_EUSAGE);
    char want[160];
    snprintf(want, sizeof want, "allocation granularity (%llu bytes)", (unsigned long long)gran);
    const char *msg = mb_last_error();
    if (!strstr(msg, want)) {
        print_error("offset %llu: no '%s' in: %s\n", (unsigned long long)offset, want, msg);
        fail();
    }
    snprintf(want, sizeof want, "are %llu and %llu", (unsigned long long)below,
             (unsigned long long)(below + gran));
    if (!strstr(msg, want)) {
        print_error("offset %llu: no '%s' in: %s\n", (unsigned long long)offset, want, msg);
        fail();
    }
}

static void test_others_refused(void **state)
{
    (void)state;
    uint64_t gran = mb_alloc_granularity();
    expect_refused(1);
    expect_refused(gran - 1);
    expect_refused(gran + 1);
    expect_refused(gran / 2);
    expect_refused(7 * gran + mb_page_size() / 2);
}

/* The mapping call checks first: a misaligned offset is a usage error even
 * for a file that does not exist. */
static void test_map_refuses_first(void **state)
{
    (void)state;
    struct mb_cow_view v;
    int rc = mb_cow_map(&v, MB_COW_FILE_PRIVATE, "no-such-file-mmbench", 1, 4096);
    assert_int_equal(rc, MB_EUSAGE);
    assert_null(v.base);
    mb_cow_unmap(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multiples_pass),
        cmocka_unit_test(test_others_refused),
        cmocka_unit_test(test_map_refuses_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
