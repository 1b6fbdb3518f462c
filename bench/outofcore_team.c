/* The extra reader threads of an outofcore pass (outofcore_team.h).
 *
 * One handshake per interval, in C11 atomics: the caller clears `stop` and
 * `parked` and bumps `epoch` (release); a member that sees the new epoch
 * (acquire) reads bursts until it sees `stop`, then adds itself to `parked`
 * (release) and waits for the next epoch; the caller, once `parked` counts
 * every member (acquire), may read the members' counters and look at the
 * cache while nobody reads. Waits spin with mb_yield: they last one burst
 * (the drain) or one probe of the cache (a few ms every interval), too short
 * to be worth a sleep and its wake-up latency, and a yield leaves the CPU to
 * whoever has work on a machine with fewer CPUs than threads. */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/thread.h"
#include "outofcore_team.h"

struct member {
    struct oc_team *team;
    void *arg;
    struct mb_thread *th;
    atomic_uint_fast64_t reads; /* blocks read, written by the member only */
    uint64_t taken;             /* the part of `reads` the caller has counted */
    atomic_bool failed;
};

struct oc_team {
    oc_burst_fn burst;
    unsigned n, per_burst;
    atomic_uint epoch;
    atomic_uint parked;
    atomic_bool stop, quit;
    bool reading;   /* caller's view: go was called and halt not yet */
    bool ended;     /* every thread joined */
    struct member m[];
};

/* One interval of a member's reading, inside its guarded call. */
static int read_until_stop(void *arg)
{
    struct member *m = arg;
    struct oc_team *t = m->team;
    while (!atomic_load_explicit(&t->stop, memory_order_relaxed)) {
        int rc = t->burst(m->arg);
        if (rc)
            return rc;
        atomic_fetch_add_explicit(&m->reads, t->per_burst, memory_order_relaxed);
    }
    return 0;
}

static int member_main(void *arg)
{
    struct member *m = arg;
    struct oc_team *t = m->team;
    unsigned seen = 0;
    for (;;) {
        unsigned e;
        while ((e = atomic_load_explicit(&t->epoch, memory_order_acquire)) == seen)
            mb_yield();
        seen = e;
        if (atomic_load_explicit(&t->quit, memory_order_relaxed))
            return 0;
        /* A fault in the mapping comes back here as an error, on this
         * thread: the member parks failed, and the caller ends the team. */
        int rc = mb_guarded_call(read_until_stop, m);
        if (rc)
            atomic_store_explicit(&m->failed, true, memory_order_relaxed);
        atomic_fetch_add_explicit(&t->parked, 1, memory_order_release);
        if (rc)
            return rc;
    }
}

/* Ends and joins every started thread (the members stand still, or have
 * returned); returns the first member's error, with its message. */
static int finish(struct oc_team *t, unsigned started)
{
    char why[512] = "";
    int first = 0;
    atomic_store_explicit(&t->quit, true, memory_order_relaxed);
    atomic_fetch_add_explicit(&t->epoch, 1, memory_order_release);
    for (unsigned i = 0; i < started; i++) {
        int rc = mb_thread_join(t->m[i].th);
        if (rc && !first) {
            first = rc;
            snprintf(why, sizeof why, "%s", mb_last_error());
        }
    }
    t->ended = true;
    return first ? mb_fail(first, "%s", why) : 0;
}

int oc_team_start(struct oc_team **out, unsigned n, oc_burst_fn burst, void *const *args,
                  unsigned per_burst)
{
    struct oc_team *t = calloc(1, sizeof *t + n * sizeof t->m[0]);
    if (!t)
        return mb_fail(MB_ENOMEM, "out of memory for %u reader threads", n);
    t->burst = burst;
    t->n = n;
    t->per_burst = per_burst;
    atomic_init(&t->epoch, 0);
    atomic_init(&t->parked, 0);
    atomic_init(&t->stop, false);
    atomic_init(&t->quit, false);
    for (unsigned i = 0; i < n; i++) {
        t->m[i].team = t;
        t->m[i].arg = args[i];
        atomic_init(&t->m[i].reads, 0);
        atomic_init(&t->m[i].failed, false);
    }
    for (unsigned i = 0; i < n; i++) {
        int rc = mb_thread_start(&t->m[i].th, member_main, &t->m[i]);
        if (rc) {
            char why[512];
            snprintf(why, sizeof why, "%s", mb_last_error());
            finish(t, i);
            free(t);
            return mb_fail(rc, "reader thread %u of %u: %s", i + 1, n, why);
        }
    }
    *out = t;
    return 0;
}

void oc_team_go(struct oc_team *t)
{
    atomic_store_explicit(&t->stop, false, memory_order_relaxed);
    atomic_store_explicit(&t->parked, 0, memory_order_relaxed);
    atomic_fetch_add_explicit(&t->epoch, 1, memory_order_release);
    t->reading = true;
}

/* Waits until every member stands still after `stop`. */
static void drain(struct oc_team *t)
{
    atomic_store_explicit(&t->stop, true, memory_order_relaxed);
    while (atomic_load_explicit(&t->parked, memory_order_acquire) < t->n)
        mb_yield();
    t->reading = false;
}

int oc_team_halt(struct oc_team *t, uint64_t *reads)
{
    drain(t);
    bool failed = false;
    for (unsigned i = 0; i < t->n; i++) {
        struct member *m = &t->m[i];
        uint64_t r = atomic_load_explicit(&m->reads, memory_order_relaxed);
        *reads += r - m->taken;
        m->taken = r;
        failed |= atomic_load_explicit(&m->failed, memory_order_relaxed);
    }
    return failed ? finish(t, t->n) : 0;
}

int oc_team_end(struct oc_team *t)
{
    if (!t)
        return 0;
    if (t->reading)
        drain(t);
    int rc = t->ended ? 0 : finish(t, t->n);
    free(t);
    return rc;
}
