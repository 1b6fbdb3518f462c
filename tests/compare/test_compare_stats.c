/* Unit tests of the comparison's statistics: median, Mann-Whitney U (values
 * checked against scipy.stats.mannwhitneyu 1.10), Holm, the bootstrap. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mmbench/compare.h"

/* From tests/compare/van_elteren_ref.py. */
#define VE_REF_P_GREATER 0.042867888070614021

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void median_odd_even_constant(void **state)
{
    (void)state;
    double a[] = {5, 1, 4, 2, 3};
    assert_true(mb_cmp_median_inplace(a, 5) == 3);
    double b[] = {10, 1, 7, 3};
    assert_true(mb_cmp_median_inplace(b, 4) == 5);
    double c[] = {2, 2, 2, 2, 2, 2};
    assert_true(mb_cmp_median_inplace(c, 6) == 2);
    double d[] = {9};
    assert_true(mb_cmp_median_inplace(d, 1) == 9);
    double e[200];
    for (int i = 0; i < 200; i++)
        e[i] = (double)((i * 37) % 200); /* a permutation of 0..199 */
    assert_true(mb_cmp_median_inplace(e, 200) == 99.5);
}

static void ratio_edges(void **state)
{
    (void)state;
    assert_true(mb_cmp_ratio(0, 0) == 1);
    assert_true(isinf(mb_cmp_ratio(3, 0)));
    assert_true(mb_cmp_ratio(3, 2) == 1.5);
}

static void mwu_check(const double *b, size_t nb, const double *h, size_t nh, double greater,
                      double less, double two, int exact)
{
    struct mb_cmp_mwu m;
    assert_int_equal(mb_cmp_mann_whitney(b, nb, h, nh, &m), 0);
    assert_true(fabs(m.p_greater - greater) < 1e-12);
    assert_true(fabs(m.p_less - less) < 1e-12);
    assert_true(fabs(m.p_two_sided - two) < 1e-12);
    assert_int_equal(m.exact, exact);
}

static void mwu_exact_matches_scipy(void **state)
{
    (void)state;
    double b[] = {1.0, 2.0, 3.5, 4.0, 7.0}, h[] = {3.0, 5.0, 6.0, 8.0, 9.0, 10.0};
    mwu_check(b, N(b), h, N(h), 0.04112554112554113, 0.9740259740259741, 0.08225108225108226, 1);
    double one_b[] = {1.0}, one_h[] = {2.0};
    mwu_check(one_b, 1, one_h, 1, 0.5, 1.0, 1.0, 1);
}

static void mwu_asymptotic_ties_match_scipy(void **state)
{
    (void)state;
    double b[] = {1, 2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9};
    double h[] = {2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 10, 11, 12};
    mwu_check(b, N(b), h, N(h), 0.044850088119491476, 0.9600892526356859, 0.08970017623898295, 0);
    struct mb_cmp_mwu m;
    assert_int_equal(mb_cmp_mann_whitney(b, N(b), h, N(h), &m), 0);
    assert_true(m.u_head == 109.5);
}

static void mwu_all_equal_is_no_evidence(void **state)
{
    (void)state;
    double v[10] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    mwu_check(v, 10, v, 10, 1, 1, 1, 0);
}

static void mwu_exact_large_other_side(void **state)
{
    (void)state;
    /* 3 head values all above 500 base values: p = 1 / C(503, 3). */
    static double b[500];
    for (int i = 0; i < 500; i++)
        b[i] = i;
    double h[] = {1000, 1001, 1002};
    struct mb_cmp_mwu m;
    assert_int_equal(mb_cmp_mann_whitney(b, 500, h, 3, &m), 0);
    assert_true(m.exact);
    assert_true(fabs(m.p_greater / mb_cmp_min_p(500, 3) - 1) < 1e-9);
}

static void min_p(void **state)
{
    (void)state;
    assert_true(fabs(mb_cmp_min_p(5, 5) - 1.0 / 252) < 1e-15);
    assert_true(fabs(mb_cmp_min_p(3, 3) - 1.0 / 20) < 1e-15);
}

static void holm_adjusts_and_keeps_order(void **state)
{
    (void)state;
    double p[] = {0.01, 0.04, 0.03, 0.005, NAN}, adj[5];
    assert_int_equal(mb_cmp_holm(p, 5, adj), 0);
    assert_true(fabs(adj[0] - 0.03) < 1e-15);
    assert_true(fabs(adj[1] - 0.06) < 1e-15);
    assert_true(fabs(adj[2] - 0.06) < 1e-15);
    assert_true(fabs(adj[3] - 0.02) < 1e-15);
    assert_true(isnan(adj[4]));
    double big[] = {0.6, 0.9}; /* capped at 1 */
    assert_int_equal(mb_cmp_holm(big, 2, big), 0);
    assert_true(big[0] == 1 && big[1] == 1);
}

