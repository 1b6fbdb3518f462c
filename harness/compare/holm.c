/* Holm's step-down correction. Twenty-four benchmarks tested at alpha = 0.05
 * each would give a false alarm in most A/A runs; Holm keeps the chance of
 * any false "slower" at alpha without Bonferroni's loss of power. */
#include <math.h>
#include <stdlib.h>

#include "mmbench/compare.h"
#include "mmbench/error.h"

struct ranked {
    double p;
    size_t i;
};

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i); /* stable: same input, same output */
}

int mb_cmp_holm(const double *p, size_t m, double *adj)
{
    struct ranked *r = malloc((m ? m : 1) * sizeof *r);
    if (!r)
        return MB_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (!isnan(p[i]))
            r[k++] = (struct ranked){p[i], i};
    qsort(r, k, sizeof *r, cmp_ranked);
    double running = 0;
    for (size_t j = 0; j < k; j++) {
        double a = (double)(k - j) * r[j].p;
        if (a > 1)
            a = 1;
        if (a > running)
            running = a; /* adjusted p-values never decrease down the order */
        adj[r[j].i] = running;
    }
    /* NaN entries were not ranked; copy them through when adj is not p. */
    for (size_t i = 0; i < m; i++)
        if (isnan(p[i]))
            adj[i] = p[i];
    free(r);
    return 0;
}
