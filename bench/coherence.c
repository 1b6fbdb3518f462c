/* The `coherence` suite (claim C12): a write through one path to a file is
 * seen through another, and how long that takes. A pass makes `writes`
 * writes at seeded random offsets, one at a time; a reader spins on each
 * one's place through the other path until it holds the record intact
 * (sequence number and a check word over time and offset), then
 * acknowledges it. The pairs:
 *   same-view      writer and reader threads on one view (the floor: the
 *                  cost of the spin, the clock and the cache line moving)
 *   two-views      two shared views of the file at different addresses,
 *                  one thread each
 *   write-view     pwrite / WriteFile through the handle, read through a view
 *   view-read      stores through a view, pread / ReadFile through the handle
 *   two-processes  each of two processes maps the file itself
 * In one process the reader needs its own thread to spin while the writer
 * writes; in two processes each side is a process of its own (a fork; on
 * Windows this program started afresh with the hidden command
 * `coherence-side`), so the parent only coordinates. The time until seen is the reader's clock when
 * it saw the record minus the writer's clock just before it wrote: one
 * system-wide monotonic clock (CLOCK_MONOTONIC, QueryPerformanceCounter)
 * serves both. Every write must be seen: verify() fails the pass otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "coherence_sides.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/stats.h"
#include "mmbench/suite.h"

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

/* A pass of two processes must end within this long, whatever happens. */
#define PROCESS_PASS_LIMIT_NS (300ull * 1000000000ull)

/* The arguments of `coherence-side`, after the command's name: role,
 * section handle, file bytes, writes, seed, deadline ns, skip, path. */
enum { A_ROLE, A_HANDLE, A_FILE_BYTES, A_WRITES, A_SEED, A_DEADLINE, A_SKIP, A_PATH, A_COUNT };

