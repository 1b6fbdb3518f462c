/* The runner. One repetition:
 *   prepare (untimed) -> set the cache state -> check it with mincore ->
 *   for each pass: read counters, [timer: open, access every record, close],
 *   read counters, verify the checksum of what was delivered.
 * Only open/access/close are inside the timed region; counter reads,
 * verification and cache control stay outside it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/runner.h"

const struct mb_field_info mb_fields[MB_F_COUNT] = {
    [MB_F_WALL] = {"wall_ns", "elapsed time of the timed region (open + every record + close), per pass"},
    [MB_F_CPU] = {"cpu_ns", "CPU time, user + kernel, in the timed region (CLOCK_PROCESS_CPUTIME_ID)"},
    [MB_F_USER] = {"user_ns", "user CPU time in the timed region (getrusage: coarse)"},
    [MB_F_SYS] = {"sys_ns", "kernel CPU time in the timed region"},
    [MB_F_OS_CALLS] = {"os_calls", "read-type system calls (Linux: /proc/self/io syscr)"},
    [MB_F_STORAGE_BYTES] = {"storage_bytes", "bytes fetched from storage, not the page cache (/proc/self/io read_bytes)"},
    [MB_F_STORAGE_OPS] = {"storage_ops", "block input operations (getrusage ru_inblock; Linux counts 512-byte units)"},
    [MB_F_DEVICE_READS] = {"device_reads", "read requests completed by the scratch dir's block device (device-wide)"},
    [MB_F_MAJOR] = {"major_faults", "page faults that waited for I/O"},
    [MB_F_MINOR] = {"minor_faults", "page faults served from memory (incl. mapping page-cache pages)"},
};

/* Maps platform counter bits to sample fields. */
static const struct {
    unsigned bit;
    enum mb_field field;
} counter_map[] = {
    {MB_C_USER, MB_F_USER},           {MB_C_SYS, MB_F_SYS},
    {MB_C_OS_CALLS, MB_F_OS_CALLS},   {MB_C_STORAGE_BYTES, MB_F_STORAGE_BYTES},
    {MB_C_STORAGE_OPS, MB_F_STORAGE_OPS}, {MB_C_MAJOR, MB_F_MAJOR},
    {MB_C_MINOR, MB_F_MINOR},         {MB_C_DEVICE_READS, MB_F_DEVICE_READS},
};

static uint64_t counter_value(const struct mb_counters *c, enum mb_field f)
{
    switch (f) {
    case MB_F_USER: return c->user_ns;
    case MB_F_SYS: return c->sys_ns;
    case MB_F_OS_CALLS: return c->os_calls;
    case MB_F_STORAGE_BYTES: return c->storage_bytes;
    case MB_F_STORAGE_OPS: return c->storage_ops;
    case MB_F_MAJOR: return c->major_faults;
    case MB_F_MINOR: return c->minor_faults;
    case MB_F_DEVICE_READS: return c->device_reads;
    default: return 0;
    }
}

double mb_timer_overhead_ns(void)
{
    enum { BATCH = 1000, ROUNDS = 15 };
    double per[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t t0 = mb_now_ns(), t = t0;
        for (int i = 0; i < BATCH; i++)
            t = mb_now_ns();
        per[r] = (double)(t - t0) / BATCH;
    }
    mb_sort(per, ROUNDS);
    return mb_stat_median(per, ROUNDS);
}

/* What reading the counters itself adds to each count (the read of
 * /proc/self/io is a read-type call): the smallest difference between two
 * back-to-back readings, subtracted from every delta. CPU times are not a
 * fixed cost of a reading and stay 0 here. */
static uint64_t counter_cost[MB_F_COUNT];

