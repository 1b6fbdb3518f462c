/* Every byte a method delivers is verified: a method that returns wrong
 * bytes (or none) fails its own case with MB_EVERIFY, a method that cannot
 * open the file fails with MB_EENV, and in every case the next case still
 * runs and reports normally. Cases made by mb_read_records_case, driven
 * through mb_run_cases with a capturing reporter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/read_records.h"
#include "mmbench/runner.h"
#include "testutil.h"

static int ok_open(struct mb_target *t)
{
    (void)t;
    return 0;
}

static int ok_close(struct mb_target *t)
{
    (void)t;
    return 0;
}

static int good_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    (void)t;
    mb_content_fill(dst, off, len);
    return 0;
}

/* The classic bug: one byte off. */
static int off_by_one_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    (void)t;
    mb_content_fill(dst, off + 1, len);
    return 0;
}

/* Claims success and delivers nothing. */
static int silent_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    (void)t, (void)off, (void)len, (void)dst;
    return 0;
}

static int refused_open(struct mb_target *t)
{
    return mb_fail(MB_EENV, "open %s: Permission denied (fake)", t->path);
}

static const struct mb_method good = {
    .name = "good", .open = ok_open, .access = good_access, .close = ok_close};
static const struct mb_method off_by_one = {
    .name = "off-by-one", .open = ok_open, .access = off_by_one_access, .close = ok_close};
static const struct mb_method silent = {
    .name = "silent", .access = silent_access}; /* open and close are optional */
static const struct mb_method refused = {
    .name = "refused", .open = refused_open, .access = good_access, .close = ok_close};

static char *dir;
static struct mb_workload w;
static struct mb_case cases[8];

static int setup(void **state)
{
    (void)state;
    dir = tu_mkdtemp(mb_default_scratch_dir(), "verify");
    if (!dir)
        return -1;
    return mb_workload_create(&w, dir, "verify", 100, 20, MB_ACCESS_SEQUENTIAL, 1);
}

static int teardown(void **state)
{
    (void)state;
    mb_workload_free(&w);
    tu_rmtree(dir);
    free(dir);
    return 0;
}

static struct mb_read_records rr[8];

static void make_case(struct mb_case *c, const struct mb_method *m)
{
    /* warm works on any filesystem */
    assert_int_equal(mb_read_records_case(c, "test", &rr[c - cases], m, &w, MB_CACHE_WARM, false),
                     0);
}

static void expect_ok(const struct tu_capture *cap, const struct mb_case *c, size_t reps)
{
    const struct tu_case_log *l = tu_capture_find(cap, c);
    assert_non_null(l);
    assert_int_equal(c->status, 0);
    assert_int_equal(l->ns, reps);
    assert_int_equal(l->aggregates, 1);
    assert_int_equal(l->sum.n, reps);
    for (size_t i = 0; i < l->ns; i++) {
        assert_true(l->s[i].verified);
        assert_int_equal(l->s[i].rep, i);
        assert_int_equal(l->s[i].phase, -1);
    }
}

static void expect_failed(const struct tu_capture *cap, const struct mb_case *c, int code,
                          const char *needle)
{
    const struct tu_case_log *l = tu_capture_find(cap, c);
    assert_non_null(l);
    assert_int_equal(c->status, code);
    assert_int_equal(l->status, code); /* already set when aggregate() ran */
    if (!strstr(c->error, needle)) {
        print_error("%s: error '%s' lacks '%s'\n", c->name, c->error, needle);
        fail();
    }
    assert_int_equal(l->ns, 0);         /* no sample of a failed case is reported */
    assert_int_equal(l->aggregates, 1); /* but it is reported, with n == 0 */
    assert_int_equal(l->sum.n, 0);
}

static void test_bad_bytes_fail_only_their_case(void **state)
{
    (void)state;
    make_case(&cases[0], &off_by_one);
    make_case(&cases[1], &good);
    make_case(&cases[2], &silent);
    make_case(&cases[3], &refused);
    make_case(&cases[4], &good);
    struct tu_capture cap;
    struct mb_reporter *r = tu_capture_init(&cap);
    struct mb_run_config cfg = {.reps = 3, .warmup = 1, .min_time_ns = 0, .interleave = true,
                                .seed = 3};

    assert_int_equal(mb_run_cases(cases, 5, &cfg, r, 1), 1); /* 1: some case failed */
    expect_failed(&cap, &cases[0], MB_EVERIFY, "delivered bytes that differ");
    expect_failed(&cap, &cases[0], MB_EVERIFY, "off-by-one");
    expect_ok(&cap, &cases[1], 3);
    expect_failed(&cap, &cases[2], MB_EVERIFY, "delivered bytes that differ");
    expect_failed(&cap, &cases[2], MB_EVERIFY, "silent");
    expect_failed(&cap, &cases[3], MB_EENV, "Permission denied");
    expect_ok(&cap, &cases[4], 3);
    assert_int_equal(cap.n, 5);
}

static void test_all_good_returns_zero(void **state)
{
    (void)state;
    struct mb_case *c = &cases[0];
    make_case(c, &good);
    struct tu_capture cap;
    struct mb_reporter *r = tu_capture_init(&cap);
    struct mb_run_config cfg = {.reps = 2, .warmup = 0, .min_time_ns = 0};
    assert_int_equal(mb_run_cases(c, 1, &cfg, r, 1), 0);
    expect_ok(&cap, c, 2);
    /* warm was asked for and checked */
    const struct tu_case_log *l = tu_capture_find(&cap, c);
    assert_true(l->s[0].cache_ok);
    assert_true(mb_sample_has(&l->s[0], MB_F_RESIDENT_BEFORE));
    assert_true(l->s[0].v[MB_F_RESIDENT_BEFORE] == l->s[0].v[MB_F_FILE_PAGES]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_bytes_fail_only_their_case),
        cmocka_unit_test(test_all_good_returns_zero),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
