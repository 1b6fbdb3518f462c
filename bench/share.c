/* The `share` suite (claim C6): two processes that share a mapping pass
 * messages through it, and a pipe and a Unix socket carry the same bytes
 * for comparison. Each case forks its child in setup (untimed) and keeps it
 * for every pass: a fork per pass would cost more than the thousands of
 * round trips it carries, and a long-lived peer is how processes that share
 * memory work. A pass sends `messages` messages one at a time; the child
 * checks each one where it arrived (sequence number and content) and
 * replies with its verdict, which the parent checks, so each item is one
 * verified round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/suite.h"

struct channel {
    const char *name;
    enum mb_share_channel ch;
    bool shm;                       /* the message lives in a shared mapping */
};

static const struct channel channels[] = {
    {"futex", MB_CHANNEL_FUTEX, true},
    {"condvar", MB_CHANNEL_CONDVAR, true},
    {"eventfd", MB_CHANNEL_EVENTFD, true},
    {"pipe-notify", MB_CHANNEL_PIPE_NOTIFY, true},
    {"pipe", MB_CHANNEL_PIPE, false},
    {"socket", MB_CHANNEL_SOCKET, false},
};
#define NCHANNELS (sizeof channels / sizeof channels[0])

struct mapping {
    const char *name;
    enum mb_share_how how;
};

static const struct mapping mappings[] = {
    {"name", MB_SHARE_NAME},
    {"inherit-anon", MB_SHARE_INHERIT_ANON},
    {"inherit-file", MB_SHARE_INHERIT_FILE},
    {"scm-rights", MB_SHARE_SCM_RIGHTS},
    {"pidfd-getfd", MB_SHARE_PIDFD_GETFD},
};
#define NMAPPINGS (sizeof mappings / sizeof mappings[0])

/* The channel sweep shares its mapping the simplest way, which works
 * everywhere fork does; the mapping sweep varies it. */
#define SWEEP_MAPPING 1 /* inherit-anon */

/* Round-trip times are binned 16 to an octave (6% wide) so that a pass
 * can report its median and 99th percentile at O(1) cost per message. */
#define NBINS 640

struct share_case {
    struct mb_peer_config cfg;
    const char *dir;
    char *file;                     /* inherit-file: the scratch file mapped */
    struct mb_peer *peer;
    size_t messages, done;
    uint32_t bins[NBINS];
};

enum { M_P50, M_P99, M_CHILD_CPU, M_CPU_PER_RT };

/* ---- round-trip percentiles ----------------------------------------------- */

static size_t bin_of(uint64_t ns)
{
    if (ns < 16)
        return (size_t)ns;
    unsigned e = 63u - (unsigned)__builtin_clzll(ns);
    size_t b = 16 + (size_t)(e - 4) * 16 + (size_t)((ns >> (e - 4)) & 15);
    return b < NBINS ? b : NBINS - 1;
}

/* The middle of bin b, in ns. */
static double bin_mid(size_t b)
{
    if (b < 16)
        return (double)b;
    unsigned e = (unsigned)((b - 16) / 16) + 4;
    double lo = (double)((16 + (b - 16) % 16) << (e - 4));
    return lo + (double)(1ull << (e - 4)) / 2;
}

static double percentile(const uint32_t *bins, size_t n, double q)
{
    size_t want = (size_t)(q * (double)n + 0.999999), seen = 0;
    for (size_t b = 0; b < NBINS; b++)
        if ((seen += bins[b]) >= want && want)
            return bin_mid(b);
    return 0;
}

/* ---- hooks --------------------------------------------------------------- */

static int sc_setup(struct mb_case *c)
{
    struct share_case *s = c->data;
    int rc = 0;
    if (s->cfg.how == MB_SHARE_INHERIT_FILE) {
        rc = mb_scratch_create(s->dir, "share", mb_peer_region_bytes(s->cfg.msg_bytes),
                               mb_content_fill, &s->file);
        s->cfg.file = s->file;
    }
    rc = rc ? rc : mb_peer_start(&s->cfg, &s->peer);
    if (rc && s->file) {
        mb_scratch_remove(s->file);
        free(s->file);
        s->file = NULL;
    }
    return rc;
}

