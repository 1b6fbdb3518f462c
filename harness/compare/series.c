/* The per-benchmark series of one side, indexed by name. Result files from
 * several rounds are merged into one set, and Google Benchmark files can hold
 * thousands of benchmarks, so lookups go through a hash index. */
#include <stdlib.h>
#include <string.h>

#include "mmbench/compare.h"
#include "mmbench/error.h"

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

void mb_cmp_set_init(struct mb_cmp_set *set)
{
    memset(set, 0, sizeof *set);
}

void mb_cmp_set_free(struct mb_cmp_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->s[i].name);
        free(set->s[i].v);
        free(set->s[i].excluded_reason);
        free(set->s[i].blk);
        free(set->s[i].blk_file);
    }
    free(set->s);
    free(set->slot);
    mb_cmp_set_init(set);
}

/* Returns the slot where `name` is, or the empty slot where it would go. */
static size_t find_slot(const struct mb_cmp_set *set, const char *name)
{
    size_t mask = set->nslot - 1;
    size_t i = (size_t)hash_name(name) & mask;
    while (set->slot[i] && strcmp(set->s[set->slot[i] - 1].name, name) != 0)
        i = (i + 1) & mask;
    return i;
}

struct mb_cmp_series *mb_cmp_set_find(const struct mb_cmp_set *set, const char *name)
{
    if (!set->nslot)
        return NULL;
    size_t i = find_slot(set, name);
    return set->slot[i] ? &set->s[set->slot[i] - 1] : NULL;
}

/* Keeps the index at most half full so probes stay short. */
static int grow_index(struct mb_cmp_set *set)
{
    size_t nslot = set->nslot ? set->nslot * 2 : 64;
    size_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return MB_ENOMEM;
    free(set->slot);
    set->slot = slot;
    set->nslot = nslot;
    for (size_t k = 0; k < set->n; k++)
        set->slot[find_slot(set, set->s[k].name)] = k + 1;
    return 0;
}

struct mb_cmp_series *mb_cmp_set_get(struct mb_cmp_set *set, const char *name)
{
    struct mb_cmp_series *found = mb_cmp_set_find(set, name);
    if (found)
        return found;
    if ((set->n + 1) * 2 > set->nslot && grow_index(set))
        return NULL;
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        struct mb_cmp_series *s = realloc(set->s, cap * sizeof *s);
        if (!s)
            return NULL;
        set->s = s;
        set->cap = cap;
    }
    struct mb_cmp_series *s = &set->s[set->n];
    memset(s, 0, sizeof *s);
    size_t len = strlen(name);
    s->name = malloc(len + 1);
    if (!s->name)
        return NULL;
    memcpy(s->name, name, len + 1);
    set->n++;
    set->slot[find_slot(set, name)] = set->n;
    return s;
}

int mb_cmp_series_push(struct mb_cmp_series *s, double x, size_t file)
{
    if (s->last_file != file + 1) {
        if (s->nblk == s->blkcap) {
            size_t cap = s->blkcap ? s->blkcap * 2 : 4;
            size_t *b = realloc(s->blk, cap * sizeof *b);
            if (!b)
                return MB_ENOMEM;
            s->blk = b;
            size_t *f = realloc(s->blk_file, cap * sizeof *f);
            if (!f)
                return MB_ENOMEM;
            s->blk_file = f;
            s->blkcap = cap;
        }
        s->blk_file[s->nblk] = file;
        s->blk[s->nblk++] = s->n;
        s->last_file = file + 1;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        double *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return MB_ENOMEM;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return 0;
}

int mb_cmp_series_exclude(struct mb_cmp_series *s, const char *reason, int failed)
{
    s->excluded++;
    s->failed += failed != 0;
    if (s->excluded_reason)
        return 0;
    size_t len = strlen(reason);
    s->excluded_reason = malloc(len + 1);
    if (!s->excluded_reason)
        return MB_ENOMEM;
    memcpy(s->excluded_reason, reason, len + 1);
    return 0;
}
