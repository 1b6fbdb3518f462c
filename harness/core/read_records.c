/* Reading records through an access method, as a case's hooks. */
#include <stdio.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/read_records.h"

static int rr_setup(struct mb_case *c)
{
    struct mb_read_records *rr = c->data;
    int rc = mb_workload_arena(rr->w);
    c->batch = rr->w->slots;
    return rc;
}

static int rr_prepare(struct mb_case *c)
{
    struct mb_read_records *rr = c->data;
    struct mb_target *t = &rr->t;
    t->calls = 0;
    t->uncached = false;
    int rc = rr->m->prepare ? rr->m->prepare(t) : 0;
    c->uncached = t->uncached;
    return rc;
}

static int rr_pass(struct mb_case *c, struct mb_pass *p)
{
    struct mb_read_records *rr = c->data;
    const struct mb_method *m = rr->m;
    const struct mb_workload *w = rr->w;
    struct mb_target *t = &rr->t;
    uint8_t *dst = mb_workload_slot(w, p->slot);
    int rc = m->open ? m->open(t) : 0;
    if (rc)
        return rc;
    if (m->pass) {
        rc = m->pass(t, w->offsets, w->nrecords, w->record_size, dst);
    } else {
        for (size_t i = 0; i < w->nrecords && !rc; i++)
            rc = m->access(t, w->offsets[i], w->record_size, dst + i * w->record_size);
    }
    int rc2 = m->close ? m->close(t) : 0;
    if (m->flags & MB_M_COUNTS_CALLS) {
        mb_pass_count(p, MB_F_OS_CALLS, (double)t->calls);
        t->calls = 0;
    }
    return rc ? rc : rc2;
}

/* Every pass delivers into a slot of its own; a slot is compared with the
 * expected bytes and zeroed, so a later pass that delivers nothing into it
 * cannot pass on what an earlier one left. */
static int rr_verify(struct mb_case *c, struct mb_pass *p)
{
    const size_t slot = p->slot;
    struct mb_read_records *rr = c->data;
    const struct mb_workload *w = rr->w;
    uint8_t *dst = mb_workload_slot(w, slot);
    int same = memcmp(dst, w->expected, w->pass_bytes) == 0;
    size_t first = 0;
    while (!same && first < w->pass_bytes && dst[first] == w->expected[first])
        first++;
    memset(dst, 0, w->pass_bytes);
    if (!same)
        return mb_fail(MB_EVERIFY,
                       "%s delivered bytes that differ from the file (first at delivered byte %zu, "
                       "record %zu)",
                       rr->m->name, first, first / w->record_size);
    return 0;
}

/* After a pass cut short (a fault), the method may still hold its file. */
static void rr_release(struct mb_case *c)
{
    struct mb_read_records *rr = c->data;
    if (rr->t.priv && rr->m->close)
        rr->m->close(&rr->t);
    if (rr->m->release)
        rr->m->release(&rr->t);
}

static const struct mb_case_ops read_records_ops = {
    .setup = rr_setup,
    .prepare = rr_prepare,
    .pass = rr_pass,
    .verify = rr_verify,
    .release = rr_release,
};

int mb_read_records_case(struct mb_case *c, const char *suite, struct mb_read_records *rr,
                         const struct mb_method *m, struct mb_workload *w, enum mb_cache cache,
                         bool readahead_off)
{
    *rr = (struct mb_read_records){.m = m, .w = w};
    rr->t = (struct mb_target){.path = w->path, .file_size = w->file_size,
                               .readahead_off = readahead_off, .cold = cache == MB_CACHE_COLD};
    mb_case_init(c, suite, &read_records_ops, rr);
    c->cache_irrelevant = (m->flags & MB_M_IN_MEMORY) != 0;
    char num[32];
    int rc = mb_case_param(c, "method", m->name, true);
    rc = rc ? rc : mb_case_cache(c, cache, w->path);
    /* A pass that reads no file is the same pass in either cache state:
     * cold, it is repeated and batched as warm is, not timed alone. */
    c->single_pass = c->single_pass && !c->cache_irrelevant;
    rc = rc ? rc : mb_case_param(c, "readahead", readahead_off ? "off" : "default", true);
    rc = rc ? rc : mb_case_param(c, "access", w->access == MB_ACCESS_RANDOM ? "random" : "sequential",
                                 w->access == MB_ACCESS_RANDOM);
    snprintf(num, sizeof num, "%zu", w->nrecords);
    rc = rc ? rc : mb_case_param(c, "records", num, false);
    snprintf(num, sizeof num, "%zu", w->record_size);
    rc = rc ? rc : mb_case_param(c, "record_size_bytes", num, false);
    return rc ? rc : mb_case_work(c, (double)w->pass_bytes, (double)w->nrecords, "record");
}
