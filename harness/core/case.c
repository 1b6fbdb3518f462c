/* Case parameters, summaries and suite plans. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/suite.h"

const char *mb_case_param(const struct mb_case *c, const char *key)
{
    for (size_t i = 0; i < c->nparams; i++)
        if (strcmp(c->params[i].key, key) == 0)
            return c->params[i].value;
    return NULL;
}

int mb_case_set_param(struct mb_case *c, const char *key, const char *value)
{
    if (c->nparams >= MB_CASE_MAXPARAMS)
        return mb_fail(MB_EUSAGE, "case %s has too many parameters", c->name);
    c->params[c->nparams].key = key;
    snprintf(c->params[c->nparams].value, sizeof c->params[c->nparams].value, "%s", value);
    c->nparams++;
    return 0;
}

const char *mb_cache_name(enum mb_cache c)
{
    return c == MB_CACHE_COLD ? "cold" : "warm";
}

double mb_summary_get(const struct mb_summary *s, enum mb_field f, const char *stat)
{
    if (!s->n || !((s->valid >> f) & 1u))
        return NAN;
    for (size_t k = 0; k < mb_nstats; k++)
        if (strcmp(mb_stats[k].name, stat) == 0)
            return s->stat[f][k];
    return NAN;
}

/* Plans grow in chunks that are never moved, because cases point at
 * workloads: a workload array is allocated once at its chunk size. */
#define WORKLOAD_CHUNK 64

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

void mb_plan_free(struct mb_plan *p)
{
    for (size_t i = 0; i < p->nworkloads; i++)
        mb_workload_free(&p->workloads[i]);
    free(p->workloads);
    free(p->cases);
    memset(p, 0, sizeof *p);
}
