/* The `outofcore` suite: a file several times larger than the memory the
 * run may use (--mem-limit, a memory cgroup that caps the page cache too),
 * read in uniformly random blocks for a fixed time, by one thread or by
 * --threads at once (each its own sequence), through pread(2) into a
 * buffer (through the page cache, or around it with O_DIRECT as fio's psync
 * engine reads) or by copying out of a MAP_SHARED mapping of the whole file. Each
 * repetition starts with the file evicted, so the series shows the cache
 * filling and then evicting; the figure of merit is the steady state, the
 * median throughput over the last half of the intervals. Every interval the
 * pass looks at the cache (mincore on a mapping of its own, the cgroup's
 * charge): those probes are not reading, so the pass measures itself
 * (measured_by_pass) and reports only the time and the counters of its
 * reading, between the probes. The shape it reproduces: Crotty, Leis and
 * Pavlo, "Are You Sure You Want to Use MMAP in Your Database Management
 * System?" (CIDR 2022). Every block read is folded into a checksum and
 * compared with the fold of the content function over that block, computed
 * once in setup from mb_content_fill, never from the file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/memlimit.h"
#include "mmbench/platform.h"
#include "mmbench/result_set.h"
#include "mmbench/stats.h"
#include "mmbench/suite.h"
#include "outofcore_team.h"

enum method { M_PREAD, M_PREAD_DIRECT, M_MMAP, M_MMAP_NORMAL, NMETHODS };
static const char *const method_names[NMETHODS] = {"pread", "pread-direct", "mmap",
                                                   "mmap-normal"};
/* The metrics of a pass, in mb_case_metric order. */
enum { MX_STEADY_IOPS, MX_FILL_S, MX_STEADY_RESIDENT, MX_READS };
/* Blocks read between two looks at the clock (about 20 ns each): at a
 * million reads a second 8 us, and still short of an interval at 100 reads
 * a second (mmap-normal, where each fault reads a whole readahead window). */
enum { BURST = 8 };
#define SERIES_FILE "timeseries.csv"
#define MAX_THREADS 64

/* One interval of a pass. */
struct oc_point {
    uint64_t t_ns;              /* its end, in time spent reading since the pass began */
    uint64_t read_ns;           /* the time spent reading in it (probes left out) */
    uint64_t reads;
    uint64_t resident;          /* pages of the file resident at its end (mincore) */
    uint64_t charged;           /* bytes charged to the cgroup at its end */
    int charged_ok;
};

struct oc_case;

/* The file and what every case shares: made by the first case's setup,
 * removed by the last one's teardown. */
struct oc_shared {
    const char *dir;
    uint64_t size, nblocks;
    size_t block;
    uint64_t dur_ns, iv_ns, seed;
    unsigned threads;           /* reading threads per pass, the caller's included */
    unsigned warmup, slots;     /* passes kept per case: warm-ups + measured */
    size_t cap;                 /* intervals kept per pass */
    char *path;
    uint64_t *want;             /* the fold of each block's content */
    /* What one reading of the counters adds to the COUNTER fields between
     * two readings (its own read calls), taken off every interval. */
    double cost[MB_F_COUNT];
    unsigned users;
    const struct mb_plan *plan; /* for out_dir */
    struct oc_case *cases[NMETHODS];
    size_t ncases;
};

/* One reading thread's own: its open file (struct mb_file_io keeps a
 * position, so no two threads share one), buffer, sequence and first wrong
 * block. Reader 0 is the calling thread's. */
struct oc_reader {
    const struct oc_case *z;
    struct mb_file_io io;
    bool io_open;
    uint8_t *buf;
    uint64_t rng;
    uint64_t bad;               /* 1 + the first block whose fold was wrong; 0 none */
    uint64_t bad_got;
};

