/* hyperfine's --export-json read into a sample's units: a JSON captured
 * from hyperfine 1.15 gives its times in ns, its exit codes and its CPU
 * time; JSON that is not hyperfine's is refused with the reason, never
 * read as zeros. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/hyperfine.h"
#include "mmbench/platform.h"
#include "testutil.h"

/* Writes `json` to a file of the test folder and reads result `index`. */
static int read_text(const char *json, size_t index, struct mb_hyperfine_result *r)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/h.json", tu_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
    return mb_hyperfine_read(path, index, r);
}

static void test_captured_json(void **state)
{
    (void)state;
    struct mb_hyperfine_result r;
    assert_int_equal(mb_hyperfine_read(MB_HYPERFINE_FIXTURE, 0, &r), 0);
    assert_int_equal(r.runs, 1);
    assert_true(r.times_ns[0] > 14641992.9 && r.times_ns[0] < 14641993.1);
    assert_int_equal(r.exit_codes[0], 0);
    assert_true(r.user_ns > 981999.9 && r.user_ns < 982000.1);
    assert_true(r.system_ns == 0);
    mb_hyperfine_free(&r);
    assert_int_equal(mb_hyperfine_read(MB_HYPERFINE_FIXTURE, 1, &r), MB_EENV);
    assert_non_null(strstr(mb_last_error(), "no result 1"));
}

static void test_runs_and_signal(void **state)
{
    (void)state;
    struct mb_hyperfine_result r;
    const char *two = "{\"results\":[{\"user\":0.001,\"system\":0.002,"
                      "\"times\":[0.5,0.25],\"exit_codes\":[3,null]}]}";
    assert_int_equal(read_text(two, 0, &r), 0);
    assert_int_equal(r.runs, 2);
    assert_true(r.times_ns[0] == 5e8 && r.times_ns[1] == 2.5e8);
    assert_int_equal(r.exit_codes[0], 3);
    assert_int_equal(r.exit_codes[1], -1); /* died of a signal */
    assert_true(r.user_ns == 1e6 && r.system_ns == 2e6);
    mb_hyperfine_free(&r);
}

static void test_not_hyperfine(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "not json",
        "{\"benchmarks\":[]}",
        "{\"results\":[{\"user\":0,\"system\":0,\"times\":[],\"exit_codes\":[]}]}",
        "{\"results\":[{\"user\":0,\"system\":0,\"times\":[0.1],\"exit_codes\":[0,0]}]}",
        "{\"results\":[{\"user\":0,\"system\":0,\"times\":[-0.1],\"exit_codes\":[0]}]}",
        "{\"results\":[{\"user\":0,\"system\":0,\"times\":[\"x\"],\"exit_codes\":[0]}]}",
        "{\"results\":[{\"times\":[0.1],\"exit_codes\":[0]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct mb_hyperfine_result r;
        assert_int_equal(read_text(bad[i], 0, &r), MB_EENV);
        assert_null(r.times_ns); /* nothing to free, nothing half-read */
        assert_true(strlen(mb_last_error()) > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_captured_json),
        cmocka_unit_test(test_runs_and_signal),
        cmocka_unit_test(test_not_hyperfine),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
