/* The method table of this build (POSIX): every method is found by its
 * name and the names list holds them all; a method only the Win32 build has
 * (ReadFile, MapViewOfFile) is not found here but is known elsewhere with a
 * reason, so `--methods ReadFile` can say "unsupported on this platform"
 * instead of "unknown"; a name no platform has is neither. And the
 * bounds-checked copy helpers every method shares. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/method.h"

static void test_every_method_found_by_name(void **state)
{
    (void)state;
    size_t n;
    const struct mb_method *const *all = mb_methods(&n);
    char names[512];
    mb_method_names(names, sizeof names);
    assert_true(n >= 5);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(all[i]->name);
        assert_ptr_equal(mb_method_find(all[i]->name), all[i]);
        assert_null(mb_method_elsewhere(all[i]->name)); /* here, so not elsewhere */
        assert_non_null(strstr(names, all[i]->name));
        /* the one required slot */
        assert_true(all[i]->access != NULL || all[i]->pass != NULL);
    }
    static const char *const posix[] = {"fread", "read", "pread", "mmap", "floor"};
    for (size_t i = 0; i < sizeof posix / sizeof posix[0]; i++)
        assert_non_null(mb_method_find(posix[i]));
}

static void test_win32_methods_are_elsewhere(void **state)
{
    (void)state;
    static const char *const win32[] = {"ReadFile", "MapViewOfFile"};
    for (size_t i = 0; i < 2; i++) {
        assert_null(mb_method_find(win32[i]));
        const char *why = mb_method_elsewhere(win32[i]);
        assert_non_null(why);
        assert_true(strlen(why) > 0);
    }
}

static void test_unknown_name_is_nowhere(void **state)
{
    (void)state;
    assert_null(mb_method_find("nonsense"));
    assert_null(mb_method_elsewhere("nonsense"));
    /* names are exact: no case folding */
    assert_null(mb_method_find("MMAP"));
    assert_null(mb_method_elsewhere("readfile"));
}

static void test_copy_span_bounds(void **state)
{
    (void)state;
    uint8_t src[16], dst[16];
    for (int i = 0; i < 16; i++)
        src[i] = (uint8_t)i;
    memset(dst, 0xee, sizeof dst);
    assert_int_equal(mb_copy_span(dst, src, 16, 10, 6), 0); /* the last 6 bytes */
    assert_memory_equal(dst, src + 10, 6);
    assert_int_equal(mb_copy_span(dst, src, 16, 16, 0), 0); /* empty, at the end */
    assert_int_equal(mb_copy_span(dst, src, 16, 11, 6), MB_EVERIFY); /* one past */
    assert_int_equal(mb_copy_span(dst, src, 16, 17, 0), MB_EVERIFY);
    assert_int_equal(mb_copy_span(dst, src, 16, UINT64_MAX, 2), MB_EVERIFY); /* no wrap */
    assert_int_equal(mb_copy_span(dst, src, 16, 2, SIZE_MAX), MB_EVERIFY);
}

static void test_copy_records(void **state)
{
    (void)state;
    uint8_t src[32], dst[12];
    for (int i = 0; i < 32; i++)
        src[i] = (uint8_t)i;
    const uint64_t offs[3] = {28, 0, 8};
    assert_int_equal(mb_copy_records(dst, src, 32, 32, offs, 3, 4), 0);
    const uint8_t want[12] = {28, 29, 30, 31, 0, 1, 2, 3, 8, 9, 10, 11};
    assert_memory_equal(dst, want, 12);
    const uint64_t bad[2] = {0, 29};
    assert_int_equal(mb_copy_records(dst, src, 32, 64, bad, 2, 4), MB_EVERIFY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_method_found_by_name),
        cmocka_unit_test(test_win32_methods_are_elsewhere),
        cmocka_unit_test(test_unknown_name_is_nowhere),
        cmocka_unit_test(test_copy_span_bounds),
        cmocka_unit_test(test_copy_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
