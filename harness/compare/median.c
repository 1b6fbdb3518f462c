/* Medians by selection, not sorting: the bootstrap takes two medians per
 * resample, thousands of times per benchmark. */
#include <float.h>
#include <math.h>
#include <stddef.h>

#include "mmbench/compare.h"

/* Moves the k-th smallest value of v[0..n) to v[k], smaller ones before it
 * (Wirth's selection: the pivot is the value at k, so sorted and constant
 * input, common for repetitions, stay linear). */
static void select_kth(double *v, size_t n, size_t k)
{
    ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
    while (l < m) {
        double x = v[kk];
        ptrdiff_t i = l, j = m;
        do {
            while (v[i] < x)
                i++;
            while (x < v[j])
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < kk)
            l = i;
        if (kk < i)
            m = j;
    }
}

double mb_cmp_median_inplace(double *v, size_t n)
{
    size_t k = n / 2;
    select_kth(v, n, k);
    if (n % 2)
        return v[k];
    /* The lower middle is the largest value left of k after selection. */
    double below = v[0];
    for (size_t i = 1; i < k; i++)
        if (v[i] > below)
            below = v[i];
    return (below + v[k]) / 2;
}

double mb_cmp_ratio(double head, double base)
{
    /* A denormal is read as zero: dividing by one gives a ratio of 1e300
     * that means nothing, and it is the base's zero that matters. */
    if (fabs(base) < DBL_MIN)
        base = 0;
    if (fabs(head) < DBL_MIN)
        head = 0;
    if (base == 0)
        return head == 0 ? 1.0 : (head > 0 ? INFINITY : -INFINITY);
    return head / base;
}