/* The timed work: `messages` verified round trips, one at a time. */
static int sc_pass(struct mb_case *c, struct mb_pass *p)
{
    struct share_case *s = c->data;
    memset(s->bins, 0, sizeof s->bins);
    s->done = 0;
    /* Both processes' CPU time, read outside the loop: on a busy machine the
     * wall time is mostly waiting for a CPU, the CPU time is not. */
    uint64_t cpu0 = 0, cpu1 = 0, kid0 = 0, kid1 = 0;
    int crc = mb_cpu_now_ns(&cpu0);
    crc = crc ? crc : mb_peer_cpu_ns(s->peer, &kid0);
    uint64_t t0 = mb_now_ns();
    for (size_t i = 0; i < s->messages; i++) {
        int rc = mb_peer_exchange(s->peer);
        if (rc)
            return rc;
        uint64_t t1 = mb_now_ns();
        s->bins[bin_of(t1 - t0)]++;
        t0 = t1;
        s->done++;
    }
    crc = crc ? crc : mb_peer_cpu_ns(s->peer, &kid1);
    crc = crc ? crc : mb_cpu_now_ns(&cpu1);
    p->metric[M_P50] += percentile(s->bins, s->done, 0.50);
    p->metric[M_P99] += percentile(s->bins, s->done, 0.99);
    if (crc == 0) {
        p->metric[M_CHILD_CPU] += (double)(kid1 - kid0);
        p->metric[M_CPU_PER_RT] += (double)(cpu1 - cpu0 + kid1 - kid0) / (double)s->done;
    }
    return crc == MB_EUNSUPPORTED ? 0 : crc;
}

static int sc_verify(struct mb_case *c, struct mb_pass *p)
{
    struct share_case *s = c->data;
    (void)p; /* one slot: each pass is checked before the next */
    if (s->done != s->messages)
        return mb_fail(MB_EVERIFY, "%s: %zu of %zu round trips completed", c->name, s->done,
                       s->messages);
    return 0;
}

static void sc_teardown(struct mb_case *c)
{
    struct share_case *s = c->data;
    mb_peer_stop(s->peer);
    s->peer = NULL;
    if (s->file) {
        mb_scratch_remove(s->file);
        free(s->file);
        s->file = NULL;
    }
}

static const struct mb_case_ops share_ops = {
    .setup = sc_setup,
    .pass = sc_pass,
    .verify = sc_verify,
    .teardown = sc_teardown,
};

/* ---- building the cases --------------------------------------------------- */

#define MAX_MSG (64ull << 20)

static int check_size(const char *item, char *valid, size_t vlen)
{
    return mb_size_item_check(item, 8, MAX_MSG, 8,
                              "sizes from 8 bytes to 64MiB, multiples of 8 (8, 64, 4KiB, 1MiB)",
                              valid, vlen);
}