struct coh_case {
    const struct pair *pair;
    const char *dir;
    char *path;                     /* the scratch file */
    size_t file_bytes, writes, skip;
    uint64_t seed, deadline_ns;
    uint64_t passes;                /* passes prepared: each has its own offsets */
    struct mb_coh_file file;
    void *view[2];
    struct mb_coh_shared shared;    /* holds the control block */
    struct coh_ctl *ctl;
    struct mb_coh_procs *procs;
    struct coh_side side[2];        /* 0 writer, 1 reader, as this pass runs them */
    char args[2][A_PATH][24];       /* side processes' numeric arguments (Windows) */
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

/* The file, the control block, and (sides on threads) both views. */
static int cc_setup(struct mb_case *c)
{
    struct coh_case *s = c->data;
    s->file.handle = -1;
    s->sorted = malloc(s->writes * sizeof *s->sorted);
    if (!s->sorted)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = mb_coh_shared_create(&s->shared, coh_ctl_bytes(s->writes));
    if (rc)
        return rc;
    s->ctl = s->shared.base;
    rc = mb_scratch_create(s->dir, "coherence", s->file_bytes, zero_fill, &s->path);
    rc = rc ? rc : mb_coh_open(&s->file, s->path, s->file_bytes);
    for (int i = 0; i < 2 && !rc && !s->pair->processes; i++)
        rc = mb_coh_view(&s->file, &s->view[i]);
    if (rc) {
        release_file(s);
        mb_coh_shared_release(&s->shared);
    }
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

static int forked_side(void *arg, unsigned i)
{
    struct coh_case *s = arg;
    return own_process_side(s->side[i], i, s->path);
}

/* The arguments of `coherence-side` for side i (after the command's name). */
static void side_args(struct coh_case *s, unsigned i, char *argv[A_COUNT + 2])
{
    const struct coh_side *d = &s->side[i];
    unsigned long long v[A_PATH] = {i, (unsigned long long)s->shared.handle, d->file_bytes,
                                    d->writes, d->seed, d->deadline_ns, d->skip};
    argv[0] = "coherence-side";
    for (int k = 0; k < A_PATH; k++) {
        snprintf(s->args[i][k], sizeof s->args[i][k], "%llu", v[k]);
        argv[k + 1] = s->args[i][k];
    }
    argv[A_PATH + 1] = s->path;
    argv[A_COUNT + 1] = NULL;
}

int mb_cmd_coherence_side(int argc, char **argv)
{
    unsigned long long v[A_PATH];
    bool numbers = argc == A_COUNT;
    for (int k = 0; k < A_PATH && numbers; k++) {
        char *end = NULL;
        v[k] = strtoull(argv[k], &end, 10);
        numbers = *argv[k] != '\0' && *end == '\0';
    }
    if (!numbers || v[A_ROLE] > 1 || v[A_FILE_BYTES] < COH_SLOT || v[A_WRITES] == 0 ||
        v[A_WRITES] > SIZE_MAX / sizeof(uint64_t)) {
        fprintf(stderr, "mmbench coherence-side: not the arguments mmbench gives it\n");
        return MB_EXIT_USAGE;
    }
    struct mb_coh_shared sh;
    int rc = mb_coh_shared_attach(&sh, (intptr_t)v[A_HANDLE], coh_ctl_bytes(v[A_WRITES]));
    if (rc) {
        fprintf(stderr, "mmbench coherence-side: %s\n", mb_last_error());
        return MB_EXIT_USAGE;
    }
    struct coh_side side = {.ctl = sh.base, .path = COH_VIEW, .file_bytes = v[A_FILE_BYTES],
                            .writes = v[A_WRITES], .seed = v[A_SEED],
                            .deadline_ns = v[A_DEADLINE], .skip = v[A_SKIP]};
    rc = own_process_side(side, (unsigned)v[A_ROLE], argv[A_PATH]);
    mb_coh_shared_release(&sh);
    return rc ? MB_EXIT_FAIL : MB_EXIT_OK;
}

/* Untimed: a fresh control block, this pass's seed, and (two processes)
 * the side processes started and waiting. */
static int cc_prepare(struct mb_case *c)
{
    struct coh_case *s = c->data;
    memset(s->ctl, 0, sizeof *s->ctl);
    memset(s->ctl->lat, 0xff, s->writes * sizeof s->ctl->lat[0]); /* COH_UNSEEN */
    uint64_t seed = s->seed ^ (0x9e3779b97f4a7c15ull * ++s->passes);
    const struct pair *p = s->pair;
    for (int i = 0; i < 2; i++)
        s->side[i] = (struct coh_side){
            .ctl = s->ctl, .file = &s->file, .path = i ? p->reader : p->writer,
            .view = s->view[i ? p->reader_view : p->writer_view], .file_bytes = s->file_bytes,
            .writes = s->writes, .seed = seed, .deadline_ns = s->deadline_ns, .skip = s->skip};
    if (!p->processes)
        return 0;
    char *argv[2][A_COUNT + 2];
    side_args(s, 0, argv[0]);
    side_args(s, 1, argv[1]);
    return mb_coh_procs_start(&s->procs, forked_side, s,
                              (char *const *[2]){argv[0], argv[1]});
}

static int reader_thread(void *arg)
{
    const struct coh_side *side = arg;
    int rc = coh_ready(side, 0);
    return rc ? rc : coh_read_side(side);
}

static int run_threads(struct coh_case *s)
{
    struct mb_coh_thread *t = NULL;
    int rc = mb_coh_thread_start(&t, reader_thread, &s->side[1]);
    if (rc)
        return rc;
    int wrc = coh_ready(&s->side[0], 1);
    wrc = wrc ? wrc : coh_write_side(&s->side[0]);
    rc = mb_coh_thread_join(t);
    return wrc ? wrc : rc;
}

static int run_processes(struct coh_case *s)
{
    int rc = mb_coh_procs_run(s->procs, PROCESS_PASS_LIMIT_NS);
    mb_coh_procs_stop(s->procs);
    s->procs = NULL;
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
    mb_coh_procs_stop(s->procs);
    s->procs = NULL;
}

static void cc_teardown(struct mb_case *c)
{
    struct coh_case *s = c->data;
    release_file(s);
    mb_coh_shared_release(&s->shared);
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

#define MIN_FILE (4ull << 10)
#define MAX_FILE (256ull << 20)

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
};
