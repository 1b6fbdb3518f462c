/* The runner's contract with a case's hooks, and failures kept to their
 * case: a verify that fails, a setup that fails, a pass that fails, a
 * phased pass that ends in the wrong phase each fail only their own case
 * (status, message, reported once with no sample) while the cases around
 * them run and report normally; a case the platform cannot run does not
 * fail the run; prepare/release pair up around every repetition, even a
 * failed one, and teardown runs once for every case that was set up; a
 * case whose status the caller set before the run is reported, not run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/runner.h"
#include "testutil.h"

/* What a case does wrong, and what its hooks saw. */
struct hooked {
    int fail_setup;             /* setup returns this */
    unsigned fail_verify_at;    /* verify call number (1-based) that fails; 0 never */
    unsigned fail_pass_at;      /* pass call number that fails; 0 never */
    int phase_calls;            /* a phased pass calls mb_phase_next this often */
    unsigned setups, prepares, passes, verifies, releases, teardowns;
};

static int h_setup(struct mb_case *c)
{
    struct hooked *h = c->data;
    h->setups++;
    if (h->fail_setup == MB_EUNSUPPORTED)
        return mb_fail(MB_EUNSUPPORTED, "widgets need a platform this is not (fake)");
    if (h->fail_setup)
        return mb_fail(h->fail_setup, "cannot make the widget pool (fake)");
    return 0;
}

static int h_prepare(struct mb_case *c)
{
    ((struct hooked *)c->data)->prepares++;
    return 0;
}

static int h_pass(struct mb_case *c, struct mb_pass *p)
{
    struct hooked *h = c->data;
    h->passes++;
    for (int i = 0; i < h->phase_calls; i++)
        mb_phase_next(p);
    if (h->fail_pass_at && h->passes == h->fail_pass_at)
        return mb_fail(MB_EENV, "the widget device went away (fake)");
    return 0;
}

static int h_verify(struct mb_case *c, struct mb_pass *p)
{
    struct hooked *h = c->data;
    (void)p;
    h->verifies++;
    if (h->fail_verify_at && h->verifies == h->fail_verify_at)
        return mb_fail(MB_EVERIFY, "widget %u came back wrong (fake)", h->verifies);
    return 0;
}

static void h_release(struct mb_case *c)
{
    ((struct hooked *)c->data)->releases++;
}

static void h_teardown(struct mb_case *c)
{
    ((struct hooked *)c->data)->teardowns++;
}

static const struct mb_case_ops hooked_ops = {
    .setup = h_setup,
    .prepare = h_prepare,
    .pass = h_pass,
    .verify = h_verify,
    .release = h_release,
    .teardown = h_teardown,
};

static void make_case(struct mb_case *c, struct hooked *h, const char *name, int nphases)
{
    mb_case_init(c, "test", &hooked_ops, h);
    assert_int_equal(mb_case_param(c, "kind", name, true), 0);
    if (nphases >= 1)
        assert_int_equal(mb_case_phase(c, "one"), 0);
    if (nphases >= 2)
        assert_int_equal(mb_case_phase(c, "two"), 0);
}

#define REPS 3

static void expect_ok(const struct tu_capture *cap, const struct mb_case *c,
                      const struct hooked *h)
{
    const struct tu_case_log *l = tu_capture_find(cap, c);
    assert_non_null(l);
    if (c->status)
        print_error("%s failed: %s\n", c->name, c->error);
    assert_int_equal(c->status, 0);
    assert_int_equal(l->ns, REPS * (c->nphases + 1));
    assert_int_equal(l->aggregates, c->nphases + 1);
    assert_int_equal(l->sum.n, REPS);
    assert_int_equal(h->setups, 1);
    assert_int_equal(h->teardowns, 1);
    assert_int_equal(h->prepares, h->releases);
    assert_int_equal(h->verifies, h->passes);
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
    assert_int_equal(l->ns, 0); /* no sample of a failed case is reported */
    /* but the case is, with n == 0: once per phase and once for the total */
    assert_int_equal(l->aggregates, c->nphases + 1);
    assert_int_equal(l->sum.n, 0);
}

enum { OK_FIRST, BAD_VERIFY, BAD_SETUP, BAD_PASS, NO_PHASE_NEXT, TOO_MANY_PHASE_NEXT,
       OK_PHASED, OK_LAST, NCASES };