static const struct mb_opt share_opts[] = {
    {"sizes", MB_OPT_LIST, "8,64,4KiB,64KiB,1MiB",
     "message sizes of the channel sweep; the smallest is the round-trip latency", NULL, 0, 0,
     check_size},
    {"channels", MB_OPT_LIST, NULL,
     "channels (default: all): futex, condvar, eventfd, pipe-notify carry a notification and "
     "the message stays in the shared mapping; pipe and socket carry the message itself",
     "futex|condvar|eventfd|pipe-notify|pipe|socket", 0, 0, NULL},
    {"mappings", MB_OPT_LIST, NULL,
     "how the child obtains the mapping, swept at the smallest size with the first mapped "
     "channel (default: all; the channel sweep inherits an anonymous mapping)",
     "name|inherit-anon|inherit-file|scm-rights|pidfd-getfd", 0, 0, NULL},
    {"round-trips", MB_OPT_COUNT, "1000",
     "most round trips per pass (--quick: 200 unless given)", NULL, 8, 10000000, NULL},
    {"bytes-per-pass", MB_OPT_SIZE, "4MiB",
     "message bytes per pass of the larger sizes, at least 8 messages (--quick: 1MiB unless given)",
     NULL, 8, 1ull << 32, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

struct plan_args {
    const char *dir;
    uint64_t round_trips, bytes_per_pass;
};

static int add_case(struct mb_plan *plan, const struct plan_args *a, const struct channel *ch,
                    const struct mapping *m, uint64_t size)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct share_case *s = mb_plan_alloc(plan, sizeof *s);
    if (!c || !s)
        return mb_fail(MB_ENOMEM, "out of memory");
    uint64_t n = a->bytes_per_pass / size;
    n = n < 8 ? 8 : n > a->round_trips ? a->round_trips : n;
    s->cfg = (struct mb_peer_config){.how = m ? m->how : MB_SHARE_NONE, .channel = ch->ch,
                                     .msg_bytes = (size_t)size};
    s->dir = a->dir;
    s->messages = (size_t)n;
    mb_case_init(c, "share", &share_ops, s);
    char num[48];
    int rc = mb_case_param(c, "channel", ch->name, true);
    rc = rc ? rc : mb_case_param(c, "mapping", m ? m->name : "none", true);
    snprintf(num, sizeof num, "%llu", (unsigned long long)size);
    rc = rc ? rc : mb_case_param(c, "msg_bytes", num, true);
    rc = rc ? rc : mb_case_param(c, "carries", ch->shm ? "notification" : "message", false);
    snprintf(num, sizeof num, "%llu", (unsigned long long)n);
    rc = rc ? rc : mb_case_param(c, "messages", num, false);
    rc = rc ? rc : mb_case_metric(c, "round_trip_p50_ns");
    rc = rc ? rc : mb_case_metric(c, "round_trip_p99_ns");
    rc = rc ? rc : mb_case_metric(c, "child_cpu_ns");
    rc = rc ? rc : mb_case_metric(c, "cpu_ns_per_round_trip");
    return rc ? rc : mb_case_work(c, (double)(size * n), (double)n, "round_trip");
}

/* The mapping sweep: every mapping at the smallest size over the first
 * mapped channel; the inherit-anon case is already in the channel sweep. */
static int add_mapping_sweep(struct mb_plan *plan, const struct plan_args *a, const char *chs,
                             const char *maps, uint64_t smallest)
{
    const struct channel *ch = NULL;
    for (size_t i = 0; i < NCHANNELS && !ch; i++)
        if (channels[i].shm && (!chs || mb_list_has(chs, channels[i].name)))
            ch = &channels[i];
    if (!ch && maps)
        return mb_fail(MB_EUSAGE, "--mappings needs a channel that uses the mapping "
                                  "(futex, condvar, eventfd or pipe-notify) in --channels");
    for (size_t m = 0; ch && m < NMAPPINGS; m++) {
        if (m == SWEEP_MAPPING || (maps && !mb_list_has(maps, mappings[m].name)))
            continue;
        int rc = add_case(plan, a, ch, &mappings[m], smallest);
        if (rc)
            return rc;
    }
    return 0;
}

static int share_build(const struct mb_options *o, struct mb_plan *plan)
{
    bool quick = mb_opt_flag(o, "quick");
    struct plan_args a = {
        .dir = mb_opt_str(o, "dir"),
        .round_trips = mb_opt_given(o, "round-trips") || !quick ? mb_opt_num(o, "round-trips")
                                                                : 200,
        .bytes_per_pass = mb_opt_given(o, "bytes-per-pass") || !quick
                              ? mb_opt_num(o, "bytes-per-pass")
                              : 1ull << 20,
    };
    const char *chs = mb_opt_str(o, "channels"), *maps = mb_opt_str(o, "mappings");
    uint64_t sizes[32], smallest = UINT64_MAX;
    size_t nsizes;
    int src = mb_size_list("sizes", mb_opt_str(o, "sizes"), sizes, 32, &nsizes);
    if (src)
        return src;
    for (size_t k = 0; k < nsizes; k++)
        smallest = sizes[k] < smallest ? sizes[k] : smallest;
    for (size_t k = 0; k < nsizes; k++)
        for (size_t i = 0; i < NCHANNELS; i++) {
            if (chs && !mb_list_has(chs, channels[i].name))
                continue;
            const struct mapping *m = channels[i].shm ? &mappings[SWEEP_MAPPING] : NULL;
            int rc = add_case(plan, &a, &channels[i], m, sizes[k]);
            if (rc)
                return rc;
        }
    return add_mapping_sweep(plan, &a, chs, maps, smallest);
}

const struct mb_suite mb_suite_share = {
    .name = "share",
    .help = "round trips between two processes through a shared mapping (futex, condvar, "
            "eventfd, pipe notification) against a pipe and a Unix socket; 8 B to 1 MiB",
    .claims = "C6",
    .opts = share_opts,
    .supported = mb_share_unsupported,
    .build = share_build,
    .plot = "plot-share",
    .plot_outputs = (const char *const[]){"share.svg", "share.png", NULL},
};
