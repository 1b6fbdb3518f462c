/* The `coherence` suite (claim C12): a write through one path to a file is
 * seen through another, and how long that takes. A pass makes `writes`
 * writes at seeded random offsets, one at a time; a reader spins on each
 * one's place through the other path until it holds the record intact
 * (sequence number and a check word over the pass seed, time and offset), then
 * acknowledges it. The pairs:
 *   same-view      writer and reader threads on one view (the floor: the
 *                  cost of the spin, the clock and the cache line moving)
 *   two-views      two shared views of the file at different addresses,
 *                  one thread each
 *   write-view     pwrite / WriteFile through the handle, read through a view
 *   view-read      stores through a view, pread / ReadFile through the handle
 *   two-processes  each of two processes maps the file itself
 * In one process the reader needs its own thread to spin while the writer
 * writes; in two processes each side is a worker process of its own
 * (mb_workers_start: a fork; on Windows this program started afresh, which
 * rebuilds its side through coh_worker), so the parent only coordinates.
 * The time until seen is the reader's clock when it saw the record minus
 * the writer's clock just before it wrote: one system-wide monotonic clock
 * (CLOCK_MONOTONIC, QueryPerformanceCounter) serves both. Every write
 * must be seen: verify() fails the pass otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherence_sides.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/shared_mem.h"
#include "mmbench/stats.h"
#include "mmbench/suite.h"
#include "mmbench/thread.h"
#include "mmbench/worker_kind.h"

struct pair {
    const char *name;
    enum coh_path writer, reader;
    int writer_view, reader_view;   /* which of the case's two views each uses */
    bool processes;
    const char *wname, *rname;      /* the "writer" and "reader" parameters */
};

static const struct pair pairs[] = {
    {"same-view", COH_VIEW, COH_VIEW, 0, 0, false, "view", "view"},
    {"two-views", COH_VIEW, COH_VIEW, 0, 1, false, "view", "view"},
    {"write-view", COH_HANDLE, COH_VIEW, 0, 1, false, "file-write", "view"},
    {"view-read", COH_VIEW, COH_HANDLE, 0, 1, false, "view", "file-read"},
    {"two-processes", COH_VIEW, COH_VIEW, 0, 0, true, "view", "view"},
};
#define NPAIRS (sizeof pairs / sizeof pairs[0])

#define MIN_FILE (4ull << 10)
#define MAX_FILE (256ull << 20)

/* A pass of two processes must end within this long, whatever happens. */
#define PROCESS_PASS_LIMIT_NS (300ull * 1000000000ull)

struct coh_case {
    const struct pair *pair;
    const char *dir;
    char *path;                     /* the scratch file */
    size_t file_bytes, writes, skip;
    uint64_t seed, deadline_ns;
    uint64_t passes;                /* passes prepared: each has its own offsets */
    struct mb_coh_file file;
    void *view[2];
    struct mb_shared_mem shared;    /* holds the control block */
    struct coh_ctl *ctl;
    struct mb_workers sides;        /* two-processes: the side processes of a pass */
    struct coh_side side[2];        /* 0 writer, 1 reader, as this pass runs them */
    double *sorted;                 /* verify()'s copy of the latencies seen */
};

enum { M_P50, M_P99, M_MAX, M_SEEN };

/* ---- hooks --------------------------------------------------------------- */

static void zero_fill(uint8_t *dst, uint64_t off, size_t n)
{
    (void)off;
    memset(dst, 0, n);
}

static void release_file(struct coh_case *s)
{
    for (int i = 0; i < 2; i++) {
        mb_coh_unview(&s->file, s->view[i]);
        s->view[i] = NULL;
    }
    mb_coh_close(&s->file);
    if (s->path) {
        mb_scratch_remove(s->path);
        free(s->path);
        s->path = NULL;
    }
}

static void cc_teardown(struct mb_case *c);

/* The file, the control block, and (sides on threads) both views. On
 * failure whatever was made is undone (the runner calls no teardown after
 * a failed setup). */
