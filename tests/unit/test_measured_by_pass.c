/* A case whose work runs in another process (measured_by_pass): the
 * runner's clocks and counters, which see only this process, are dropped,
 * and what the pass counts (wall_ns included) is the sample. Known values
 * in, the same values out; fields the pass does not count stay unknown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mmbench/runner.h"
#include "testutil.h"

static unsigned long passes;

static int m_pass(struct mb_case *c, struct mb_pass *p)
{
    (void)c;
    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 100000; i++) /* the runner's clock sees this */
        spin += i;
    passes++;
    mb_pass_count(p, MB_F_WALL, 12345);
    mb_pass_count(p, MB_F_MAJOR, 7);
    p->metric[0] += 5;
    return 0;
}

static const struct mb_case_ops m_ops = {.pass = m_pass};

static void test_only_counted_fields(void **state)
{
    (void)state;
    static struct mb_case c;
    static struct tu_capture cap;
    mb_case_init(&c, "test", &m_ops, NULL);
    assert_int_equal(mb_case_metric(&c, "things"), 0);
    c.single_pass = true;
    c.measured_by_pass = true;
    struct mb_reporter *r = tu_capture_init(&cap);
    struct mb_run_config cfg = {.reps = 3, .warmup = 1, .min_time_ns = 1000000};
    assert_int_equal(mb_run_cases(&c, 1, &cfg, r, 1), 0);
    const struct tu_case_log *l = tu_capture_find(&cap, &c);
    assert_non_null(l);
    assert_int_equal(l->ns, 3);
    assert_int_equal(passes, 3 + 1); /* one pass per repetition, one warm-up */
    for (size_t k = 0; k < l->ns; k++) {
        const struct mb_sample *s = &l->s[k];
        assert_true(s->passes == 1 && s->verified);
        assert_true(s->v[MB_F_WALL] == 12345 && s->v[MB_F_MAJOR] == 7);
        assert_true(s->metric[0] == 5);
        assert_false(mb_sample_has(s, MB_F_CPU));
        assert_false(mb_sample_has(s, MB_F_MINOR));
        assert_false(mb_sample_has(s, MB_F_OS_CALLS));
    }
    assert_true(mb_summary_get(&l->sum, MB_F_WALL, "median") == 12345);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_only_counted_fields)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