struct oc_case {
    enum method m;
    struct oc_shared *sh;
    struct mb_region r;
    struct oc_reader *rd;       /* sh->threads of them */
    void **rd_args;             /* &rd[1].. for the team */
    struct oc_team *team;       /* the other readers, while a pass runs */
    struct oc_point *pts;       /* slots x cap */
    size_t *npts;               /* per slot */
    unsigned passes;            /* passes run so far, warm-ups included */
    uint64_t bad;               /* 1 + the first block whose fold was wrong; 0 none */
    uint64_t bad_got;
    /* The counters of the current pass, summed over its intervals. */
    struct mb_counters c0;      /* read when the interval's reading began */
    double acc[MB_F_COUNT];
    mb_fieldset valid;
};

/* Folds one block: a rotate and an xor per 8 bytes, a multiply at the end,
 * so a wrong byte or a block from elsewhere changes the result, at a cost
 * far below the read's. */
static inline uint64_t fold(const uint8_t *p, size_t n)
{
    uint64_t x = 0;
    for (size_t i = 0; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        x = ((x << 7) | (x >> 57)) ^ w;
    }
    return (x ^ n) * 0x100000001b3ull;
}

/* ---- counting the reading only ------------------------------------------ */

/* A field the pass counts itself from the platform's counters. */
static bool counted_field(int f)
{
    return mb_fields[f].source == MB_SRC_COUNTER || mb_fields[f].source == MB_SRC_GAUGE;
}

/* The least that two readings of the counters back to back differ by in
 * each COUNTER field. */
static void counters_cost(struct oc_shared *sh)
{
    for (int f = 0; f < MB_F_COUNT; f++)
        sh->cost[f] = INFINITY;
    for (int i = 0; i < 5; i++) {
        struct mb_counters a, b;
        mb_counters_read(&a, MB_COUNTERS_BEFORE);
        mb_counters_read(&b, MB_COUNTERS_AFTER);
        for (int f = 0; f < MB_F_COUNT; f++)
            if (mb_fields[f].source == MB_SRC_COUNTER && (a.valid & b.valid) >> f & 1u)
                sh->cost[f] = fmin(sh->cost[f], b.v[f] - a.v[f]);
    }
    for (int f = 0; f < MB_F_COUNT; f++)
        if (!isfinite(sh->cost[f]))
            sh->cost[f] = 0;
    mb_clear_error();
}

/* Starts counting an interval's reading: counters, then the clock. */
static uint64_t tally_open(struct oc_case *z)
{
    mb_counters_read(&z->c0, MB_COUNTERS_BEFORE);
    return mb_now_ns();
}

/* Ends it (the clock was read): adds what the counters moved by. */
static void tally_close(struct oc_case *z)
{
    struct mb_counters c1;
    mb_counters_read(&c1, MB_COUNTERS_AFTER);
    z->valid &= z->c0.valid & c1.valid;
    for (int f = 0; f < MB_F_COUNT; f++)
        if (counted_field(f))
            z->acc[f] += c1.v[f] - z->c0.v[f] - z->sh->cost[f];
}

/* Hands the pass's reading time and counters to the runner; CPU time is
 * user + kernel, the counters' own clock. */
static void tally_report(struct oc_case *z, struct mb_pass *p, uint64_t read_ns)
{
    mb_pass_count(p, MB_F_WALL, (double)read_ns);
    for (int f = 0; f < MB_F_COUNT; f++)
        if (counted_field(f) && (z->valid >> f & 1u))
            mb_pass_count(p, (enum mb_field)f, z->acc[f]);
    if (z->valid >> MB_F_USER & z->valid >> MB_F_SYS & 1u)
        mb_pass_count(p, MB_F_CPU, z->acc[MB_F_USER] + z->acc[MB_F_SYS]);
    mb_clear_error();
}

/* ---- the shared file ---------------------------------------------------- */