static void test_failures_stay_in_their_case(void **state)
{
    (void)state;
    static struct hooked h[NCASES];
    static struct mb_case cases[NCASES];
    memset(h, 0, sizeof h);
    make_case(&cases[OK_FIRST], &h[OK_FIRST], "ok-first", 0);
    make_case(&cases[BAD_VERIFY], &h[BAD_VERIFY], "bad-verify", 0);
    h[BAD_VERIFY].fail_verify_at = 3; /* two passes verify first (warm-up, repetition 0) */
    make_case(&cases[BAD_SETUP], &h[BAD_SETUP], "bad-setup", 0);
    h[BAD_SETUP].fail_setup = MB_EENV;
    make_case(&cases[BAD_PASS], &h[BAD_PASS], "bad-pass", 0);
    h[BAD_PASS].fail_pass_at = 2;
    make_case(&cases[NO_PHASE_NEXT], &h[NO_PHASE_NEXT], "no-phase-next", 2);
    make_case(&cases[TOO_MANY_PHASE_NEXT], &h[TOO_MANY_PHASE_NEXT], "too-many", 2);
    h[TOO_MANY_PHASE_NEXT].phase_calls = 2;
    make_case(&cases[OK_PHASED], &h[OK_PHASED], "ok-phased", 2);
    h[OK_PHASED].phase_calls = 1;
    make_case(&cases[OK_LAST], &h[OK_LAST], "ok-last", 0);

    struct tu_capture cap;
    struct mb_reporter *r = tu_capture_init(&cap);
    struct mb_run_config cfg = {.reps = REPS, .warmup = 1, .min_time_ns = 0, .interleave = true,
                                .seed = 5};
    assert_int_equal(mb_run_cases(cases, NCASES, &cfg, r, 1), 1); /* 1: some case failed */
    assert_int_equal(cap.n, NCASES); /* every case reported */

    expect_ok(&cap, &cases[OK_FIRST], &h[OK_FIRST]);
    expect_ok(&cap, &cases[OK_PHASED], &h[OK_PHASED]);
    expect_ok(&cap, &cases[OK_LAST], &h[OK_LAST]);

    expect_failed(&cap, &cases[BAD_VERIFY], MB_EVERIFY, "widget 3 came back wrong");
    assert_int_equal(h[BAD_VERIFY].verifies, 3); /* dropped from the schedule at once */
    assert_int_equal(h[BAD_VERIFY].teardowns, 1);

    /* a case that could not be set up: never run, never torn down */
    expect_failed(&cap, &cases[BAD_SETUP], MB_EENV, "cannot make the widget pool");
    assert_int_equal(h[BAD_SETUP].setups, 1);
    assert_int_equal(h[BAD_SETUP].passes, 0);
    assert_int_equal(h[BAD_SETUP].prepares, 0);
    assert_int_equal(h[BAD_SETUP].teardowns, 0);

    /* a pass that failed half-way: its repetition is still released */
    expect_failed(&cap, &cases[BAD_PASS], MB_EENV, "the widget device went away");
    assert_int_equal(h[BAD_PASS].passes, 2);
    assert_int_equal(h[BAD_PASS].verifies, 1); /* the failed pass is not verified */
    assert_int_equal(h[BAD_PASS].prepares, h[BAD_PASS].releases);
    assert_int_equal(h[BAD_PASS].teardowns, 1);

    /* a phased pass must end in its last phase */
    expect_failed(&cap, &cases[NO_PHASE_NEXT], MB_EUSAGE,
                  "called mb_phase_next 0 times; its 2 phases need 1");
    expect_failed(&cap, &cases[TOO_MANY_PHASE_NEXT], MB_EUSAGE, "its 2 phases need 1");
    assert_int_equal(h[NO_PHASE_NEXT].passes, 1);
    assert_int_equal(h[NO_PHASE_NEXT].prepares, h[NO_PHASE_NEXT].releases);
}

static void test_unsupported_is_not_a_failure(void **state)
{
    (void)state;
    struct hooked h[2];
    struct mb_case cases[2];
    memset(h, 0, sizeof h);
    make_case(&cases[0], &h[0], "unsupported", 0);
    h[0].fail_setup = MB_EUNSUPPORTED;
    make_case(&cases[1], &h[1], "ok", 0);
    struct tu_capture cap;
    struct mb_reporter *r = tu_capture_init(&cap);
    struct mb_run_config cfg = {.reps = REPS, .warmup = 0, .min_time_ns = 0};
    assert_int_equal(mb_run_cases(cases, 2, &cfg, r, 1), 0);
    expect_failed(&cap, &cases[0], MB_EUNSUPPORTED, "a platform this is not");
    expect_ok(&cap, &cases[1], &h[1]);
}

/* A case the caller marked unsupported before the run (a run option the
 * platform cannot honour) is reported with its reason and never touched. */
static void test_preset_status_is_not_run(void **state)
{
    (void)state;
    struct hooked h[2];
    struct mb_case cases[2];
    memset(h, 0, sizeof h);
    make_case(&cases[0], &h[0], "no-limit", 0);
    cases[0].status = MB_EUNSUPPORTED;
    snprintf(cases[0].error, sizeof cases[0].error, "no memory cgroup here (fake)");
    make_case(&cases[1], &h[1], "ok", 0);
    struct tu_capture cap;
    struct mb_reporter *r = tu_capture_init(&cap);
    struct mb_run_config cfg = {.reps = REPS, .warmup = 0, .min_time_ns = 0};
    assert_int_equal(mb_run_cases(cases, 2, &cfg, r, 1), 0);
    expect_failed(&cap, &cases[0], MB_EUNSUPPORTED, "no memory cgroup here");
    assert_int_equal(h[0].setups + h[0].passes + h[0].teardowns, 0);
    expect_ok(&cap, &cases[1], &h[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failures_stay_in_their_case),
        cmocka_unit_test(test_unsupported_is_not_a_failure),
        cmocka_unit_test(test_preset_status_is_not_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