static void calibrate_counter_cost(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    for (size_t k = 0; k < sizeof counter_map / sizeof counter_map[0]; k++) {
        enum mb_field f = counter_map[k].field;
        counter_cost[f] = f == MB_F_USER || f == MB_F_SYS ? 0 : UINT64_MAX;
    }
    for (int i = 0; i < 8; i++) {
        struct mb_counters a, b;
        mb_counters_read(&a);
        mb_counters_read(&b);
        for (size_t k = 0; k < sizeof counter_map / sizeof counter_map[0]; k++) {
            enum mb_field f = counter_map[k].field;
            uint64_t d = counter_value(&b, f) - counter_value(&a, f);
            if (d < counter_cost[f])
                counter_cost[f] = d;
        }
    }
}

/* What reading the CPU clock around the timed region adds to the CPU time
 * measured (the part of the two readings' own cost that falls between them,
 * plus the two timer readings): subtracted from every pass. */
static uint64_t cpu_clock_cost;
static bool cpu_clock_ok;

static void calibrate_cpu_clock(void)
{
    uint64_t best = UINT64_MAX, a, b;
    cpu_clock_ok = mb_cpu_now_ns(&a) == 0;
    for (int i = 0; cpu_clock_ok && i < 16; i++) {
        mb_cpu_now_ns(&a);
        (void)mb_now_ns();
        (void)mb_now_ns();
        mb_cpu_now_ns(&b);
        if (b - a < best)
            best = b - a;
    }
    cpu_clock_cost = best == UINT64_MAX ? 0 : best;
}

/* Test-only knob (documented in the README): MMBENCH_TEST_SLOWDOWN=METHOD:PCT
 * stretches METHOD's timed region by PCT percent with a busy wait inside it,
 * so the regression gate's detection rate can be measured on a known change. */
static const char *slow_method;
static double slow_factor;

static void load_slowdown(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    const char *env = getenv("MMBENCH_TEST_SLOWDOWN");
    if (!env || !*env)
        return;
    static char name[64];
    const char *colon = strrchr(env, ':');
    if (!colon || colon == env || (size_t)(colon - env) >= sizeof name) {
        fprintf(stderr, "mmbench: ignoring MMBENCH_TEST_SLOWDOWN='%s' (want METHOD:PERCENT)\n", env);
        return;
    }
    char *end;
    double pct = strtod(colon + 1, &end);
    if (*end || pct <= 0 || pct > 10000) {
        fprintf(stderr, "mmbench: ignoring MMBENCH_TEST_SLOWDOWN='%s' (want METHOD:PERCENT)\n", env);
        return;
    }
    memcpy(name, env, (size_t)(colon - env));
    name[colon - env] = '\0';
    slow_method = name;
    slow_factor = pct / 100.0;
    fprintf(stderr, "mmbench: TEST KNOB: slowing method '%s' down by %.1f%%\n", slow_method, pct);
}

/* One timed pass over every record: *elapsed is its wall time, *cpu its CPU
 * time (read right outside the wall clock's readings). Returns 0 or the
 * method's error. */
static int timed_pass(const struct mb_case *c, struct mb_target *t, uint8_t *dst,
                      uint64_t *elapsed, uint64_t *cpu)
{
    const struct mb_method *m = c->method;
    const struct mb_workload *w = c->w;
    int rc, rc2;
    uint64_t c0 = 0, c1 = 0;

    if (cpu_clock_ok)
        mb_cpu_now_ns(&c0);
    uint64_t t0 = mb_now_ns();
    rc = m->open(t);
    if (!rc) {
        for (size_t i = 0; i < w->nrecords; i++) {
            rc = m->access(t, w->offsets[i], w->record_size, dst + i * w->record_size);
            if (rc)
                break;
        }
        rc2 = m->close(t);
        if (!rc)
            rc = rc2;
    }
    uint64_t t1 = mb_now_ns();
    if (slow_method && strcmp(slow_method, m->name) == 0) {
        uint64_t until = t1 + (uint64_t)((double)(t1 - t0) * slow_factor);
        while ((t1 = mb_now_ns()) < until)
            ;
    }
    if (cpu_clock_ok)
        mb_cpu_now_ns(&c1);
    *elapsed = t1 - t0;
    *cpu = c1 - c0 > cpu_clock_cost ? c1 - c0 - cpu_clock_cost : 0;
    return rc;
}