static void bootstrap_is_seeded_and_covers(void **state)
{
    (void)state;
    double b[30], h[30];
    for (int i = 0; i < 30; i++) {
        b[i] = 100 + (i * 7) % 11;         /* around 105 */
        h[i] = 1.25 * (100 + (i * 5) % 11); /* 25% more */
    }
    struct mb_cmp_sample sb = {b, 30, NULL, NULL, 0}, sh = {h, 30, NULL, NULL, 0};
    double lo1, hi1, lo2, hi2, lo3, hi3;
    assert_int_equal(mb_cmp_bootstrap_ratio_ci(&sb, &sh, 0, 2000, 0.95, 7, &lo1, &hi1), 0);
    assert_int_equal(mb_cmp_bootstrap_ratio_ci(&sb, &sh, 0, 2000, 0.95, 7, &lo2, &hi2), 0);
    assert_true(lo1 == lo2 && hi1 == hi2);
    assert_true(lo1 <= 1.25 && hi1 >= 1.25 && lo1 > 1.15 && hi1 < 1.35);
    assert_int_equal(mb_cmp_bootstrap_ratio_ci(&sb, &sh, 0, 2000, 0.95, 8, &lo3, &hi3), 0);
    assert_true(lo3 > 1.15 && hi3 < 1.35);
}

static void bootstrap_rounds_widen_the_interval(void **state)
{
    (void)state;
    /* Three rounds per side whose levels differ by +-5%: pooled as one round
     * the interval is narrow; as rounds it must be wider. */
    double b[30], h[30];
    for (int i = 0; i < 30; i++) {
        double level = 1.0 + 0.05 * (i / 10 - 1);
        b[i] = 100 * level + (i % 10) * 0.1;
        h[i] = 100 * (2.0 - level) + (i % 10) * 0.1;
    }
    size_t start[] = {0, 10, 20}, end[] = {10, 20, 30};
    struct mb_cmp_sample pb = {b, 30, NULL, NULL, 0}, ph = {h, 30, NULL, NULL, 0};
    struct mb_cmp_sample rb = {b, 30, start, end, 3}, rh = {h, 30, start, end, 3};
    double lo_p, hi_p, lo_r, hi_r;
    assert_int_equal(mb_cmp_bootstrap_ratio_ci(&pb, &ph, 0, 2000, 0.95, 1, &lo_p, &hi_p), 0);
    assert_int_equal(mb_cmp_bootstrap_ratio_ci(&rb, &rh, 0, 2000, 0.95, 1, &lo_r, &hi_r), 0);
    assert_true(hi_r - lo_r > 1.5 * (hi_p - lo_p));
}

/* Rounds whose speed drifts by +-20%, the same for base and head in each
 * pair (A B A B ... on a machine that slows down and recovers), with head
 * 25% slower throughout. */
static void drifting_pairs(double *b, double *h, size_t *start, size_t *end)
{
    static const double level[5] = {1.0, 1.2, 0.85, 1.1, 0.9};
    for (int r = 0; r < 5; r++) {
        start[r] = (size_t)r * 10;
        end[r] = start[r] + 10;
        for (int i = 0; i < 10; i++) {
            b[r * 10 + i] = 100 * level[r] * (1 + 0.01 * (i % 3));
            h[r * 10 + i] = 125 * level[r] * (1 + 0.01 * ((i + 1) % 3));
        }
    }
}

static void paired_rounds_cancel_drift(void **state)
{
    (void)state;
    double b[50], h[50];
    size_t start[5], end[5];
    drifting_pairs(b, h, start, end);
    struct mb_cmp_sample sb = {b, 50, start, end, 5}, sh = {h, 50, start, end, 5};
    double lo_u, hi_u, lo_p, hi_p;
    assert_int_equal(mb_cmp_bootstrap_ratio_ci(&sb, &sh, 0, 2000, 0.95, 3, &lo_u, &hi_u), 0);
    assert_int_equal(mb_cmp_bootstrap_ratio_ci(&sb, &sh, 1, 2000, 0.95, 3, &lo_p, &hi_p), 0);
    assert_true(lo_p > 1.15 && hi_p < 1.35);       /* paired: the 25% is seen */
    assert_true(hi_u - lo_u > 2 * (hi_p - lo_p));  /* unpaired: drowned in drift */

    struct mb_cmp_mwu pooled, strata;
    assert_int_equal(mb_cmp_mann_whitney(b, 50, h, 50, &pooled), 0);
    assert_int_equal(mb_cmp_van_elteren(&sb, &sh, &strata), 0);
    assert_true(strata.p_greater < 1e-6);
    assert_true(strata.p_greater < pooled.p_greater);
    /* every head value above its pair's base: U = 100 per stratum, weight 1/21 */
    assert_true(fabs(strata.u_head - 500.0 / 21) < 1e-9);
    assert_true(strata.p_greater == strata.p_min); /* the most extreme outcome */
}

