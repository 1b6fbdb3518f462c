/* Interleaving: with cfg.interleave the measured repetitions of all cases
 * run in a seeded random order: the `order` of the samples is a permutation
 * of 0..N-1, it differs from case order for some seed, it is the same for
 * the same seed, and it is the order the passes really ran in. With
 * interleave off the order is case order. Samples still reach the
 * reporters in case, then repetition order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/runner.h"
#include "testutil.h"

#define NCASES 3
#define REPS 4
#define N (NCASES * REPS)

/* Which case ran each pass, in the order they ran. */
static int ran[4 * N];
static size_t nran;

static int log_pass(struct mb_case *c, struct mb_pass *p)
{
    (void)p;
    if (nran < sizeof ran / sizeof ran[0])
        ran[nran] = *(const int *)c->data;
    nran++;
    return 0;
}

static const struct mb_case_ops log_ops = {.pass = log_pass};
static const int ids[NCASES] = {0, 1, 2};
static const char *const names[NCASES] = {"a", "b", "c"};

/* Runs the three cases; order[i * REPS + rep] receives the order of case
 * i's repetition rep. min_time 0 and no warm-up: one pass per measured
 * repetition, so the pass log is the schedule. */
static void run(bool interleave, uint64_t seed, unsigned order[N])
{
    struct mb_case cases[NCASES];
    for (int i = 0; i < NCASES; i++) {
        mb_case_init(&cases[i], "test", &log_ops, (void *)&ids[i]);
        assert_int_equal(mb_case_param(&cases[i], "name", names[i], true), 0);
    }
    struct tu_capture cap;
    struct mb_reporter *r = tu_capture_init(&cap);
    struct mb_run_config cfg = {.reps = REPS, .warmup = 0, .min_time_ns = 0,
                                .interleave = interleave, .seed = seed};
    nran = 0;
    assert_int_equal(mb_run_cases(cases, NCASES, &cfg, r, 1), 0);
    assert_int_equal(nran, N);

    bool seen[N] = {false};
    for (int i = 0; i < NCASES; i++) {
        const struct tu_case_log *l = tu_capture_find(&cap, &cases[i]);
        assert_non_null(l);
        assert_int_equal(l->ns, REPS);
        for (size_t k = 0; k < REPS; k++) {
            const struct mb_sample *s = &l->s[k];
            /* reported in repetition order, each at its place in the run */
            assert_int_equal(s->rep, k);
            assert_in_range(s->order, 0, N - 1);
            assert_false(seen[s->order]); /* a permutation of 0..N-1 */
            seen[s->order] = true;
            assert_int_equal(ran[s->order], i); /* the pass that ran then was this case's */
            if (k > 0)
                assert_true(s->order > l->s[k - 1].order); /* repetitions keep their rank */
            order[i * REPS + k] = s->order;
        }
    }
}

static bool is_case_order(const unsigned order[N])
{
    for (unsigned k = 0; k < N; k++)
        if (order[k] != k)
            return false;
    return true;
}

static void test_off_is_case_order(void **state)
{
    (void)state;
    unsigned order[N];
    run(false, 1, order);
    assert_true(is_case_order(order));
    run(false, 99, order); /* the seed does not matter then */
    assert_true(is_case_order(order));
}

static void test_on_shuffles_for_some_seed(void **state)
{
    (void)state;
    unsigned order[N];
    int shuffled = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        run(true, seed, order);
        shuffled += !is_case_order(order);
    }
    /* 12! orders: case order by chance for all 8 seeds would be a broken
     * shuffle */
    assert_true(shuffled > 0);
}

static void test_same_seed_same_order(void **state)
{
    (void)state;
    unsigned a[N], b[N], c[N];
    run(true, 42, a);
    run(true, 42, b);
    assert_memory_equal(a, b, sizeof a);
    /* and another seed gives another order (checked for these two seeds) */
    run(true, 43, c);
    assert_true(memcmp(a, c, sizeof a) != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off_is_case_order),
        cmocka_unit_test(test_on_shuffles_for_some_seed),
        cmocka_unit_test(test_same_seed_same_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
