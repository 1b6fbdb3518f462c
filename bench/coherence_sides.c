/* The writer and the reader of a coherence pass (coherence_sides.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "coherence_sides.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/thread.h"

/* A spinning side looks at the clock and at ctl->stop every CHECK_EVERY
 * polls, and gives its CPU away once it has spun YIELD_AFTER_NS since it
 * last did: a side that shares a CPU with the other (more runnable threads
 * than free CPUs) must not hold it for a whole time slice, and a poll
 * through pread costs hundreds of times a poll through a view, so the limit
 * is time, not polls. */
#define CHECK_EVERY 16u
#define YIELD_AFTER_NS 2000u
/* How long both sides wait for each other to be ready (a side process may
 * still be starting), and the writer for an acknowledgement beyond the
 * reader's own deadline. */
#define READY_LIMIT_NS 10000000000ull
#define ACK_GRACE_NS 1000000000ull
/* This many writes unseen in a row mean the writer is gone (a lost write is
 * counted and the pass goes on; a dead writer must not keep the reader
 * waiting `writes` deadlines). */
#define UNSEEN_IN_A_ROW 3

/* What a spin keeps between its checks. */
struct spin {
    uint64_t end;               /* give up after this time */
    uint64_t next_yield;
};

static struct spin spin_start(uint64_t limit_ns)
{
    uint64_t now = mb_now_ns();
    return (struct spin){.end = now + limit_ns, .next_yield = now + YIELD_AFTER_NS};
}

/* Every CHECK_EVERY polls: yields when due; true once the time is up. */
static bool spin_expired(struct spin *sp)
{
    uint64_t now = mb_now_ns();
    if (now >= sp->next_yield) {
        mb_yield();
        sp->next_yield = mb_now_ns() + YIELD_AFTER_NS;
    }
    return now > sp->end;
}

size_t coh_ctl_bytes(size_t writes)
{
    return sizeof(struct coh_ctl) + writes * sizeof(uint64_t);
}

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* The check word of record `seq` of the pass seeded `seed`, written at time
 * t to offset off. The seed is in it because the file keeps the records of
 * earlier passes and every pass numbers its writes from 1: record k of an
 * earlier pass, left at the offset of this pass's write k, must not pass
 * for it. */
static uint64_t check_word(uint64_t seed, uint64_t seq, uint64_t t, uint64_t off)
{
    return mix(seq ^ mix(seed ^ mix(t ^ mix(off))));
}

uint64_t coh_offset(uint64_t seed, uint64_t k, size_t file_bytes)
{
    return mix(seed ^ mix(k)) % (file_bytes / COH_SLOT) * COH_SLOT;
}

static uint64_t load(const uint64_t *w)
{
    return __atomic_load_n(w, __ATOMIC_ACQUIRE);
}

static bool stopped(const struct coh_ctl *c)
{
    return load(&c->stop) != 0;
}

