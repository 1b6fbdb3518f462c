/* A pass that holds its clock (mb_pass_hold): the held work counts in
 * neither its wall nor its CPU time, the rest does; a hold left open ends
 * with the pass, one in a phase ends with that phase, and one outside a
 * timed pass does nothing. The held work spins for HELD_NS on the wall
 * clock, far longer than the timed work, so that a hold that was not taken
 * off shows whatever the machine's load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mmbench/platform.h"
#include "mmbench/runner.h"
#include "testutil.h"

#define HELD_NS 60000000.0 /* 60 ms */

static void spin_for(double ns)
{
    uint64_t end = mb_now_ns() + (uint64_t)ns;
    while (mb_now_ns() < end)
        ;
}

static void spin_briefly(void)
{
    volatile unsigned long s = 0;
    for (unsigned long i = 0; i < 20000; i++)
        s += i;
}

/* Timed, held (resumed or left open, by c->data), timed again. */
static int h_pass(struct mb_case *c, struct mb_pass *p)
{
    spin_briefly();
    mb_pass_hold(p);
    mb_pass_hold(p); /* a second hold is no new one */
    spin_for(HELD_NS);
    if (!c->data)
        mb_pass_resume(p);
    spin_briefly();
    return 0;
}

static int h_verify(struct mb_case *c, struct mb_pass *p)
{
    (void)c;
    mb_pass_hold(p); /* not timed: nothing to hold */
    mb_pass_resume(p);
    return 0;
}

static const struct mb_case_ops h_ops = {.pass = h_pass, .verify = h_verify};

static const struct tu_case_log *run_one(struct mb_case *c, struct tu_capture *cap)
{
    struct mb_reporter *r = tu_capture_init(cap);
    struct mb_run_config cfg = {.reps = 3, .warmup = 0, .min_time_ns = 0};
    assert_int_equal(mb_run_cases(c, 1, &cfg, r, 1), 0);
    const struct tu_case_log *l = tu_capture_find(cap, c);
    assert_non_null(l);
    assert_int_equal(l->ns, 3 * (c->nphases + 1));
    return l;
}

static void assert_held_off(const struct mb_sample *s)
{
    assert_true(mb_sample_has(s, MB_F_WALL));
    assert_true(s->v[MB_F_WALL] > 0 && s->v[MB_F_WALL] < HELD_NS);
    if (mb_sample_has(s, MB_F_CPU))
        assert_true(s->v[MB_F_CPU] < HELD_NS);
    if (mb_sample_has(s, MB_F_USER))
        assert_true(s->v[MB_F_USER] < HELD_NS);
}

static void test_held_time_is_not_timed(void **state)
{
    (void)state;
    static struct mb_case c;
    static struct tu_capture cap;
    mb_case_init(&c, "test", &h_ops, NULL);
    const struct tu_case_log *l = run_one(&c, &cap);
    for (size_t k = 0; k < l->ns; k++)
        assert_held_off(&l->s[k]);
}

static void test_open_hold_ends_with_the_pass(void **state)
{
    (void)state;
    static struct mb_case c;
    static struct tu_capture cap;
    static int leave_open = 1;
    mb_case_init(&c, "test", &h_ops, &leave_open);
    const struct tu_case_log *l = run_one(&c, &cap);
    for (size_t k = 0; k < l->ns; k++)
        assert_held_off(&l->s[k]);
}

/* Phase "held" holds and never resumes; phase "timed" spins unheld for
 * as long: only the second phase shows it. */
static int ph_pass(struct mb_case *c, struct mb_pass *p)
{
    (void)c;
    mb_pass_hold(p);
    spin_for(HELD_NS);
    mb_phase_next(p);
    spin_for(HELD_NS);
    return 0;
}

static const struct mb_case_ops ph_ops = {.pass = ph_pass};

static void test_hold_ends_with_its_phase(void **state)
{
    (void)state;
    static struct mb_case c;
    static struct tu_capture cap;
    mb_case_init(&c, "test", &ph_ops, NULL);
    assert_int_equal(mb_case_phase(&c, "held"), 0);
    assert_int_equal(mb_case_phase(&c, "timed"), 0);
    const struct tu_case_log *l = run_one(&c, &cap);
    for (size_t k = 0; k < l->ns; k++) {
        const struct mb_sample *s = &l->s[k];
        if (s->phase == 0)
            assert_held_off(s);
        else /* the second phase, and the total that holds it */
            assert_true(s->v[MB_F_WALL] >= HELD_NS);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_held_time_is_not_timed),
                                       cmocka_unit_test(test_open_hold_ends_with_the_pass),
                                       cmocka_unit_test(test_hold_ends_with_its_phase)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
