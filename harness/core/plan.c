/* Suite plans: the cases, workloads and case data a suite builds. */
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/suite.h"

struct mb_case *mb_plan_add_case(struct mb_plan *p)
{
    if (p->ncases == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 32;
        struct mb_case *n = realloc(p->cases, cap * sizeof *n);
        if (!n)
            return NULL;
        p->cases = n;
        p->cap = cap;
    }
    struct mb_case *c = &p->cases[p->ncases++];
    memset(c, 0, sizeof *c);
    return c;
}

/* Workloads never move once made, because case data points at them: the
 * array is allocated once at its full size. */
#define WORKLOAD_CHUNK 64

struct mb_workload *mb_plan_add_workload(struct mb_plan *p)
{
    if (!p->workloads) {
        p->workloads = calloc(WORKLOAD_CHUNK, sizeof *p->workloads);
        if (!p->workloads)
            return NULL;
        p->wcap = WORKLOAD_CHUNK;
    }
    if (p->nworkloads == p->wcap) {
        mb_fail(MB_EUSAGE, "a plan holds at most %d workloads", WORKLOAD_CHUNK);
        return NULL;
    }
    struct mb_workload *w = &p->workloads[p->nworkloads++];
    memset(w, 0, sizeof *w);
    return w;
}

void *mb_plan_alloc(struct mb_plan *p, size_t size)
{
    if (p->nblocks == p->bcap) {
        size_t cap = p->bcap ? p->bcap * 2 : 32;
        void **n = realloc(p->blocks, cap * sizeof *n);
        if (!n)
            return NULL;
        p->blocks = n;
        p->bcap = cap;
    }
    void *b = calloc(1, size ? size : 1);
    if (b)
        p->blocks[p->nblocks++] = b;
    return b;
}

void mb_plan_free(struct mb_plan *p)
{
    for (size_t i = 0; i < p->nworkloads; i++)
        mb_workload_free(&p->workloads[i]);
    for (size_t i = 0; i < p->nblocks; i++)
        free(p->blocks[i]);
    free(p->workloads);
    free(p->cases);
    free(p->blocks);
    memset(p, 0, sizeof *p);
}