static void strata_of_one_is_the_plain_test(void **state)
{
    (void)state;
    double b[] = {1, 2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9};
    double h[] = {2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 10, 11, 12};
    size_t sb0 = 0, eb0 = 12, sh0 = 0, eh0 = 13;
    struct mb_cmp_sample sb = {b, 12, &sb0, &eb0, 1}, sh = {h, 13, &sh0, &eh0, 1};
    struct mb_cmp_mwu m;
    assert_int_equal(mb_cmp_van_elteren(&sb, &sh, &m), 0);
    /* One stratum with ties: the weight cancels out of z, and the continuity
     * correction is half a step, so this is scipy's asymptotic p. */
    assert_true(fabs(m.p_greater - 0.044850088119491476) < 1e-12);
    assert_true(fabs(m.p_two_sided - 0.08970017623898295) < 1e-12);
    assert_false(m.exact);
}

/* Brute force: every assignment of each stratum's values to base and head
 * (the permutation distribution, all equally likely under the null), the
 * van Elteren statistic of each, and the share at or above the observed. */
static double brute_force_ve(const double *v, const size_t *n, const size_t *nb, size_t k,
                             const unsigned *observed_mask)
{
    size_t total = 1, bits = 0;
    for (size_t i = 0; i < k; i++) {
        total <<= n[i];
        bits += n[i];
    }
    double obs = 0;
    size_t hits = 0, valid = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t m = 0; m < total; m++) {
            size_t off = 0, shift = 0, mask_ok = 1;
            double w = 0;
            for (size_t i = 0; i < k; i++) {
                size_t sm = (m >> shift) & ((1u << n[i]) - 1);
                if (pass == 0)
                    sm = observed_mask[i];
                if ((size_t)__builtin_popcount((unsigned)sm) != n[i] - nb[i])
                    mask_ok = 0; /* bit set = head */
                double u = 0;
                for (size_t a = 0; a < n[i]; a++)
                    for (size_t b = 0; b < n[i]; b++)
                        if ((sm >> a & 1) && !(sm >> b & 1) && v[off + a] > v[off + b])
                            u++;
                w += u / (double)(n[i] + 1);
                off += n[i];
                shift += n[i];
            }
            if (pass == 0) {
                obs = w;
                break;
            }
            if (!mask_ok)
                continue;
            valid++;
            hits += w >= obs - 1e-12;
        }
    (void)bits;
    return (double)hits / (double)valid;
}

static void van_elteren_exact_matches_brute_force(void **state)
{
    (void)state;
    /* Strata (2 base, 3 head) and (3 base, 2 head) and (2, 2): unequal
     * sizes, so unequal weights 1/6, 1/6, 1/5. */
    double b[] = {1.0, 4.0, 2.0, 5.5, 7.0, 3.0, 8.0};
    double h[] = {3.5, 6.0, 9.0, 6.5, 8.5, 4.5, 9.5};
    size_t sb[] = {0, 2, 5}, eb[] = {2, 5, 7}, sh[] = {0, 3, 5}, eh[] = {3, 5, 7};
    struct mb_cmp_sample xb = {b, 7, sb, eb, 3}, xh = {h, 7, sh, eh, 3};
    struct mb_cmp_mwu m;
    assert_int_equal(mb_cmp_van_elteren(&xb, &xh, &m), 0);
    assert_true(m.exact);
    /* The same values laid out per stratum, base first, head bits set. */
    double v[] = {1.0, 4.0, 3.5, 6.0, 9.0, 2.0, 5.5, 7.0, 6.5, 8.5, 3.0, 8.0, 4.5, 9.5};
    size_t n[] = {5, 5, 4}, nb[] = {2, 3, 2};
    unsigned mask[] = {0x1c, 0x18, 0xc};
    double want = brute_force_ve(v, n, nb, 3, mask);
    assert_true(fabs(m.p_greater - want) < 1e-12);
    /* The smallest p: each stratum at its extreme, 1/10 * 1/10 * 1/6. */
    assert_true(fabs(m.p_min - 1.0 / 600) < 1e-15);
}