int coh_stop(struct coh_ctl *c, int rc, const char *what)
{
    uint64_t zero = 0;
    if (__atomic_compare_exchange_n(&c->stop, &zero, 1, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        snprintf(c->why, sizeof c->why, "%s", what);
    return rc;
}

/* Spins until *w >= want. Returns 0, or MB_EENV when the other side stopped
 * or limit_ns passed. */
static int wait_for(struct coh_ctl *c, const uint64_t *w, uint64_t want, uint64_t limit_ns)
{
    struct spin sp = spin_start(limit_ns);
    for (unsigned polls = 1; load(w) < want; polls++)
        if (polls % CHECK_EVERY == 0 && (stopped(c) || spin_expired(&sp)))
            return MB_EENV;
    return 0;
}

int coh_ready(const struct coh_side *s, int writer)
{
    size_t page = mb_page_size();
    for (size_t off = 0; s->path == COH_VIEW && off < s->file_bytes; off += page) {
        uint64_t *w = (uint64_t *)(s->view + off);
        if (writer)
            __atomic_fetch_add(w, 0, __ATOMIC_RELAXED);
        else
            (void)__atomic_load_n(w, __ATOMIC_RELAXED);
    }
    __atomic_fetch_add(&s->ctl->ready, 1, __ATOMIC_ACQ_REL);
    if (wait_for(s->ctl, &s->ctl->ready, 2, READY_LIMIT_NS) != 0)
        return coh_stop(s->ctl, MB_EENV, "the other side did not get ready");
    return 0;
}

/* Writes record k at `off`: through a view, the time and the check word
 * first, then k with release order, so that a reader through a view that
 * sees k sees the rest; through the handle, as one write. */
static int put_record(const struct coh_side *s, uint64_t k, uint64_t off)
{
    uint64_t t = mb_now_ns();
    uint64_t rec[3] = {t, check_word(s->seed, k, t, off), k};
    if (s->path == COH_HANDLE)
        return mb_coh_write(s->file, rec, sizeof rec, off);
    uint64_t *w = (uint64_t *)(s->view + off);
    __atomic_store_n(&w[0], rec[0], __ATOMIC_RELAXED);
    __atomic_store_n(&w[1], rec[1], __ATOMIC_RELAXED);
    __atomic_store_n(&w[2], rec[2], __ATOMIC_RELEASE);
    return 0;
}

int coh_write_side(const struct coh_side *s)
{
    struct coh_ctl *c = s->ctl;
    for (uint64_t k = 1; k <= s->writes; k++) {
        if (wait_for(c, &c->acked, k - 1, s->deadline_ns + ACK_GRACE_NS) != 0)
            return coh_stop(c, MB_EENV, "the reader stopped acknowledging writes");
        if (k == s->skip)
            continue;
        int rc = put_record(s, k, coh_offset(s->seed, k, s->file_bytes));
        if (rc)
            return coh_stop(c, rc, mb_last_error());
    }
    return 0;
}

/* Reads the record at `off` into rec[] (time, check word, sequence number):
 * through a view, the sequence number first with acquire order. */
static int get_record(const struct coh_side *s, uint64_t off, uint64_t rec[3])
{
    if (s->path == COH_HANDLE)
        return mb_coh_read(s->file, rec, 3 * sizeof rec[0], off);
    const uint64_t *w = (const uint64_t *)(s->view + off);
    rec[2] = __atomic_load_n(&w[2], __ATOMIC_ACQUIRE);
    rec[0] = __atomic_load_n(&w[0], __ATOMIC_RELAXED);
    rec[1] = __atomic_load_n(&w[1], __ATOMIC_RELAXED);
    return 0;
}

/* Spins on write k until it is seen intact; returns 0 with *lat set (ns
 * since the write began, or COH_UNSEEN after the deadline), or an MB_E*
 * code. A record that holds k but a wrong check word is one caught half
 * written: the spin goes on. */
static int await_write(const struct coh_side *s, uint64_t k, uint64_t *lat)
{
    uint64_t off = coh_offset(s->seed, k, s->file_bytes), rec[3];
    struct spin sp = spin_start(s->deadline_ns);
    for (unsigned polls = 1;; polls++) {
        int rc = get_record(s, off, rec);
        if (rc)
            return rc;
        if (rec[2] == k && rec[1] == check_word(s->seed, k, rec[0], off)) {
            uint64_t now = mb_now_ns();
            *lat = now > rec[0] ? now - rec[0] : 0;
            return 0;
        }
        if (polls % CHECK_EVERY == 0) {
            if (stopped(s->ctl))
                return MB_EENV;
            if (spin_expired(&sp)) {
                *lat = COH_UNSEEN;
                return 0;
            }
        }
    }
}

int coh_read_side(const struct coh_side *s)
{
    struct coh_ctl *c = s->ctl;
    unsigned missed = 0;
    for (uint64_t k = 1; k <= s->writes; k++) {
        uint64_t lat = COH_UNSEEN;
        int rc = await_write(s, k, &lat);
        if (rc)
            return coh_stop(c, rc, stopped(c) ? "stopped by the writer" : mb_last_error());
        missed = lat == COH_UNSEEN ? missed + 1 : 0;
        if (missed == UNSEEN_IN_A_ROW)
            return coh_stop(c, MB_EENV, "the writer stopped writing: the last writes went unseen");
        c->lat[k - 1] = lat;
        if (lat != COH_UNSEEN)
            __atomic_fetch_add(&c->seen, 1, __ATOMIC_RELAXED);
        __atomic_store_n(&c->acked, k, __ATOMIC_RELEASE);
    }
    return 0;
}