static int cc_setup(struct mb_case *c)
{
    struct coh_case *s = c->data;
    s->file.handle = -1;
    s->sorted = malloc(s->writes * sizeof *s->sorted);
    int rc = s->sorted ? 0 : mb_fail(MB_ENOMEM, "out of memory");
    rc = rc ? rc : mb_shared_mem_create(&s->shared, coh_ctl_bytes(s->writes));
    s->ctl = rc ? NULL : s->shared.base;
    rc = rc ? rc : mb_scratch_create(s->dir, "coherence", s->file_bytes, zero_fill, &s->path);
    rc = rc ? rc : mb_coh_open(&s->file, s->path, s->file_bytes);
    for (int i = 0; i < 2 && !rc && !s->pair->processes; i++)
        rc = mb_coh_view(&s->file, &s->view[i]);
    if (rc)
        cc_teardown(c);
    return rc;
}

/* One side in a process of its own, which maps the file itself. Returns
 * the process's exit status: 0, or 1 with ctl->stop and ctl->why set. */
static int own_process_side(struct coh_side side, unsigned role, const char *path)
{
    struct mb_coh_file f = {.handle = -1};
    void *view = NULL;
    int rc = mb_coh_open(&f, path, side.file_bytes);
    rc = rc ? rc : mb_coh_view(&f, &view);
    side.file = &f;
    side.view = view;
    rc = rc ? coh_stop(side.ctl, rc, mb_last_error()) : coh_ready(&side, role == 0);
    rc = rc ? rc : role == 0 ? coh_write_side(&side) : coh_read_side(&side);
    mb_coh_unview(&f, view);
    mb_coh_close(&f);
    return rc ? 1 : 0;
}

/* Points both sides of a pass seeded `seed` at the control block and at
 * their paths to the file. */
static void set_sides(struct coh_case *s, uint64_t seed)
{
    const struct pair *p = s->pair;
    for (int i = 0; i < 2; i++)
        s->side[i] = (struct coh_side){
            .ctl = s->ctl, .file = &s->file, .path = i ? p->reader : p->writer,
            .view = s->view[i ? p->reader_view : p->writer_view], .file_bytes = s->file_bytes,
            .writes = s->writes, .seed = seed, .deadline_ns = s->deadline_ns, .skip = s->skip};
}

/* Side i (0 writer, 1 reader) of a two-processes pass: a worker's work. */
static int side_process(void *arg, unsigned i)
{
    struct coh_case *s = arg;
    return own_process_side(s->side[i], i, s->path);
}

/* What a side process started afresh (Windows) needs, as one line: the
 * pair, the control block's section handle (inherited), file bytes,
 * writes, this pass's seed, the deadline, the write left out, then the
 * file's path, which may hold spaces. */
static int coh_describe(const void *arg, char *buf, size_t len)
{
    const struct coh_case *s = arg;
    int n = snprintf(buf, len, "%s %lld %llu %llu %llu %llu %llu %s", s->pair->name,
                     (long long)s->shared.handle, (unsigned long long)s->file_bytes,
                     (unsigned long long)s->writes, (unsigned long long)s->side[0].seed,
                     (unsigned long long)s->deadline_ns, (unsigned long long)s->skip, s->path);
    if (n < 0 || (size_t)n >= len || strchr(buf, '"'))
        return mb_fail(MB_EUSAGE, "the scratch path is too long or holds a '\"'");
    return 0;
}

/* Rebuilds the case in a side process started afresh: the control block
 * mapped from the inherited section, the sides as the parent set them. */