static int make_expected(struct oc_shared *sh)
{
    enum { CHUNK = 1 << 20 };
    uint8_t *buf = malloc(CHUNK);
    sh->want = malloc((size_t)sh->nblocks * sizeof *sh->want);
    if (!buf || !sh->want) {
        free(buf);
        return mb_fail(MB_ENOMEM, "out of memory for the expected folds");
    }
    size_t per = CHUNK / sh->block;
    for (uint64_t b = 0; b < sh->nblocks; b += per) {
        size_t n = sh->nblocks - b < per ? (size_t)(sh->nblocks - b) : per;
        mb_content_fill(buf, b * sh->block, n * sh->block);
        for (size_t i = 0; i < n; i++)
            sh->want[b + i] = fold(buf + i * sh->block, sh->block);
    }
    free(buf);
    return 0;
}

static void shared_put(struct oc_shared *sh)
{
    if (!sh->users || --sh->users)
        return;
    if (sh->path) {
        mb_scratch_remove(sh->path);
        free(sh->path);
        sh->path = NULL;
    }
    free(sh->want);
    sh->want = NULL;
}

/* Made inside the run's memory cgroup, so its page cache is charged there
 * from the first byte written. */
static int shared_get(struct oc_shared *sh)
{
    if (sh->users++)
        return 0;
    int rc = mb_scratch_create(sh->dir, "outofcore", sh->size, mb_content_fill, &sh->path);
    rc = rc ? rc : make_expected(sh);
    if (!rc)
        counters_cost(sh);
    if (rc)
        shared_put(sh);
    return rc;
}

/* ---- the time series ------------------------------------------------------ */

/* Rewrites the series of every measured pass so far into the result set
 * being staged (committed with it, or removed with it). */
