/* Building a case: parameters, cache request, work, phases and metrics. */
#include <stdio.h>
#include <string.h>

#include "mmbench/case.h"
#include "mmbench/error.h"

void mb_case_init(struct mb_case *c, const char *suite, const struct mb_case_ops *ops, void *data)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", suite);
    c->suite = suite;
    c->ops = ops;
    c->data = data;
    c->cache = MB_CACHE_ANY;
    c->work_bytes = c->work_items = -1;
}

int mb_case_param(struct mb_case *c, const char *key, const char *value, bool in_name)
{
    if (c->nparams >= MB_CASE_MAXPARAMS)
        return mb_fail(MB_EUSAGE, "case %s has more than %d parameters", c->name,
                       MB_CASE_MAXPARAMS);
    struct mb_param_kv *p = &c->params[c->nparams];
    if (strlen(value) >= sizeof p->value)
        return mb_fail(MB_EUSAGE, "case %s: parameter %s value '%s' is too long", c->name, key,
                       value);
    if (in_name) {
        size_t used = strlen(c->name);
        bool bare = strcmp(key, "method") == 0;
        int w = snprintf(c->name + used, sizeof c->name - used, "/%s%s%s", bare ? "" : key,
                         bare ? "" : ":", value);
        if (w < 0 || (size_t)w >= sizeof c->name - used) {
            c->name[used] = '\0';
            return mb_fail(MB_EUSAGE, "case name %s/... is too long", c->name);
        }
    }
    p->key = key;
    p->in_name = in_name;
    snprintf(p->value, sizeof p->value, "%s", value);
    c->nparams++;
    return 0;
}

const char *mb_case_get(const struct mb_case *c, const char *key)
{
    for (size_t i = 0; i < c->nparams; i++)
        if (strcmp(c->params[i].key, key) == 0)
            return c->params[i].value;
    return NULL;
}

const char *mb_cache_name(enum mb_cache c)
{
    return c == MB_CACHE_COLD ? "cold" : c == MB_CACHE_WARM ? "warm" : "any";
}

int mb_case_cache(struct mb_case *c, enum mb_cache state, const char *path)
{
    c->cache = state;
    c->cache_path = path;
    if (state == MB_CACHE_COLD)
        c->single_pass = true;
    return mb_case_param(c, "cache", mb_cache_name(state), true);
}

int mb_case_work(struct mb_case *c, double bytes, double items, const char *item)
{
    c->work_bytes = bytes;
    c->work_items = items;
    return mb_case_param(c, "item", item, false);
}

int mb_case_phase(struct mb_case *c, const char *name)
{
    if (c->nphases >= MB_CASE_MAXPHASES)
        return mb_fail(MB_EUSAGE, "case %s has more than %d phases", c->name, MB_CASE_MAXPHASES);
    c->phases[c->nphases++] = name;
    c->single_pass = true;
    return 0;
}

int mb_case_metric(struct mb_case *c, const char *name)
{
    if (c->nmetrics >= MB_MAX_METRICS)
        return mb_fail(MB_EUSAGE, "case %s has more than %d metrics", c->name, MB_MAX_METRICS);
    c->metrics[c->nmetrics++] = name;
    return 0;
}