static int coh_attach(const char *text, void **arg)
{
    char name[32];
    long long handle = -1;
    unsigned long long v[5] = {0}; /* file bytes, writes, seed, deadline, skip */
    int at = 0;
    const struct pair *pr = NULL;
    if (sscanf(text, "%31s %lld %llu %llu %llu %llu %llu %n", name, &handle, &v[0], &v[1],
               &v[2], &v[3], &v[4], &at) == 7 && at && text[at])
        for (size_t i = 0; i < NPAIRS; i++)
            if (pairs[i].processes && strcmp(pairs[i].name, name) == 0)
                pr = &pairs[i];
    if (!pr || v[0] < MIN_FILE || v[0] > MAX_FILE || v[1] == 0 ||
        v[1] > SIZE_MAX / sizeof(uint64_t) || v[4] > v[1])
        return mb_fail(MB_EUSAGE, "not a coherence side's description: %s", text);
    struct coh_case *s = calloc(1, sizeof *s);
    char *path = strdup(text + at);
    if (!s || !path) {
        free(s);
        free(path);
        return mb_fail(MB_ENOMEM, "out of memory");
    }
    *s = (struct coh_case){.pair = pr, .path = path, .file_bytes = (size_t)v[0],
                           .writes = (size_t)v[1], .deadline_ns = v[3], .skip = (size_t)v[4],
                           .file = {.handle = -1}};
    *arg = s; /* the side's until it ends */
    int rc = mb_shared_mem_attach(&s->shared, (intptr_t)handle, coh_ctl_bytes(s->writes));
    if (rc)
        return rc;
    s->ctl = s->shared.base;
    set_sides(s, v[2]);
    return 0;
}

static const struct mb_worker_kind coh_worker = {
    .suite = "coherence", .fn = side_process, .describe = coh_describe, .attach = coh_attach};

/* Untimed: a fresh control block, this pass's seed, and (two processes)
 * the side processes started and waiting. */
static int cc_prepare(struct mb_case *c)
{
    struct coh_case *s = c->data;
    memset(s->ctl, 0, sizeof *s->ctl);
    memset(s->ctl->lat, 0xff, s->writes * sizeof s->ctl->lat[0]); /* COH_UNSEEN */
    set_sides(s, s->seed ^ (0x9e3779b97f4a7c15ull * ++s->passes));
    return s->pair->processes ? mb_workers_start(&s->sides, 2, &coh_worker, s) : 0;
}

static int reader_thread(void *arg)
{
    const struct coh_side *side = arg;
    int rc = coh_ready(side, 0);
    return rc ? rc : coh_read_side(side);
}

static int run_threads(struct coh_case *s)
{
    struct mb_thread *t = NULL;
    int rc = mb_thread_start(&t, reader_thread, &s->side[1]);
    if (rc)
        return rc;
    int wrc = coh_ready(&s->side[0], 1);
    wrc = wrc ? wrc : coh_write_side(&s->side[0]);
    rc = mb_thread_join(t);
    return wrc ? wrc : rc;
}

/* Releases both side processes, waits for them and reaps them. Returns 0
 * when both exited 0, else MB_EENV naming one killed by a signal (the
 * cause: the other then exits 1), else one that exited non-zero, or the
 * time-out. */
static int run_processes(struct coh_case *s)
{
    struct mb_workers *w = &s->sides;
    int rc = mb_workers_go(w, PROCESS_PASS_LIMIT_NS);
    rc = rc ? rc : mb_workers_reap(w);
    mb_workers_kill(w); /* after a time-out: whatever still runs */
    for (unsigned i = 0; i < 2 && !rc; i++)
        if (w->signal[i])
            rc = mb_fail(MB_EENV, "side process %u was killed by signal %d", i, w->signal[i]);
    for (unsigned i = 0; i < 2 && !rc; i++)
        if (w->exit_code[i])
            rc = mb_fail(MB_EENV, "side process %u exited %d", i, w->exit_code[i]);
    return rc;
}

/* The timed work: `writes` writes, each seen (or given up on) before the
 * next. */