/* The platform cannot tell which pages are resident (Windows has no
 * mincore); mb_last_error() says why. A state is still labelled where it
 * holds by construction: warm (the whole file was just read), a method that
 * reads no file in its timed region, or a method that reads around the cache
 * (t->uncached). A cold case otherwise cannot be had here: it is reported
 * unsupported with the reason, never measured under a cold label. */
static int unverifiable_cache_state(const struct mb_case *c, const struct mb_target *t,
                                    struct mb_sample *s)
{
    s->resident_before = s->file_pages = -1;
    if (c->cache == MB_CACHE_WARM || (c->method->flags & MB_M_IN_MEMORY) || t->uncached) {
        s->cache_ok = true;
        return 0;
    }
    char why[400];
    snprintf(why, sizeof why, "%s", mb_last_error());
    return mb_fail(MB_EUNSUPPORTED, "cannot make the file cold for %s here: %s", c->method->name,
                   why);
}

/* Puts the file in the case's cache state and measures what was achieved. */
static int set_cache_state(const struct mb_case *c, const struct mb_run_config *cfg,
                           const struct mb_target *t, struct mb_sample *s)
{
    const char *path = c->w->path;
    uint64_t res = 0, total = 0;
    int rc = c->cache == MB_CACHE_COLD ? mb_cache_evict(path) : mb_cache_warm(path);
    if (rc)
        return rc;
    rc = mb_cache_resident(path, &res, &total);
    if (rc == MB_EUNSUPPORTED)
        return unverifiable_cache_state(c, t, s);
    if (rc)
        return rc;
    if (c->cache == MB_CACHE_COLD && res > 0 && cfg->drop_caches) {
        rc = mb_cache_drop_all();
        if (rc)
            return rc;
        rc = mb_cache_resident(path, &res, &total);
        if (rc)
            return rc;
    }
    s->resident_before = (int64_t)res;
    s->file_pages = (int64_t)total;
    s->cache_ok = c->cache == MB_CACHE_COLD ? res == 0 : res == total;
    return 0;
}

/* Runs one repetition of `passes` passes into *s. */
static int run_rep(struct mb_case *c, const struct mb_run_config *cfg, uint8_t *dst,
                   size_t dst_len, uint64_t passes, struct mb_sample *s)
{
    const struct mb_method *m = c->method;
    struct mb_target t = {.path = c->w->path,
                          .file_size = c->w->file_size,
                          .readahead_off = c->readahead_off,
                          .cold = c->cache == MB_CACHE_COLD};
    double acc[MB_F_COUNT] = {0};
    unsigned valid = ~0u;
    bool method_calls = false;
    int rc = 0;

    memset(s, 0, sizeof *s);
    s->passes = passes;
    s->checksum_ok = true;
    if (m->prepare && (rc = m->prepare(&t)) != 0)
        return rc;
    if ((rc = set_cache_state(c, cfg, &t, s)) != 0)
        goto out;

    for (uint64_t p = 0; p < passes; p++) {
        struct mb_counters before, after;
        uint64_t ns = 0, cpu = 0;
        memset(dst, 0, dst_len); /* a method that delivers nothing cannot pass */
        mb_counters_read(&before);
        rc = timed_pass(c, &t, dst, &ns, &cpu);
        mb_counters_read(&after);
        if (rc)
            goto out;
        acc[MB_F_WALL] += (double)ns;
        acc[MB_F_CPU] += (double)cpu;
        valid &= after.valid & before.valid;
        if (!(valid & MB_C_OS_CALLS) && (m->flags & MB_M_COUNTS_CALLS)) {
            /* The platform cannot count calls; the method counted its own. */
            acc[MB_F_OS_CALLS] += (double)t.calls;
            method_calls = true;
        }
        t.calls = 0;
        for (size_t k = 0; k < sizeof counter_map / sizeof counter_map[0]; k++) {
            enum mb_field f = counter_map[k].field;
            uint64_t d = counter_value(&after, f) - counter_value(&before, f);
            uint64_t cost = counter_cost[f];
            acc[f] += (double)(d > cost ? d - cost : 0);
        }
        uint64_t got = mb_checksum(MB_CHECKSUM_INIT, dst, dst_len);
        if (got != c->w->expected) {
            s->checksum_ok = false;
            rc = mb_fail(MB_EVERIFY,
                         "checksum mismatch: %s delivered bytes that differ from the file "
                         "(got %016llx, expected %016llx)",
                         m->name, (unsigned long long)got, (unsigned long long)c->w->expected);
            goto out;
        }
    }
    s->valid = 1u << MB_F_WALL | (cpu_clock_ok ? 1u << MB_F_CPU : 0);
    for (size_t k = 0; k < sizeof counter_map / sizeof counter_map[0]; k++)
        if (valid & counter_map[k].bit)
            s->valid |= 1u << counter_map[k].field;
    if (method_calls)
        s->valid |= 1u << MB_F_OS_CALLS;
    for (int f = 0; f < MB_F_COUNT; f++)
        s->v[f] = acc[f] / (double)passes;
out:
    if (m->release)
        m->release(&t);
    return rc;
}

