/* The pieces of the rank tests that the plain Mann-Whitney U test
 * (mannwhitney.c) and van Elteren's stratified test (van_elteren.c) share.
 * Private to harness/compare. */
#ifndef MB_COMPARE_RANK_TEST_H
#define MB_COMPARE_RANK_TEST_H

#include <stddef.h>

#include "mmbench/compare.h"

/* Writes into c[0 .. m*n] how many of the C(m+n, m) orderings of m base and
 * n head values (no ties) give U = k. `c` holds m*n + 1 doubles. Returns 0. */
int mb_cmp_u_counts(size_t m, size_t n, double *c);

/* U of head (pairs with head > base, ties count 1/2) and the tie term
 * sum(t^3 - t) over groups of equal values; *ties is 1 when any group has
 * more than one value. Returns 0, or MB_ENOMEM. */
int mb_cmp_rank_stats(const double *base, size_t nb, const double *head, size_t nh,
                      double *u_head, double *tie_term, int *ties);

/* The variance of U under the null hypothesis, with scipy's tie correction. */
double mb_cmp_u_variance(double nb, double nh, double tie_term);

/* P(Z > z) for a standard normal Z. */
double mb_cmp_normal_sf(double z);

/* Clamps the one-sided p-values to 1 and sets p_two_sided as scipy does. */
void mb_cmp_mwu_finish(struct mb_cmp_mwu *out);

#endif