static int write_series(const struct oc_shared *sh)
{
    const char *dir = sh->plan->out_dir;
    if (!dir)
        return 0;
    char path[MB_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/" SERIES_FILE, dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return mb_fail(MB_EENV, "cannot write %s", path);
    fprintf(f, "method,rep,t_s,interval_s,reads,iops,resident_pages,charged_bytes,threads\n");
    for (size_t k = 0; k < sh->ncases; k++) {
        const struct oc_case *z = sh->cases[k];
        unsigned done = z->passes < sh->slots ? z->passes : sh->slots;
        for (unsigned s = sh->warmup; s < done; s++)
            for (size_t i = 0; i < z->npts[s]; i++) {
                const struct oc_point *pt = &z->pts[s * sh->cap + i];
                double iv = (double)pt->read_ns / 1e9;
                fprintf(f, "%s,%u,%.3f,%.4f,%llu,%.0f,%llu,", method_names[z->m],
                        s - sh->warmup + 1, (double)pt->t_ns / 1e9, iv,
                        (unsigned long long)pt->reads, (double)pt->reads / iv,
                        (unsigned long long)pt->resident);
                if (pt->charged_ok)
                    fprintf(f, "%llu", (unsigned long long)pt->charged);
                fprintf(f, ",%u\n", sh->threads);
            }
    }
    return fclose(f) == 0 ? 0 : mb_fail(MB_EENV, "writing %s failed", path);
}

/* ---- hooks ----------------------------------------------------------------- */

static void free_case(struct oc_case *z)
{
    for (unsigned i = 0; z->rd && i < z->sh->threads; i++)
        mb_aligned_free(z->rd[i].buf);
    free(z->rd);
    free(z->rd_args);
    free(z->pts);
    free(z->npts);
    z->rd = NULL;
    z->rd_args = NULL;
    z->pts = NULL;
    z->npts = NULL;
}

static int oc_setup(struct mb_case *c)
{
    struct oc_case *z = c->data;
    struct oc_shared *sh = z->sh;
    z->rd = calloc(sh->threads, sizeof *z->rd);
    z->rd_args = calloc(sh->threads, sizeof *z->rd_args);
    z->pts = calloc((size_t)sh->slots * sh->cap, sizeof *z->pts);
    z->npts = calloc(sh->slots, sizeof *z->npts);
    bool ok = z->rd && z->rd_args && z->pts && z->npts;
    for (unsigned i = 0; ok && i < sh->threads; i++) {
        z->rd[i] = (struct oc_reader){.z = z, .io = {.fd = -1}};
        z->rd[i].buf = mb_aligned_alloc(mb_page_size(), sh->block);
        ok = z->rd[i].buf != NULL;
        if (i)
            z->rd_args[i - 1] = &z->rd[i];
    }
    int rc = ok ? shared_get(sh) : mb_fail(MB_ENOMEM, "out of memory");
    if (rc) {
        free_case(z);
        return rc;
    }
    c->cache_path = sh->path;
    return 0;
}

/* Opens the file the way the method reads it, before the repetition's
 * eviction, which a mapping nothing has touched yet does not hinder (the
 * runner checks the file cold afterwards), and outside the timed pass. */
static int oc_prepare(struct mb_case *c)
{
    struct oc_case *z = c->data;
    const struct oc_shared *sh = z->sh;
    if (z->m == M_PREAD || z->m == M_PREAD_DIRECT) {
        int rc = 0;
        for (unsigned i = 0; !rc && i < sh->threads; i++) {
            struct oc_reader *rd = &z->rd[i];
            rc = mb_file_io_open(&rd->io, sh->path, z->m == M_PREAD ? MB_IO_PREAD : MB_IO_DIRECT);
            rd->io_open = rc == 0;
        }
        return rc;
    }
    int rc = mb_file_map(&z->r, sh->path, (size_t)sh->size,
                         z->m == M_MMAP ? MB_MAP_RANDOM : MB_MAP_NORMAL);
    if (!rc)
        mb_guard_watch(z->r.base, z->r.len);
    return rc;
}

/* BURST uniformly random blocks of reader `arg`'s sequence, each folded
 * and checked. Touches only the reader's own state and what the pass does
 * not change while it reads (the mapping, the expected folds). */
static int burst(void *arg)
{
    struct oc_reader *rd = arg;
    const struct oc_case *z = rd->z;
    const struct oc_shared *sh = z->sh;
    for (unsigned i = 0; i < BURST; i++) {
        uint64_t b = mb_rand_next(&rd->rng) % sh->nblocks, off = b * sh->block;
        if (rd->io_open) {
            int rc = mb_file_io_read(&rd->io, off, rd->buf, sh->block);
            if (rc)
                return rc;
        } else {
            memcpy(rd->buf, z->r.base + off, sh->block);
        }
        uint64_t h = fold(rd->buf, sh->block);
        if (h != sh->want[b] && !rd->bad) {
            rd->bad = b + 1;
            rd->bad_got = h;
        }
    }
    return 0;
}

/* Closes an interval: its reads and time, then the cache as it stands. */
static int close_interval(struct oc_case *z, struct oc_point *pt, uint64_t read_total,
                          uint64_t read_ns, uint64_t reads)
{
    uint64_t total;
    *pt = (struct oc_point){.t_ns = read_total, .read_ns = read_ns, .reads = reads};
    int rc = mb_cache_resident(z->sh->path, &pt->resident, &total);
    pt->charged_ok = mb_memlimit_usage(&pt->charged) == 0;
    mb_clear_error();
    return rc ? mb_fail(rc, "the file's resident pages cannot be counted here") : 0;
}

/* Each reader's sequence: reader 0's is the one a single thread reads, the
 * others start from it hashed with their index; all depend only on the seed
 * and the repetition, so every method reads the same blocks in the same
 * repetition. */
static void seed_readers(struct oc_case *z)
{
    uint64_t base = z->sh->seed ^ (0x9E3779B97F4A7C15ull * (z->passes + 1));
    for (unsigned i = 0; i < z->sh->threads; i++) {
        uint64_t s = base + i;
        z->rd[i].rng = i ? mb_rand_next(&s) : base;
    }
}

/* The wrong block a reader met (the lowest-numbered reader's), for verify. */
static void merge_bad(struct oc_case *z)
{
    for (unsigned i = 0; !z->bad && i < z->sh->threads; i++) {
        z->bad = z->rd[i].bad;
        z->bad_got = z->rd[i].bad_got;
    }
}

/* Starts an interval's reading: the counters and the clock, then the other
 * readers. Returns the clock. */
static uint64_t interval_start(struct oc_case *z)
{
    uint64_t from = tally_open(z);
    if (z->team)
        oc_team_go(z->team);
    return from;
}

/* Ends one: the other readers stop after their current burst, which is
 * reading time (*now moves to when the last one stopped) and adds to
 * *reads; then the counters. Returns 0, or the error a reader met. */
static int interval_end(struct oc_case *z, uint64_t *now, uint64_t *reads)
{
    if (z->team) {
        int rc = oc_team_halt(z->team, reads);
        if (rc)
            return rc;
        *now = mb_now_ns();
    }
    tally_close(z);
    return 0;
}

/* The timed work: random blocks for --duration of reading, counted per
 * interval; the probes between intervals are left out of the time and the
 * counters. With --threads N the calling thread reads with N-1 others (a
 * team), and every reader stands still while the caller probes: so the
 * time and counters are those of the reading at every thread count, as with
 * one, at the price of a drain of one burst per thread an interval (counted
 * as reading). Sampling counters while the readers ran on would put the
 * probes' CPU and calls into the figures, more so the fewer CPUs there
 * are for the readers. */
static int oc_pass(struct mb_case *c, struct mb_pass *p)
{
    struct oc_case *z = c->data;
    const struct oc_shared *sh = z->sh;
    unsigned slot = z->passes < sh->slots ? z->passes : sh->slots - 1;
    struct oc_point *pt = &z->pts[slot * sh->cap];
    size_t n = 0;
    int rc = 0;
    seed_readers(z);
    memset(z->acc, 0, sizeof z->acc);
    z->valid = ~(mb_fieldset)0;
    /* Started before the clock, ended after it; release ends them when the
     * pass fails. */
    if (sh->threads > 1 &&
        (rc = oc_team_start(&z->team, sh->threads - 1, burst, z->rd_args, BURST)) != 0)
        return rc;
    uint64_t read_total = 0, reads = 0, from = interval_start(z);
    for (bool last = false; !last;) {
        if ((rc = burst(&z->rd[0])) != 0)
            return rc;
        reads += BURST;
        uint64_t now = mb_now_ns();
        last = read_total + (now - from) >= sh->dur_ns;
        if (now - from < sh->iv_ns && !last)
            continue;
        if ((rc = interval_end(z, &now, &reads)) != 0)
            return rc;
        read_total += now - from;
        /* A short last interval would be noise at the end of the series. */
        if (n < sh->cap && (!last || now - from >= sh->iv_ns / 2) &&
            (rc = close_interval(z, &pt[n++], read_total, now - from, reads)) != 0)
            return rc;
        reads = 0;
        if (!last)
            from = interval_start(z);
    }
    rc = oc_team_end(z->team);
    z->team = NULL;
    if (rc)
        return rc;
    merge_bad(z);
    tally_report(z, p, read_total);
    z->npts[slot] = n;
    z->passes++;
    return 0;
}

/* Steady state: the median over the last half of the intervals; the cache
 * is full at the first interval whose resident pages reach 90% of the
 * steady median. A cache still filling at the half leaves no steady state
 * to report. */
static int pass_metrics(const struct oc_point *pt, size_t n, double *metric, double dur_s,
                        bool cached)
{
    size_t h = n / 2, m = n - h;
    double *iops = malloc(2 * m * sizeof *iops), *res = iops + m, reads = 0;
    if (!iops)
        return mb_fail(MB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        reads += (double)pt[i].reads;
    for (size_t i = 0; i < m; i++) {
        iops[i] = (double)pt[h + i].reads / ((double)pt[h + i].read_ns / 1e9);
        res[i] = (double)pt[h + i].resident;
    }
    mb_sort(iops, m);
    mb_sort(res, m);
    double steady_res = mb_stat_median(res, m), steady = mb_stat_median(iops, m);
    free(iops);
    /* Reached by construction: half the last intervals are at the median. */
    size_t f = 0;
    while (f < n && (double)pt[f].resident < 0.9 * steady_res)
        f++;
    double fill = (double)pt[f < n ? f : n - 1].t_ns / 1e9;
    if (f > h)
        return mb_fail(MB_EENV, "the cache was full only at %.1f s, after half of the %.0f s "
                       "the pass read for: no steady state to report (give a longer "
                       "--duration, or a smaller --mem-limit)", fill, dur_s);
    metric[MX_STEADY_IOPS] += steady;
    /* Reads around the page cache fill nothing: unavailable, not 0. */
    metric[MX_FILL_S] += cached ? fill : NAN;
    metric[MX_STEADY_RESIDENT] += steady_res;
    metric[MX_READS] += reads;
    return 0;
}

static int oc_verify(struct mb_case *c, struct mb_pass *p)
{
    struct oc_case *z = c->data;
    const struct oc_shared *sh = z->sh;
    if (z->bad) {
        uint64_t b = z->bad - 1;
        return mb_fail(MB_EVERIFY, "%s: block %llu (offset %llu) folds to %016llx, the content "
                       "function gives %016llx", method_names[z->m], (unsigned long long)b,
                       (unsigned long long)(b * sh->block), (unsigned long long)z->bad_got,
                       (unsigned long long)sh->want[b]);
    }
    unsigned slot = z->passes - 1 < sh->slots ? z->passes - 1 : sh->slots - 1;
    size_t n = z->npts[slot];
    if (n < 2)
        return mb_fail(MB_EENV, "%s: the pass recorded %zu intervals; at least 2 are needed",
                       method_names[z->m], n);
    int rc = pass_metrics(&z->pts[slot * sh->cap], n, p->metric, (double)sh->dur_ns / 1e9,
                          z->m != M_PREAD_DIRECT);
    return rc ? rc : write_series(sh);
}

static void oc_release(struct mb_case *c)
{
    struct oc_case *z = c->data;
    oc_team_end(z->team); /* a failed pass's: its error is already the case's */
    z->team = NULL;
    for (unsigned i = 0; i < z->sh->threads; i++) {
        struct oc_reader *rd = &z->rd[i];
        if (rd->io_open)
            mb_file_io_close(&rd->io);
        rd->io_open = false;
        rd->bad = 0;
    }
    if (z->r.base)
        mb_guard_watch(NULL, 0);
    mb_region_unmap(&z->r);
    z->bad = 0;
}

static void oc_teardown(struct mb_case *c)
{
    struct oc_case *z = c->data;
    free_case(z);
    shared_put(z->sh);
}

static const struct mb_case_ops outofcore_ops = {
    .setup = oc_setup,
    .prepare = oc_prepare,
    .pass = oc_pass,
    .verify = oc_verify,
    .release = oc_release,
    .teardown = oc_teardown,
};

/* ---- building the cases ----------------------------------------------------- */

static const struct mb_opt outofcore_opts[] = {
    {"file-size", MB_OPT_SIZE, NULL,
     "size of the file read (default: 4 x --mem-limit; a multiple of --block)", NULL, 16ull << 20,
     64ull << 30, NULL},
    {"duration", MB_OPT_COUNT, "20",
     "seconds each repetition reads for; the cache must be full within the first half "
     "(--quick: 4 unless given)",
     NULL, 1, 3600, NULL},
    {"interval-ms", MB_OPT_COUNT, "250", "length of one point of the time series, in ms", NULL, 50,
     60000, NULL},
    {"block", MB_OPT_SIZE, "4096", "bytes per random read (a power of two, 512 to 1MiB)", NULL,
     512, 1 << 20, NULL},
    {"methods", MB_OPT_LIST, "pread,mmap",
     "pread into a buffer; pread-direct: the same with O_DIRECT, around the page cache (fio's "
     "psync); mmap: copy out of a MAP_SHARED mapping with MADV_RANDOM; mmap-normal: the same "
     "without advice (the kernel reads around each fault)",
     "pread|pread-direct|mmap|mmap-normal", 0, 0, NULL},
    {"threads", MB_OPT_COUNT, "1",
     "threads reading at once, each its own random sequence (1 to 64): the calling thread and "
     "N-1 more, all stopped while the cache is probed between intervals",
     NULL, 1, MAX_THREADS, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

/* The file's size and timing from the options; usage errors name them. */
static int shared_init(struct oc_shared *sh, const struct mb_options *o, uint64_t limit)
{
    bool quick = mb_opt_flag(o, "quick");
    sh->dir = mb_opt_str(o, "dir");
    sh->block = (size_t)mb_opt_num(o, "block");
    sh->size = mb_opt_given(o, "file-size") ? mb_opt_num(o, "file-size") : 4 * limit;
    uint64_t dur = mb_opt_given(o, "duration") || !quick ? mb_opt_num(o, "duration") : 4;
    sh->dur_ns = dur * 1000000000ull;
    sh->iv_ns = mb_opt_num(o, "interval-ms") * 1000000ull;
    sh->seed = mb_opt_num(o, "seed");
    sh->threads = (unsigned)mb_opt_num(o, "threads");
    sh->warmup = (unsigned)mb_opt_num(o, "warmup");
    sh->slots = sh->warmup + (unsigned)mb_opt_num(o, "reps");
    if (sh->block & (sh->block - 1))
        return mb_fail(MB_EUSAGE, "--block %zu is not a power of two", sh->block);
    if (sh->size % sh->block || (uint64_t)(size_t)sh->size != sh->size)
        return mb_fail(MB_EUSAGE, "--file-size %llu is not a multiple of --block %zu that this "
                       "address space can map", (unsigned long long)sh->size, sh->block);
    if (sh->iv_ns * 4 > sh->dur_ns)
        return mb_fail(MB_EUSAGE, "--duration %llu s holds fewer than 4 intervals of "
                       "--interval-ms %llu", (unsigned long long)dur,
                       (unsigned long long)(sh->iv_ns / 1000000));
    sh->nblocks = sh->size / sh->block;
    sh->cap = (size_t)(sh->dur_ns / sh->iv_ns) + 2;
    return 0;
}

/* The file must fit, with room to spare, before anything is made. */
static int check_space(const struct oc_shared *sh)
{
    uint64_t avail;
    if (mb_space_free(sh->dir, &avail) != 0) {
        mb_clear_error();
        return 0; /* unknown: creating the file will say */
    }
    if (avail >= sh->size + (64ull << 20))
        return 0;
    return mb_fail(MB_EUSAGE, "--dir %s has %llu MiB free; the %llu MiB file needs %llu MiB",
                   sh->dir, (unsigned long long)(avail >> 20), (unsigned long long)(sh->size >> 20),
                   (unsigned long long)((sh->size >> 20) + 64));
}

static int add_case(struct mb_plan *plan, struct oc_shared *sh, enum method m, uint64_t limit)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct oc_case *z = mb_plan_alloc(plan, sizeof *z);
    if (!c || !z)
        return mb_fail(MB_ENOMEM, "out of memory");
    z->m = m;
    z->sh = sh;
    sh->cases[sh->ncases++] = z;
    mb_case_init(c, "outofcore", &outofcore_ops, z);
    c->single_pass = true;
    c->measured_by_pass = true; /* its reading, without the probes between */
    char num[48];
    int rc = mb_case_param(c, "method", method_names[m], true);
    snprintf(num, sizeof num, "%llu", (unsigned long long)sh->size);
    rc = rc ? rc : mb_case_param(c, "file_bytes", num, true);
    snprintf(num, sizeof num, "%llu", (unsigned long long)limit);
    rc = rc ? rc : mb_case_param(c, "mem_limit_bytes", num, true);
    snprintf(num, sizeof num, "%zu", sh->block);
    rc = rc ? rc : mb_case_param(c, "block_bytes", num, false);
    /* In the name from 2 on: a 1-thread case keeps the name it has always
     * had, so results of earlier runs still compare with it, and no N-thread
     * case compares with a case of another N. */
    snprintf(num, sizeof num, "%u", sh->threads);
    rc = rc ? rc : mb_case_param(c, "threads", num, sh->threads > 1);
    snprintf(num, sizeof num, "%llu", (unsigned long long)(sh->dur_ns / 1000000000ull));
    rc = rc ? rc : mb_case_param(c, "duration_s", num, false);
    static const char *const metrics[] = {"steady_iops", "fill_s", "steady_resident_pages",
                                          "reads"};
    for (size_t i = 0; !rc && i < sizeof metrics / sizeof metrics[0]; i++)
        rc = mb_case_metric(c, metrics[i]);
    return rc ? rc : mb_case_cache(c, MB_CACHE_COLD, NULL);
}

/* Fewer, longer repetitions, and a limit the suite cannot run without. */
static const struct mb_run_default outofcore_run_defaults[] = {
    {"reps", "3", "1"},
    {"warmup", "0", "0"},
    {"mem-limit", "128MiB", "32MiB"},
    {NULL, NULL, NULL},
};

/* The suite's own default of common option `name` (under --quick when
 * `quick`); NULL when it has none. */
static const char *own_default(const char *name, bool quick)
{
    for (const struct mb_run_default *d = outofcore_run_defaults; d->name; d++)
        if (strcmp(d->name, name) == 0)
            return quick && d->quick ? d->quick : d->value;
    return NULL;
}

static int outofcore_build(const struct mb_options *o, struct mb_plan *plan)
{
    const char *lim = mb_opt_str(o, "mem-limit");
    uint64_t limit;
    if (!lim || mb_parse_size(lim, &limit) != 0)
        return mb_fail(MB_EUSAGE, "the outofcore suite reads a file larger than the memory it "
                       "may use: it needs a --mem-limit size (its default is %s; %s with "
                       "--quick), not '%s'", own_default("mem-limit", false),
                       own_default("mem-limit", true), lim ? lim : "");
    struct oc_shared *sh = mb_plan_alloc(plan, sizeof *sh);
    if (!sh)
        return mb_fail(MB_ENOMEM, "out of memory");
    sh->plan = plan;
    int rc = shared_init(sh, o, limit);
    rc = rc ? rc : check_space(sh);
    const char *methods = mb_opt_str(o, "methods");
    for (int m = 0; !rc && m < NMETHODS; m++)
        if (mb_list_has(methods, method_names[m]))
            rc = add_case(plan, sh, (enum method)m, limit);
    return rc;
}

static const char *outofcore_supported(void)
{
    return mb_file_io_unsupported() ? "its reads (pread, O_DIRECT, a mapping with madvise) have "
                                      "no Win32 twins yet, and Windows has no memory cgroup"
                                    : NULL;
}

const struct mb_suite mb_suite_outofcore = {
    .name = "outofcore",
    .help = "a file several times the memory limit, random 4 KiB reads for a fixed time: pread "
            "against mmap, IOPS over time while the cache fills and evicts",
    .claims = "C5",
    .opts = outofcore_opts,
    .supported = outofcore_supported,
    .build = outofcore_build,
    .plot = "plot-outofcore",
    .plot_outputs = (const char *const[]){"outofcore.svg", "outofcore.png", NULL},
    .run_defaults = outofcore_run_defaults,
};