/* How many passes a warm repetition needs to last cfg->min_time_ns. The
 * fastest of a few single passes sets it: one pass alone may be slowed by
 * whatever ran before (a cold case leaves the CPU idle while it waits for
 * the disk). */
static int calibrate_passes(struct mb_case *c, const struct mb_run_config *cfg, uint8_t *dst,
                            size_t dst_len, uint64_t *passes)
{
    enum { TRIES = 5 };
    *passes = 1;
    if (c->cache != MB_CACHE_WARM || cfg->min_time_ns == 0)
        return 0;
    double one = INFINITY;
    for (int i = 0; i < TRIES; i++) {
        struct mb_sample s;
        int rc = run_rep(c, cfg, dst, dst_len, 1, &s);
        if (rc)
            return rc;
        if (s.v[MB_F_WALL] < one)
            one = s.v[MB_F_WALL];
    }
    if (one < 1.0)
        one = 1.0;
    double want = ceil((double)cfg->min_time_ns / one);
    *passes = want < 1 ? 1 : want > 1e6 ? 1000000 : (uint64_t)want;
    return 0;
}

void mb_summarize(const struct mb_case *c, const struct mb_sample *samples, size_t n,
                  struct mb_summary *out)
{
    (void)c;
    memset(out, 0, sizeof *out);
    out->reps = n;
    out->resident_before_median = -1;
    out->file_pages = -1;
    double *vals = malloc((n ? n : 1) * sizeof *vals);
    if (!vals)
        return;
    unsigned valid = ~0u;
    size_t counted = 0;
    for (size_t i = 0; i < n; i++) {
        if (!samples[i].cache_ok)
            out->cache_misses++;
        if (samples[i].cache_ok && samples[i].checksum_ok) {
            valid &= samples[i].valid;
            counted++;
            out->file_pages = samples[i].file_pages;
        }
    }
    out->n = counted;
    out->valid = counted ? valid : 0;
    for (int f = 0; f < MB_F_COUNT && counted; f++) {
        if (!((out->valid >> f) & 1u))
            continue;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (samples[i].cache_ok && samples[i].checksum_ok)
                vals[k++] = samples[i].v[f];
        mb_sort(vals, k);
        for (size_t st = 0; st < mb_nstats; st++)
            out->stat[f][st] = mb_stats[st].fn(vals, k);
    }
    if (counted) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (samples[i].cache_ok && samples[i].checksum_ok && samples[i].resident_before >= 0)
                vals[k++] = (double)samples[i].resident_before;
        if (k) {
            mb_sort(vals, k);
            out->resident_before_median = mb_stat_median(vals, k);
        }
        out->unstable = mb_summary_get(out, MB_F_WALL, "cv") > MB_CV_WARN;
    }
    free(vals);
}

/* Warm-up time for warm cases (see run_case). */
#define MB_WARMUP_MIN_NS 20000000ull
#define MB_WARMUP_MAX_REPS 1000u

