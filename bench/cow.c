/* The `cow` suite (claims C7, C10): what a copy-on-write fault costs per
 * page. Every repetition maps a fresh view (prepare, untimed) and writes one
 * word into each of its pages (the pass, timed): a private view of a cached
 * file (every first write copies the page), the same after reading every
 * page, a shared view (no copy: the write reaches the file), a forked
 * child's first writes to private pages its parent wrote (shared until
 * written; the child times them itself, and only that time counts, not its
 * release nor its check of its view), and private anonymous memory (a
 * zeroed page, nothing copied) as the baseline. verify() compares the whole view and the whole file range:
 * after private writes the file is byte-for-byte unchanged, after shared
 * ones it holds the new words. Views start at --offset, which must be a
 * multiple of the allocation granularity (C10): refused otherwise. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/cow.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/shared_mem.h"
#include "mmbench/worker_kind.h"
#include "mmbench/suite.h"

/* What prepare does to every page of the view before the timed writes. */
enum prior { PRIOR_NONE, PRIOR_READ, PRIOR_WRITE };

struct kind {
    const char *name;
    const char *what;               /* what the first write does there, in one line */
    enum mb_cow_kind map;
    enum prior prior;
    bool fork;                      /* the timed writes are a forked child's */
};

static const struct kind kinds[] = {
    {"private-write", "private view of a cached file, first write: one page copied per fault",
     MB_COW_FILE_PRIVATE, PRIOR_NONE, false},
    {"private-read-write", "the same after reading every page: the write copies a page "
                           "already mapped read-only",
     MB_COW_FILE_PRIVATE, PRIOR_READ, false},
    {"shared-write", "shared view of a cached clean file, first write: no copy, the page "
                     "turns dirty and the file changes",
     MB_COW_FILE_SHARED, PRIOR_NONE, false},
    {"fork-child-write", "after fork, the child's first write to a private page its parent "
                         "wrote: one page copied per fault",
     MB_COW_FILE_PRIVATE, PRIOR_WRITE, true},
    {"anon-write", "private anonymous memory, first write: a zeroed page, nothing copied "
                   "(the baseline)",
     MB_COW_ANON_PRIVATE, PRIOR_NONE, false},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* A scratch file of one size shared by the cases that map it: made by the
 * first case's setup, removed by the last case's teardown. `golden` holds
 * the file's content over the view's range, so that verify() compares
 * without recomputing it. */
struct shared_file {
    const char *dir, *tag;
    uint64_t offset;
    size_t len;
    char *path;
    uint8_t *golden;
    unsigned users;
};

/* What the forked child reports through memory shared with it: its own
 * timing of its writes and their faults (all, and minor and major, as the
 * runner would count them), and its check of its view. */
struct child_report {
    uint64_t ns, faults, minor, major;
    int faults_rc, verify_rc, done;
    char msg[240];
};

struct cow_case {
    const struct kind *k;
    struct shared_file *file;       /* NULL for anonymous memory */
    size_t len, page;
    const char *unsupported;        /* set at build: why this case cannot run */
    bool count_faults;
    bool swap;                      /* test only: a private view maps shared, a shared one private */
    struct mb_cow_view v;
    uint32_t token, parent_token;   /* what the timed and the parent's writes store */
    uint64_t faults;                /* what the pass saw */
    uint8_t *buf;                   /* CHUNK bytes: the file read back */
    struct mb_shared_mem report;    /* fork: the child's report */
    struct mb_workers w;
    bool forked;
};

enum { M_NS_PER_PAGE, M_FAULTS_PER_PAGE };
#define CHUNK ((size_t)1 << 20)

/* The word written at the start of page i: differs from page to page and
 * from one repetition (token) to the next. */
static uint64_t word_of(uint32_t token, size_t i)
{
    return (((uint64_t)token << 32) | (uint32_t)i) ^ 0xA5A5C3C35A5A3C3Cull;
}

/* ---- the writes, timed by whoever makes them -------------------------------- */

/* Writes the word of every page; *ns and *faults get the time and the
 * faults of the loop alone (faults only when `count`). Returns 0 or the
 * fault counter's error. */
static int write_pages(uint8_t *base, size_t len, size_t page, uint32_t token, bool count,
                       uint64_t *ns, uint64_t *faults)
{
    uint64_t f0 = 0, f1 = 0;
    int rc = count ? mb_cow_faults(&f0) : 0;
    size_t pages = len / page;
    uint64_t t0 = mb_now_ns();
    for (size_t i = 0; i < pages; i++)
        *(volatile uint64_t *)(void *)(base + i * page) = word_of(token, i);
    uint64_t t1 = mb_now_ns();
    if (!rc && count)
        rc = mb_cow_faults(&f1);
    *ns = t1 - t0;
    *faults = f1 - f0;
    return rc;
}

/* 0 if the view holds its original bytes (the file's, or zeros) with the
 * word of `token` at the start of every page; MB_EVERIFY naming the first
 * wrong page otherwise. */
static int verify_view(const struct cow_case *f, uint32_t token, const char *whose)
{
    size_t page = f->page, pages = f->len / page;
    for (size_t i = 0; i < pages; i++) {
        const uint8_t *p = f->v.base + i * page;
        uint64_t w;
        memcpy(&w, p, sizeof w);
        /* Anonymous memory: all zeros, p[8] and every byte equal to the next. */
        bool rest_ok = f->file ? memcmp(p + 8, f->file->golden + i * page + 8, page - 8) == 0
                               : p[8] == 0 && memcmp(p + 8, p + 9, page - 9) == 0;
        if (w != word_of(token, i) || !rest_ok)
            return mb_fail(MB_EVERIFY, "%s: page %zu of the %s view holds %s", f->k->name, i,
                           whose, w != word_of(token, i) ? "another word than was written"
                                                         : "bytes that were never written");
    }
    return 0;
}

/* 0 if the file's bytes under the view are its original content
 * (`shared` false) or that content with the word of `token` at the start of
 * every page (`shared`); MB_EVERIFY or MB_EENV otherwise. */
static int verify_file(struct cow_case *f, bool shared, uint32_t token)
{
    const struct shared_file *sf = f->file;
    FILE *fp = fopen(sf->path, "rb");
    if (!fp)
        return mb_fail(MB_EENV, "cannot open %s to check it", sf->path);
    int rc = fseek(fp, (long)sf->offset, SEEK_SET) == 0 ? 0
             : mb_fail(MB_EENV, "seek in %s failed", sf->path);
    size_t page = f->page;
    for (size_t done = 0; !rc && done < f->len; done += CHUNK) {
        size_t n = f->len - done < CHUNK ? f->len - done : CHUNK;
        if (fread(f->buf, 1, n, fp) != n) {
            rc = mb_fail(MB_EENV, "reading %s back failed", sf->path);
            break;
        }
        for (size_t off = 0; off < n && !rc; off += page) {
            size_t i = (done + off) / page;
            uint64_t w = word_of(token, i);
            const uint8_t *want = sf->golden + done + off;
            bool same = shared ? memcmp(f->buf + off, &w, 8) == 0 &&
                                     memcmp(f->buf + off + 8, want + 8, page - 8) == 0
                               : memcmp(f->buf + off, want, page) == 0;
            if (!same)
                rc = mb_fail(MB_EVERIFY, "%s: the file differs at page %zu (offset %" PRIu64
                             "): %s", f->k->name, i, sf->offset + done + off,
                             shared ? "a shared write must reach the file"
                                    : "a private write must never reach the file");
        }
    }
    fclose(fp);
    return rc;
}

/* ---- the forked child --------------------------------------------------------- */

/* In the child: times its first writes to the pages its parent wrote,
 * checks its own view outside that time, and reports through the shared
 * memory. */
static int child_writes(void *arg, unsigned i)
{
    (void)i;
    struct cow_case *f = arg;
    struct child_report *rep = f->report.base;
    uint64_t minor0 = 0, major0 = 0, minor1 = 0, major1 = 0;
    int rc = mb_fault_counts(&minor0, &major0);
    rep->faults_rc = write_pages(f->v.base, f->len, f->page, f->token, f->count_faults,
                                 &rep->ns, &rep->faults);
    if (!rc && mb_fault_counts(&minor1, &major1) == 0) {
        rep->minor = minor1 - minor0;
        rep->major = major1 - major0;
    }
    rep->verify_rc = verify_view(f, f->token, "child's");
    if (rep->verify_rc)
        snprintf(rep->msg, sizeof rep->msg, "%s", mb_last_error());
    rep->done = 1;
    return 0;
}

/* The forked child of the fork case; no describe/attach, as only POSIX forks it. */
static const struct mb_worker_kind cow_child = {.suite = "cow", .fn = child_writes};

/* ---- hooks --------------------------------------------------------------- */

static int make_file(struct shared_file *sf)
{
    int rc = mb_scratch_create(sf->dir, sf->tag, sf->offset + sf->len, mb_content_fill, &sf->path);
    if (rc)
        return rc;
    sf->golden = malloc(sf->len);
    if (!sf->golden) {
        mb_scratch_remove(sf->path);
        free(sf->path);
        sf->path = NULL;
        return mb_fail(MB_ENOMEM, "out of memory for a %zu-byte copy of the file", sf->len);
    }
    mb_content_fill(sf->golden, sf->offset, sf->len);
    return 0;
}

static void drop_file(struct shared_file *sf)
{
    if (!sf || !sf->users || --sf->users)
        return;
    mb_scratch_remove(sf->path);
    free(sf->path);
    free(sf->golden);
    sf->path = NULL;
    sf->golden = NULL;
}

static int cc_setup(struct mb_case *c)
{
    struct cow_case *f = c->data;
    if (f->unsupported)
        return mb_fail(MB_EUNSUPPORTED, "%s", f->unsupported);
    int rc = 0;
    if (f->k->fork)
        rc = mb_shared_mem_create(&f->report, sizeof(struct child_report));
    struct shared_file *sf = f->file;
    if (!rc && sf && !(f->buf = malloc(CHUNK)))
        rc = mb_fail(MB_ENOMEM, "out of memory");
    if (!rc && sf && !sf->users)
        rc = make_file(sf);
    if (rc) {
        free(f->buf);
        f->buf = NULL;
        mb_shared_mem_release(&f->report);
        return rc;
    }
    if (sf) {
        sf->users++;
        /* The runner sets and checks the cache state on the file, which
         * exists from now on. */
        c->cache_path = sf->path;
    }
    return 0;
}

/* Touches every page before the timed writes, as the kind says; the
 * parent of a fork writes its own words first. */
static void touch_before(struct cow_case *f)
{
    size_t page = f->page, pages = f->len / page;
    if (f->k->prior == PRIOR_READ) {
        volatile const uint8_t *p = f->v.base;
        uint8_t acc = 0;
        for (size_t i = 0; i < pages; i++)
            acc ^= p[i * page];
        (void)acc;
    } else if (f->k->prior == PRIOR_WRITE) {
        uint64_t ns, faults;
        (void)write_pages(f->v.base, f->len, page, f->parent_token, false, &ns, &faults);
    }
}

static int cc_prepare(struct mb_case *c)
{
    struct cow_case *f = c->data;
    f->token += 2;
    f->parent_token = f->token + 1;
    f->faults = 0;
    enum mb_cow_kind map = f->k->map;
    if (f->swap)
        map = map == MB_COW_FILE_SHARED ? MB_COW_FILE_PRIVATE : MB_COW_FILE_SHARED;
    int rc = mb_cow_map(&f->v, map, f->file ? f->file->path : NULL,
                        f->file ? f->file->offset : 0, f->len);
    if (rc)
        return rc;
    if (f->file)
        mb_guard_watch(f->v.base, f->v.len); /* a bus error names the file offset */
    touch_before(f);
    if (!f->k->fork)
        return 0;
    memset(f->report.base, 0, sizeof(struct child_report));
    rc = mb_workers_start(&f->w, 1, &cow_child, f);
    f->forked = rc == 0;
    return rc;
}

/* The fork case's pass counts what the child measured of its writes
 * alone (measured_by_pass): the runner's clock here would also take in the
 * child's release and its check of its view. */
static int fork_pass(struct cow_case *f, struct mb_pass *p, uint64_t *ns)
{
    const struct child_report *rep = f->report.base;
    int rc = mb_workers_go(&f->w, 120ull * 1000000000u);
    if (!rc && !rep->done)
        rc = mb_fail(MB_EENV, "%s: the child ended before it reported", f->k->name);
    if (rc)
        return rc;
    *ns = rep->ns;
    f->faults = rep->faults;
    mb_pass_count(p, MB_F_WALL, (double)rep->ns);
    if (f->count_faults) {
        mb_pass_count(p, MB_F_MINOR, (double)rep->minor);
        mb_pass_count(p, MB_F_MAJOR, (double)rep->major);
    }
    return rep->faults_rc;
}

static int cc_pass(struct mb_case *c, struct mb_pass *p)
{
    struct cow_case *f = c->data;
    uint64_t ns = 0;
    int rc;
    if (f->k->fork) {
        rc = fork_pass(f, p, &ns);
    } else {
        rc = write_pages(f->v.base, f->len, f->page, f->token, f->count_faults, &ns, &f->faults);
    }
    if (rc)
        return rc;
    double pages = (double)(f->len / f->page);
    p->metric[M_NS_PER_PAGE] += (double)ns / pages;
    if (f->count_faults)
        p->metric[M_FAULTS_PER_PAGE] += (double)f->faults / pages;
    return 0;
}

/* The fork case: the child ended well and its view held its writes; the
 * parent's view still holds the parent's words, not the child's. */
static int verify_fork(struct cow_case *f)
{
    const struct child_report *rep = f->report.base;
    int rc = mb_workers_reap(&f->w);
    f->forked = false;
    if (rc)
        return rc;
    if (f->w.exit_code[0] != 0)
        return mb_fail(MB_EENV, "%s: the child ended with status %d (signal %d)", f->k->name,
                       f->w.exit_code[0], f->w.signal[0]);
    if (rep->verify_rc)
        return mb_fail(MB_EVERIFY, "in the child: %s", rep->msg);
    return verify_view(f, f->parent_token, "parent's");
}

static int cc_verify(struct mb_case *c, struct mb_pass *p)
{
    struct cow_case *f = c->data;
    (void)p; /* single pass: one slot */
    if (f->count_faults && f->faults == 0)
        return mb_fail(MB_EVERIFY, "%s: the writes took no page fault, so nothing was timed",
                       f->k->name);
    int rc = f->k->fork ? verify_fork(f) : verify_view(f, f->token, "written");
    if (rc || !f->file)
        return rc;
    return verify_file(f, f->k->map == MB_COW_FILE_SHARED, f->token);
}

static void cc_release(struct mb_case *c)
{
    struct cow_case *f = c->data;
    if (f->forked)
        mb_workers_kill(&f->w);
    f->forked = false;
    /* Written back so that the next repetition's writes find clean pages
     * again, as the first write to a cached file page does. */
    (void)mb_cow_flush(&f->v);
    if (f->file)
        mb_guard_watch(NULL, 0);
    mb_cow_unmap(&f->v);
}

static void cc_teardown(struct mb_case *c)
{
    struct cow_case *f = c->data;
    drop_file(f->file);
    free(f->buf);
    f->buf = NULL;
    mb_shared_mem_release(&f->report);
}

static const struct mb_case_ops cow_ops = {
    .setup = cc_setup,
    .prepare = cc_prepare,
    .pass = cc_pass,
    .verify = cc_verify,
    .release = cc_release,
    .teardown = cc_teardown,
};

/* ---- building the cases --------------------------------------------------- */

#define SIZES_DEFAULT "1MiB,16MiB,256MiB"
#define SIZES_QUICK "1MiB,8MiB"
#define MIN_SIZE (64ull << 10)
#define MAX_SIZE (1ull << 30)
#define MAX_SIZES 8

static int check_size(const char *item, char *valid, size_t vlen)
{
    return mb_size_item_check(item, MIN_SIZE, MAX_SIZE, MIN_SIZE,
                              "a size from 64KiB to 1GiB, a multiple of 64KiB", valid, vlen);
}

static const struct mb_opt cow_opts[] = {
    {"sizes", MB_OPT_LIST, NULL,
     "bytes of each view (default " SIZES_DEFAULT "; " SIZES_QUICK " with --quick)", NULL, 0, 0,
     check_size},
    {"kinds", MB_OPT_LIST, NULL, "kinds of write to time (default: all)",
     "private-write|private-read-write|shared-write|fork-child-write|anon-write", 0, 0, NULL},
    {"offset", MB_OPT_SIZE, "0",
     "file offset every view starts at: a multiple of the allocation granularity (the page "
     "size on POSIX, 64KiB on Windows); the files are that much larger",
     NULL, 0, 1ull << 30, NULL},
    {"test-swap-views", MB_OPT_FLAG, NULL,
     "tests only: file views are mapped the other way (private ones shared, shared ones "
     "private), so that the file check must fail every file case",
     NULL, 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

static int add_params(struct mb_case *c, const struct cow_case *f, uint64_t offset)
{
    char num[48];
    int rc = mb_case_param(c, "kind", f->k->name, true);
    snprintf(num, sizeof num, "%zu", f->len);
    rc = rc ? rc : mb_case_param(c, "size_bytes", num, true);
    rc = rc ? rc : mb_case_param(c, "view", mb_cow_view_name(f->k->map), false);
    snprintf(num, sizeof num, "%" PRIu64, f->file ? offset : 0);
    rc = rc ? rc : mb_case_param(c, "offset_bytes", num, false);
    /* The model: every page takes one fault, whether it copies or not. */
    rc = rc ? rc : mb_case_param(c, "expected_faults_per_page", "1", false);
    rc = rc ? rc : mb_case_metric(c, "ns_per_page");
    if (f->count_faults)
        rc = rc ? rc : mb_case_metric(c, "faults_per_page");
    rc = rc ? rc : mb_case_work(c, (double)f->len, (double)(f->len / f->page), "page");
    if (rc || !f->file)
        return rc;
    return mb_case_cache(c, MB_CACHE_WARM, NULL);
}

/* The two files of one size: the content file (private views and the
 * fork, never written) and the file shared views write. */
struct size_files {
    struct shared_file content, written;
};

static int add_case(struct mb_plan *plan, const struct kind *k, struct size_files *sf,
                    uint64_t offset, bool swap)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct cow_case *f = mb_plan_alloc(plan, sizeof *f);
    if (!c || !f)
        return mb_fail(MB_ENOMEM, "out of memory");
    f->k = k;
    f->page = mb_page_size();
    f->len = sf->content.len;
    f->count_faults = mb_cow_faults_unsupported() == NULL;
    f->swap = swap && k->map != MB_COW_ANON_PRIVATE;
    f->unsupported = k->fork ? mb_cow_fork_unsupported() : NULL;
    f->file = k->map == MB_COW_ANON_PRIVATE ? NULL
              : k->map == MB_COW_FILE_SHARED ? &sf->written
                                             : &sf->content;
    mb_case_init(c, "cow", &cow_ops, f);
    c->single_pass = true; /* a pass needs a fresh view: one per repetition */
    c->measured_by_pass = k->fork;
    return add_params(c, f, offset);
}

/* Refuses (MB_EUSAGE: exit 2) a run whose files do not fit on --dir or
 * whose largest views (a fork's parent and child copy: twice the size,
 * beside the cached file) do not fit in available memory. */
static int check_space(const char *dir, const char *only, const uint64_t *v, size_t n,
                       uint64_t offset)
{
    bool content = false, written = !only || mb_list_has(only, "shared-write");
    for (size_t k = 0; k < NKINDS; k++)
        if ((!only || mb_list_has(only, kinds[k].name)) &&
            kinds[k].map == MB_COW_FILE_PRIVATE)
            content = true;
    uint64_t need = 8ull << 20, largest = 0, avail;
    for (size_t i = 0; i < n; i++) {
        need += ((uint64_t)content + written) * (offset + v[i]);
        largest = v[i] > largest ? v[i] : largest;
    }
    if (mb_space_free(dir, &avail) == 0 && avail < need)
        return mb_fail(MB_EUSAGE, "--dir %s has %" PRIu64 " MiB free; the files of this run "
                       "need %" PRIu64 " MiB", dir, avail >> 20, need >> 20);
    struct mb_meminfo m;
    if (mb_meminfo_read(&m) == 0 && m.has_available && m.available < 3 * largest)
        return mb_fail(MB_EUSAGE, "%" PRIu64 " MiB of memory available; the largest size "
                       "needs %" PRIu64 " MiB", m.available >> 20, (3 * largest) >> 20);
    mb_clear_error();
    return 0;
}

/* Checks --offset with the rule every view obeys, naming the option. */
static int check_offset(uint64_t offset)
{
    if (mb_view_offset_check(offset) == 0)
        return 0;
    char why[400];
    snprintf(why, sizeof why, "%s", mb_last_error());
    return mb_fail(MB_EUSAGE, "--offset %" PRIu64 ": %s", offset, why);
}

static int cow_build(const struct mb_options *o, struct mb_plan *plan)
{
    const char *sizes = mb_opt_str(o, "sizes"), *only = mb_opt_str(o, "kinds");
    const char *dir = mb_opt_str(o, "dir");
    uint64_t offset = mb_opt_num(o, "offset"), v[MAX_SIZES];
    if (!sizes)
        sizes = mb_opt_flag(o, "quick") ? SIZES_QUICK : SIZES_DEFAULT;
    size_t n;
    int rc = check_offset(offset);
    rc = rc ? rc : mb_size_list("sizes", sizes, v, MAX_SIZES, &n);
    rc = rc ? rc : check_space(dir, only, v, n, offset);
    for (size_t i = 0; i < n && !rc; i++) {
        if ((uint64_t)(size_t)v[i] != v[i])
            return mb_fail(MB_EUSAGE, "--sizes: %" PRIu64 " bytes do not fit this address "
                           "space", v[i]);
        struct size_files *sf = mb_plan_alloc(plan, sizeof *sf);
        if (!sf)
            return mb_fail(MB_ENOMEM, "out of memory");
        sf->content = (struct shared_file){.dir = dir, .tag = "cow", .offset = offset,
                                           .len = (size_t)v[i]};
        sf->written = sf->content;
        sf->written.tag = "cow-shared";
        for (size_t k = 0; k < NKINDS && !rc; k++)
            if (!only || mb_list_has(only, kinds[k].name))
                rc = add_case(plan, &kinds[k], sf, offset, mb_opt_flag(o, "test-swap-views"));
    }
    return rc;
}

const struct mb_suite mb_suite_cow = {
    .name = "cow",
    .help = "nanoseconds per page of copy-on-write: private (MAP_PRIVATE / FILE_MAP_COPY) "
            "against shared writes, a forked child's first writes, anonymous memory; the file "
            "checked unchanged",
    .claims = "C7 C10",
    .opts = cow_opts,
    .supported = NULL,
    .build = cow_build,
    .plot = "plot-cow",
    .plot_outputs = (const char *const[]){"cow.svg", "cow.png", NULL},
};