static int cc_pass(struct mb_case *c, struct mb_pass *p)
{
    struct coh_case *s = c->data;
    (void)p;
    int rc = s->pair->processes ? run_processes(s) : run_threads(s);
    if (!s->ctl->stop)
        return rc;
    /* A side that stopped says why; a side process that died says nothing,
     * and the process's end (its signal) is the rest of the story. */
    char how[256] = "";
    if (rc && s->pair->processes)
        snprintf(how, sizeof how, " (%s)", mb_last_error());
    return mb_fail(rc && rc != MB_EENV ? rc : MB_EENV, "%s: %s%s", c->name, s->ctl->why, how);
}

/* The latency figures of the writes seen, and the count, which must be
 * every write. */
static int cc_verify(struct mb_case *c, struct mb_pass *p)
{
    struct coh_case *s = c->data;
    size_t n = 0, first_unseen = 0;
    for (size_t k = 0; k < s->writes; k++) {
        if (s->ctl->lat[k] != COH_UNSEEN)
            s->sorted[n++] = (double)s->ctl->lat[k];
        else if (!first_unseen)
            first_unseen = k + 1;
    }
    p->metric[M_SEEN] += (double)n;
    if (n) {
        mb_sort(s->sorted, n);
        p->metric[M_P50] += mb_stat_median(s->sorted, n);
        p->metric[M_P99] += mb_stat_p99(s->sorted, n);
        p->metric[M_MAX] += mb_stat_max(s->sorted, n);
    }
    if (n != s->writes || s->ctl->seen != n)
        return mb_fail(MB_EVERIFY, "%s: %zu of %zu writes were seen within %.0f ms (first "
                       "unseen: write %zu, at offset %llu)", c->name, n, s->writes,
                       (double)s->deadline_ns / 1e6, first_unseen,
                       (unsigned long long)coh_offset(s->side[0].seed, first_unseen,
                                                      s->file_bytes));
    return 0;
}

static void cc_release(struct mb_case *c)
{
    struct coh_case *s = c->data;
    mb_workers_kill(&s->sides);
}

/* Safe on a case whose setup failed part way, and twice. */
static void cc_teardown(struct mb_case *c)
{
    struct coh_case *s = c->data;
    release_file(s);
    mb_shared_mem_release(&s->shared);
    s->ctl = NULL;
    free(s->sorted);
    s->sorted = NULL;
}

static const struct mb_case_ops coherence_ops = {
    .setup = cc_setup,
    .prepare = cc_prepare,
    .pass = cc_pass,
    .verify = cc_verify,
    .release = cc_release,
    .teardown = cc_teardown,
};

/* ---- building the cases --------------------------------------------------- */