/* Van Elteren's weights differ from equal weights: the strata sizes
 * (5,6), (7,7), (3,9), (6,4), with the normal approximation forced by ties. */
static void van_elteren_weights(void **state)
{
    (void)state;
    size_t nb[] = {5, 7, 3, 6}, nh[] = {6, 7, 9, 4};
    double b[21], h[26];
    size_t sb[4], eb[4], sh[4], eh[4], ib = 0, ih = 0;
    for (size_t k = 0; k < 4; k++) {
        sb[k] = ib;
        sh[k] = ih;
        for (size_t i = 0; i < nb[k]; i++)
            b[ib++] = (double)(i % 4); /* ties within strata */
        for (size_t i = 0; i < nh[k]; i++)
            h[ih++] = (double)(i % 4) + (k % 2 ? 1 : 0);
        eb[k] = ib;
        eh[k] = ih;
    }
    struct mb_cmp_sample xb = {b, ib, sb, eb, 4}, xh = {h, ih, sh, eh, 4};
    struct mb_cmp_mwu m;
    assert_int_equal(mb_cmp_van_elteren(&xb, &xh, &m), 0);
    assert_false(m.exact);
    /* Computed independently (tests/compare/van_elteren_ref.py). */
    assert_true(fabs(m.p_greater - VE_REF_P_GREATER) < 1e-9);
}

static void bootstrap_infinite_ratio(void **state)
{
    (void)state;
    double b[] = {0, 0, 0, 0}, h[] = {3, 4, 5, 6};
    struct mb_cmp_sample sb = {b, 4, NULL, NULL, 0}, sh = {h, 4, NULL, NULL, 0};
    double lo, hi;
    assert_int_equal(mb_cmp_bootstrap_ratio_ci(&sb, &sh, 0, 100, 0.95, 1, &lo, &hi), 0);
    assert_true(isinf(lo) && isinf(hi));
}

/* The interval's ends are order statistics of the replicates, picked by
 * selection: with one or two replicates, with all replicates equal, and
 * with only three possible ratios (base median 1, 1.5 or 2 over head 2). */
static void bootstrap_quantiles_of_few_resamples(void **state)
{
    (void)state;
    double one_b[] = {2}, one_h[] = {3};
    struct mb_cmp_sample sb = {one_b, 1, NULL, NULL, 0}, sh = {one_h, 1, NULL, NULL, 0};
    double lo, hi;
    for (unsigned n = 1; n <= 3; n++) {
        assert_int_equal(mb_cmp_bootstrap_ratio_ci(&sb, &sh, 0, n, 0.95, 1, &lo, &hi), 0);
        assert_true(lo == 1.5 && hi == 1.5);
    }
    double two_b[] = {1, 2}, two_h[] = {2};
    struct mb_cmp_sample tb = {two_b, 2, NULL, NULL, 0}, th = {two_h, 1, NULL, NULL, 0};
    assert_int_equal(mb_cmp_bootstrap_ratio_ci(&tb, &th, 0, 2000, 0.95, 1, &lo, &hi), 0);
    assert_true(lo == 1 && hi == 2);
    assert_int_equal(mb_cmp_bootstrap_ratio_ci(&tb, &th, 0, 2, 0.95, 1, &lo, &hi), 0);
    assert_true(lo >= 1 && lo <= hi && hi <= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(median_odd_even_constant),
        cmocka_unit_test(ratio_edges),
        cmocka_unit_test(mwu_exact_matches_scipy),
        cmocka_unit_test(mwu_asymptotic_ties_match_scipy),
        cmocka_unit_test(mwu_all_equal_is_no_evidence),
        cmocka_unit_test(mwu_exact_large_other_side),
        cmocka_unit_test(min_p),
        cmocka_unit_test(holm_adjusts_and_keeps_order),
        cmocka_unit_test(bootstrap_is_seeded_and_covers),
        cmocka_unit_test(bootstrap_rounds_widen_the_interval),
        cmocka_unit_test(bootstrap_infinite_ratio),
        cmocka_unit_test(bootstrap_quantiles_of_few_resamples),
        cmocka_unit_test(paired_rounds_cancel_drift),
        cmocka_unit_test(strata_of_one_is_the_plain_test),
        cmocka_unit_test(van_elteren_exact_matches_brute_force),
        cmocka_unit_test(van_elteren_weights),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