static int run_case(struct mb_case *c, const struct mb_run_config *cfg, struct mb_sample *samples,
                    size_t *nsamples)
{
    const struct mb_workload *w = c->w;
    size_t dst_len = w->nrecords * w->record_size;
    uint8_t *dst = malloc(dst_len ? dst_len : 1);
    uint64_t passes = 1;
    int rc;

    *nsamples = 0;
    if (!dst)
        return mb_fail(MB_ENOMEM, "out of memory for %zu bytes of records", dst_len);
    if ((rc = calibrate_passes(c, cfg, dst, dst_len, &passes)) != 0)
        goto out;
    /* Warm-up: at least cfg->warmup repetitions and, for a warm case, at
     * least MB_WARMUP_MIN_NS of them, so that a CPU that idled through the
     * previous (cold) case is back to speed before anything is kept. */
    uint64_t warm_start = mb_now_ns();
    for (unsigned r = 0; r < cfg->warmup || (cfg->warmup && c->cache == MB_CACHE_WARM &&
                                             r < MB_WARMUP_MAX_REPS &&
                                             mb_now_ns() - warm_start < MB_WARMUP_MIN_NS);
         r++) {
        struct mb_sample s;
        if (mb_interrupted()) {
            rc = mb_fail(MB_EINTR, "interrupted");
            goto out;
        }
        if ((rc = run_rep(c, cfg, dst, dst_len, passes, &s)) != 0)
            goto out;
    }
    for (unsigned r = 0; r < cfg->reps; r++) {
        struct mb_sample s;
        if (mb_interrupted()) {
            rc = mb_fail(MB_EINTR, "interrupted");
            goto out;
        }
        if ((rc = run_rep(c, cfg, dst, dst_len, passes, &s)) != 0)
            goto out;
        s.rep = r;
        samples[(*nsamples)++] = s;
    }
out:
    free(dst);
    return rc;
}

int mb_run_cases(struct mb_case *cases, size_t n, const struct mb_run_config *cfg,
                 struct mb_reporter *const *reporters, size_t nrep)
{
    struct mb_sample *samples = malloc((cfg->reps ? cfg->reps : 1) * sizeof *samples);
    if (!samples)
        return mb_fail(MB_ENOMEM, "out of memory");
    calibrate_counter_cost();
    calibrate_cpu_clock();
    load_slowdown();
    int result = 0, rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct mb_case *c = &cases[i];
        size_t ns = 0;
        mb_clear_error();
        rc = run_case(c, cfg, samples, &ns);
        if (rc == MB_EINTR) {
            result = MB_EINTR;
            break;
        }
        struct mb_summary sum;
        mb_summarize(c, samples, ns, &sum);
        if (rc) {
            c->status = rc;
            snprintf(c->error, sizeof c->error, "%s", mb_last_error());
            ns = 0;
            mb_summarize(c, samples, 0, &sum);
        } else if (sum.n == 0) {
            c->status = MB_EENV;
            snprintf(c->error, sizeof c->error,
                     "the file could not be made %s in any repetition (%lld of %lld pages "
                     "resident; for cold, try --drop-caches as root or a --dir on a disk "
                     "filesystem, not tmpfs)",
                     mb_cache_name(c->cache), (long long)samples[0].resident_before,
                     (long long)samples[0].file_pages);
        }
        for (size_t r = 0; r < nrep; r++) {
            for (size_t k = 0; k < ns; k++)
                if ((rc = reporters[r]->sample(reporters[r], c, &samples[k])) != 0)
                    goto reporter_failed;
            if ((rc = reporters[r]->aggregate(reporters[r], c, &sum)) != 0)
                goto reporter_failed;
        }
        /* A case the platform cannot run (reported with its reason) is not a
         * failure of the run. */
        if (c->status && c->status != MB_EUNSUPPORTED)
            result = 1;
    }
    free(samples);
    return result;
reporter_failed:
    free(samples);
    return rc;
}