static const struct mb_opt coherence_opts[] = {
    {"pairs", MB_OPT_LIST, NULL,
     "the paths a write and its read take (default: all): same-view (one view, two threads: "
     "the floor), two-views (two views at different addresses), write-view (pwrite/WriteFile, "
     "then a view), view-read (a view, then pread/ReadFile), two-processes (a view each)",
     "same-view|two-views|write-view|view-read|two-processes", 0, 0, NULL},
    {"writes", MB_OPT_COUNT, "10000", "writes per pass, each seen before the next (--quick: 1000 "
     "unless given)", NULL, 1, 1000000, NULL},
    {"file-size", MB_OPT_SIZE, "1MiB", "size of the file the writes land in at random, 4KiB to "
     "256MiB", NULL, MIN_FILE, MAX_FILE, NULL},
    {"deadline-ms", MB_OPT_COUNT, "1000",
     "how long the reader spins on one write before it counts it unseen (and the pass fails)",
     NULL, 1, 600000, NULL},
    {"test-skip-write", MB_OPT_COUNT, "0",
     "test hook: the writer leaves out write number N of each pass (0: none), so the reader "
     "must miss it and the pass must fail", NULL, 0, 1000000, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

struct plan_args {
    const char *dir;
    uint64_t writes, file_bytes, deadline_ms, skip, seed;
};

static int add_case(struct mb_plan *plan, const struct plan_args *a, const struct pair *pr)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct coh_case *s = mb_plan_alloc(plan, sizeof *s);
    if (!c || !s)
        return mb_fail(MB_ENOMEM, "out of memory");
    *s = (struct coh_case){.pair = pr, .dir = a->dir, .file_bytes = (size_t)a->file_bytes,
                           .writes = (size_t)a->writes, .skip = (size_t)a->skip,
                           .seed = a->seed, .deadline_ns = a->deadline_ms * 1000000ull,
                           .file = {.handle = -1}};
    mb_case_init(c, "coherence", &coherence_ops, s);
    c->single_pass = true;
    char num[48];
    int rc = mb_case_param(c, "pair", pr->name, true);
    rc = rc ? rc : mb_case_param(c, "writer", pr->wname, false);
    rc = rc ? rc : mb_case_param(c, "reader", pr->rname, false);
    rc = rc ? rc : mb_case_param(c, "sides", pr->processes ? "processes" : "threads", false);
    snprintf(num, sizeof num, "%llu", (unsigned long long)a->writes);
    rc = rc ? rc : mb_case_param(c, "writes", num, false);
    snprintf(num, sizeof num, "%llu", (unsigned long long)a->file_bytes);
    rc = rc ? rc : mb_case_param(c, "file_bytes", num, false);
    rc = rc ? rc : mb_case_metric(c, "seen_p50_ns");
    rc = rc ? rc : mb_case_metric(c, "seen_p99_ns");
    rc = rc ? rc : mb_case_metric(c, "seen_max_ns");
    rc = rc ? rc : mb_case_metric(c, "writes_seen");
    return rc ? rc : mb_case_work(c, 24.0 * (double)a->writes, (double)a->writes, "write");
}

static int coherence_build(const struct mb_options *o, struct mb_plan *plan)
{
    bool quick = mb_opt_flag(o, "quick");
    struct plan_args a = {
        .dir = mb_opt_str(o, "dir"),
        .writes = mb_opt_given(o, "writes") || !quick ? mb_opt_num(o, "writes") : 1000,
        .file_bytes = mb_opt_num(o, "file-size"),
        .deadline_ms = mb_opt_num(o, "deadline-ms"),
        .skip = mb_opt_num(o, "test-skip-write"),
        .seed = mb_opt_num(o, "seed"),
    };
    if (a.skip > a.writes)
        return mb_fail(MB_EUSAGE, "--test-skip-write %llu is beyond --writes %llu",
                       (unsigned long long)a.skip, (unsigned long long)a.writes);
    const char *only = mb_opt_str(o, "pairs");
    size_t npairs = 0;
    for (size_t i = 0; i < NPAIRS; i++)
        npairs += !only || mb_list_has(only, pairs[i].name);
    int rc = mb_dir_check_writable(a.dir);
    uint64_t avail = 0;
    rc = rc ? rc : mb_space_free(a.dir, &avail);
    if (rc)
        return rc == MB_EENV ? mb_fail(MB_EUSAGE, "%s", mb_last_error()) : rc;
    if (avail < npairs * a.file_bytes + (8ull << 20))
        return mb_fail(MB_EUSAGE, "the coherence suite needs %llu MiB under %s and only %llu "
                       "MiB are free: give --dir elsewhere or a smaller --file-size",
                       (unsigned long long)((npairs * a.file_bytes + (8ull << 20)) >> 20), a.dir,
                       (unsigned long long)(avail >> 20));
    for (size_t i = 0; i < NPAIRS; i++)
        if (!only || mb_list_has(only, pairs[i].name))
            if ((rc = add_case(plan, &a, &pairs[i])) != 0)
                return rc;
    return 0;
}

const struct mb_suite mb_suite_coherence = {
    .name = "coherence",
    .help = "a write through one view, write() or process is seen through another view, "
            "read() or process: every one of N seeded random writes, and the time until seen",
    .claims = "C12",
    .opts = coherence_opts,
    .build = coherence_build,
    .plot = "plot-coherence",
    .plot_outputs = (const char *const[]){"coherence.svg", "coherence.png", NULL},
    .worker = &coh_worker,
};
