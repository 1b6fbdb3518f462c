/* cpu_ns <= wall_ns (issue 7, item 6) where a bracket holds little
 * CPU-bound work: the phases of a phased case (the test-only widgets
 * suite, each phase its own bracket), a single-pass case, and a repeatable
 * case whose batch is two short passes. A long batch divides a bracket's
 * error by its pass count; here little does, so this is where an imbalance
 * between the costs subtracted from the two clocks shows.
 *
 * Expected to pass once the core is fixed: on the machine where it was
 * written most samples failed, cpu_ns above wall_ns by 10 to 70 ns per
 * bracket (see the report of issue 7's tests). No tolerance, on purpose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/runner.h"
#include "testutil.h"
#include "widgets_suite.h"

#define REPS 5

/* One single-pass case: the same kind of work, unphased. The sum goes to
 * a volatile so that the compiler keeps the work. */
static unsigned char buf[WIDGETS_BYTES];
static volatile unsigned sink;

static int spin_pass(struct mb_case *c, struct mb_pass *p)
{
    (void)c, (void)p;
    memset(buf, (int)(sink & 0xff), sizeof buf);
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof buf; i += 64)
        sum += buf[i];
    sink = sum + 1;
    return 0;
}

static const struct mb_case_ops spin_ops = {.pass = spin_pass};

/* A short pass (a 4 KiB memset), timed two at a time. */
static unsigned char small[2][4096];

static int small_pass(struct mb_case *c, struct mb_pass *p)
{
    (void)c;
    memset(small[p->slot], (int)(sink & 0xff) + 1, sizeof small[0]);
    sink = small[p->slot][100];
    return 0;
}

static const struct mb_case_ops small_ops = {.pass = small_pass};

static void test_cpu_within_wall(void **state)
{
    (void)state;
    struct mb_plan plan = {0};
    struct mb_options o;
    const struct mb_opt *const tables[] = {tu_suite_widgets.opts, NULL};
    assert_int_equal(mb_options_parse(&o, tables, 0, NULL), 0);
    assert_int_equal(tu_suite_widgets.build(&o, &plan), 0);
    mb_options_free(&o);
    struct mb_case *spin = mb_plan_add_case(&plan);
    assert_non_null(spin);
    mb_case_init(spin, "test", &spin_ops, NULL);
    assert_int_equal(mb_case_param(spin, "kind", "single-pass", true), 0);
    spin->single_pass = true;
    struct mb_case *batch2 = mb_plan_add_case(&plan);
    assert_non_null(batch2);
    mb_case_init(batch2, "test", &small_ops, NULL);
    assert_int_equal(mb_case_param(batch2, "kind", "batch-of-2", true), 0);
    batch2->batch = 2;

    struct tu_capture cap;
    struct mb_reporter *r = tu_capture_init(&cap);
    struct mb_run_config cfg = {.reps = REPS, .warmup = 1, .min_time_ns = 1000000,
                                .interleave = true, .seed = 42};
    assert_int_equal(mb_run_cases(plan.cases, plan.ncases, &cfg, r, 1), 0);

    size_t bad = 0, total = 0;
    for (size_t i = 0; i < plan.ncases; i++) {
        const struct mb_case *c = &plan.cases[i];
        const struct tu_case_log *l = tu_capture_find(&cap, c);
        assert_non_null(l);
        assert_int_equal(l->ns, REPS * (c->nphases + 1));
        for (size_t k = 0; k < l->ns; k++) {
            const struct mb_sample *s = &l->s[k];
            assert_true(s->passes == 1 || c->batch == 2);
            assert_true(mb_sample_has(s, MB_F_CPU));
            double wall = s->v[MB_F_WALL], cpu = s->v[MB_F_CPU];
            total++;
            if (cpu > wall) {
                bad++;
                print_error("%s phase %s rep %u (%llu passes): cpu_ns %.1f > wall_ns %.1f "
                            "(+%.1f per pass)\n",
                            c->name, s->phase < 0 ? "total" : c->phases[s->phase], s->rep,
                            (unsigned long long)s->passes, cpu, wall, cpu - wall);
            }
        }
    }
    mb_plan_free(&plan);
    if (bad)
        fail_msg("cpu_ns > wall_ns in %zu of %zu samples of short brackets", bad, total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_within_wall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
