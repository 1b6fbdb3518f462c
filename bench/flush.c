/* The `flush` suite (claims C9, and C2 at shut-down): what it costs to make
 * the dirty pages of a mapped file durable, against the number of dirty
 * pages and the size of the view, and against the write() baselines. Every
 * repetition opens the file, maps it and dirties k of its pages (prepare,
 * untimed); the pass times one way of getting them to storage; verify then
 * proves they got there: no page of the file is dirty or under writeback
 * any more (cachestat), and the bytes read back around the page cache
 * (O_DIRECT, or after eviction) are the bytes written. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/suite.h"

enum op_id { OP_SYNC, OP_RANGE, OP_ASYNC, OP_UNMAP, OP_PWRITE, OP_SAVE, NOPS };

struct op {
    const char *name;
    const char *what;               /* one line for --help and README */
    bool mapped;                    /* the dirty pages are written through a view */
    bool durable;                   /* the data must be on storage after the pass */
    const char *phases[3];          /* NULL-ended; none: one timed region */
};

static const struct op ops[NOPS] = {
    {"msync-sync", "msync(MS_SYNC) of the whole view", true, true, {NULL}},
    {"msync-range", "msync(MS_SYNC) of the dirty range only", true, true, {NULL}},
    {"msync-async", "msync(MS_ASYNC) of the whole view: schedules, does not wait", true, false,
     {NULL}},
    {"unmap-close", "munmap, close, then fdatasync until durable", true, true,
     {"unmap", "close", "durable"}},
    {"pwrite-fdatasync", "pwrite of the same dirty pages from memory, then fdatasync", false,
     true, {"write", "durable"}},
    {"save-all", "pwrite of the whole data set, then fdatasync (saving at shut-down)", false,
     true, {"write", "durable"}},
};

/* A scratch file of one size, shared by the cases of that size, and the
 * bytes it must hold (what a program keeps in memory: `shadow`). */
struct data_file {
    const char *dir;
    uint64_t size;
    char *path;
    uint8_t *shadow;
    uint32_t stamp;                 /* changes every repetition */
    bool small;                     /* cached in base-page folios */
    unsigned users;
};

/* What the build found out once per run. */
struct run_info {
    bool direct;                    /* the scratch filesystem takes O_DIRECT reads */
    bool clean_check;               /* a file's dirty pages can be counted (cachestat) */
    bool evict_check;               /* eviction can be checked (mincore) */
    const char *unsupported;        /* why no case can run, or NULL */
    bool skip_flush;                /* test only: the pass leaves the flush out */
    uint64_t seed;                  /* --seed: mixed into the choice of random pages */
};

struct flush_case {
    const struct op *op;
    struct data_file *df;
    const struct run_info *ri;
    size_t page, npages, k;         /* k dirty pages of npages */
    bool random;
    size_t *pages;                  /* the dirty pages, ascending */
    struct mb_flush_file f;
    uint64_t file_dirty;            /* the file's dirty pages before the pass (cachestat) */
    uint64_t dirty0, wb0;           /* /proc/meminfo before the pass */
    bool has_file_dirty, has_meminfo; /* whether the platform gave those */
    bool verified;
};

enum { M_FILE_DIRTY, M_DIRTY_BEFORE, M_DIRTY_AFTER, M_WB_AFTER };

/* ---- the dirty pages ---------------------------------------------------- */

/* k distinct pages of n: the first k, or k drawn at random from a seed
 * made of --seed, n and k, so that a run with the same seed dirties the
 * same ones; ascending. */
static int pick_pages(struct flush_case *fc)
{
    size_t n = fc->npages, k = fc->k;
    fc->pages = malloc(k * sizeof *fc->pages);
    uint8_t *taken = fc->random ? calloc(n, 1) : NULL;
    if (!fc->pages || (fc->random && !taken)) {
        free(taken);
        return mb_fail(MB_ENOMEM, "out of memory");
    }
    if (!fc->random) {
        for (size_t i = 0; i < k; i++)
            fc->pages[i] = i;
        return 0;
    }
    uint64_t seed = fc->ri->seed ^ 0x666c757368ull ^ ((uint64_t)n << 20) ^ k;
    for (size_t got = 0; got < k;) {
        size_t i = (size_t)(mb_rand_next(&seed) % n);
        if (!taken[i])
            taken[i] = 1, got++;
    }
    for (size_t i = 0, j = 0; i < n; i++)
        if (taken[i])
            fc->pages[j++] = i;
    free(taken);
    return 0;
}

/* Writes this repetition's stamp (16 bytes: tag, stamp, page index) at the
 * start of page `pg` of `dst`. */
static void stamp_page(uint8_t *dst, size_t pg, size_t page, uint32_t stamp)
{
    uint8_t s[16] = {'m', 'b', 'f', 'l'};
    uint64_t idx = pg;
    memcpy(s + 4, &stamp, sizeof stamp);
    memcpy(s + 8, &idx, sizeof idx);
    memcpy(dst + pg * page, s, sizeof s);
}

/* ---- hooks --------------------------------------------------------------- */

/* Caches the file at `path` in base-page folios: evicted, then read back
 * one page per fault through a mapping with readahead off (as the faults
 * suite does). Written or read with readahead, ext4 caches it in large
 * folios (up to 1 MiB here), and a store dirties its whole folio, so a
 * flush writes the folio: these files show the per-page cost instead. */
static int cache_in_base_pages(const char *path, uint64_t size)
{
    struct mb_region r;
    int rc = mb_cache_evict(path);
    rc = rc ? rc : mb_region_map(&r, MB_REGION_FILE_PRIVATE, path, (size_t)size, 0);
    if (rc)
        return rc;
    rc = mb_region_advise(&r, MB_ADVISE_RANDOM);
    volatile const uint8_t *p = r.base;
    uint8_t acc = 0;
    for (size_t off = 0; !rc && off < r.len; off += mb_page_size())
        acc ^= p[off];
    mb_region_unmap(&r);
    (void)acc;
    return rc;
}

/* Makes the data set of df: its in-memory copy and its scratch file, read
 * into the cache by readahead (large folios) or in base pages (--folios
 * small). Leaves nothing behind on failure. */
static int make_file(struct data_file *df)
{
    df->shadow = malloc((size_t)df->size);
    if (!df->shadow)
        return mb_fail(MB_ENOMEM, "out of memory for a %llu-byte data set",
                       (unsigned long long)df->size);
    mb_content_fill(df->shadow, 0, (size_t)df->size);
    int rc = mb_scratch_create(df->dir, df->small ? "flush-small" : "flush", df->size,
                               mb_content_fill, &df->path);
    /* Either way the cache is filled the same way every run: by readahead
     * (the folio sizes a program that reads its data file gets) or one
     * base page per fault. */
    if (!rc && df->small)
        rc = cache_in_base_pages(df->path, df->size);
    else if (!rc && (rc = mb_cache_evict(df->path)) == 0)
        rc = mb_cache_warm(df->path);
    if (rc) {
        if (df->path)
            mb_scratch_remove(df->path);
        free(df->path);
        free(df->shadow);
        df->path = NULL;
        df->shadow = NULL;
    }
    return rc;
}

static int fl_setup(struct mb_case *c)
{
    struct flush_case *fc = c->data;
    if (fc->ri->unsupported)
        return mb_fail(MB_EUNSUPPORTED, "%s", fc->ri->unsupported);
    struct data_file *df = fc->df;
    int rc = pick_pages(fc);
    if (!rc && !df->users)
        rc = make_file(df);
    if (rc) { /* no teardown follows a failed setup */
        free(fc->pages);
        fc->pages = NULL;
        return rc;
    }
    df->users++;
    c->cache_path = df->path;
    return 0;
}

/* Opens (and maps) the file and dirties the case's pages: through the view
 * for a mapped flush, in the in-memory copy alone for a write() baseline. */
static int fl_prepare(struct mb_case *c)
{
    struct flush_case *fc = c->data;
    struct data_file *df = fc->df;
    fc->verified = false;
    int rc = mb_flush_open(&fc->f, df->path, (size_t)df->size);
    if (!rc && fc->op->mapped && (rc = mb_flush_map(&fc->f)) == 0)
        mb_guard_watch(fc->f.view, fc->f.len);
    if (rc)
        return rc;
    df->stamp++;
    for (size_t i = 0; i < fc->k; i++) {
        stamp_page(df->shadow, fc->pages[i], fc->page, df->stamp);
        if (fc->op->mapped)
            memcpy(fc->f.view + fc->pages[i] * fc->page, df->shadow + fc->pages[i] * fc->page, 16);
    }
    /* A store dirties the whole folio that holds the page (large folios),
     * so the kernel's count of dirty pages is what a flush must write. */
    uint64_t wb = 0;
    fc->file_dirty = fc->dirty0 = fc->wb0 = 0;
    rc = fc->op->mapped ? mb_flush_file_dirty(df->path, &fc->file_dirty, &wb) : 0;
    fc->has_file_dirty = rc == 0;
    rc = rc == MB_EUNSUPPORTED ? 0 : rc;
    rc = rc ? rc : mb_flush_meminfo(&fc->dirty0, &fc->wb0);
    fc->has_meminfo = rc == 0;
    return rc == MB_EUNSUPPORTED ? 0 : rc;
}

/* pwrite of the dirty pages from the in-memory copy, contiguous pages in
 * one call (what a program that tracks its dirty records does). */
static int write_dirty(struct flush_case *fc)
{
    size_t page = fc->page;
    int rc = 0;
    for (size_t i = 0; !rc && i < fc->k;) {
        size_t j = i + 1;
        while (j < fc->k && fc->pages[j] == fc->pages[j - 1] + 1)
            j++;
        size_t off = fc->pages[i] * page;
        rc = mb_flush_pwrite(&fc->f, fc->df->shadow + off, (j - i) * page, off);
        i = j;
    }
    return rc;
}

static int fl_pass(struct mb_case *c, struct mb_pass *p)
{
    struct flush_case *fc = c->data;
    bool skip = fc->ri->skip_flush;
    size_t page = fc->page, lo = fc->pages[0] * page;
    size_t span = (fc->pages[fc->k - 1] + 1) * page - lo;
    int rc = 0;
    /* A figure the platform cannot give is unavailable (NaN), not 0. */
    p->metric[M_FILE_DIRTY] += fc->has_file_dirty ? (double)fc->file_dirty : NAN;
    p->metric[M_DIRTY_BEFORE] += fc->has_meminfo ? (double)fc->dirty0 : NAN;
    switch ((enum op_id)(fc->op - ops)) {
    case OP_SYNC:
    case OP_ASYNC:
        rc = skip ? 0 : mb_flush_msync(&fc->f, 0, fc->f.len, fc->op == &ops[OP_SYNC]);
        break;
    case OP_RANGE:
        rc = skip ? 0 : mb_flush_msync(&fc->f, lo, span, true);
        break;
    case OP_UNMAP:
        rc = mb_flush_unmap(&fc->f);
        mb_phase_next(p);
        rc = rc ? rc : mb_flush_close_fd(&fc->f);
        mb_phase_next(p);
        rc = rc || skip ? rc : mb_flush_datasync(&fc->f);
        break;
    case OP_PWRITE:
    case OP_SAVE:
        rc = fc->op == &ops[OP_SAVE] ? mb_flush_pwrite(&fc->f, fc->df->shadow, fc->f.len, 0)
                                     : write_dirty(fc);
        mb_phase_next(p);
        rc = rc || skip ? rc : mb_flush_datasync(&fc->f);
        break;
    default:
        rc = mb_fail(MB_EUSAGE, "unknown flush operation");
    }
    return rc;
}

/* Compares pages [lo, lo + n) of the file, read back around the page cache
 * (or through it for a flush that promises no durability), with the bytes
 * written. */
static int compare_back(struct flush_case *fc, size_t lo, size_t n, bool around)
{
    enum { CHUNK = 256 };
    struct data_file *df = fc->df;
    size_t page = fc->page;
    uint8_t *buf = malloc(CHUNK * page);
    if (!buf)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t i = lo; !rc && i < lo + n; i += CHUNK) {
        size_t m = lo + n - i < CHUNK ? lo + n - i : CHUNK;
        rc = mb_flush_read_back(df->path, i * page, m * page, buf, around && fc->ri->direct);
        for (size_t j = 0; !rc && j < m; j++)
            if (memcmp(buf + j * page, df->shadow + (i + j) * page, page) != 0)
                rc = mb_fail(MB_EVERIFY, "%s: page %zu read back %s differs from what was "
                             "written", fc->op->name, i + j,
                             around ? "from storage" : "through read()");
    }
    free(buf);
    return rc;
}

/* No page of the file may be dirty or under writeback after a flush that
 * promises durability: the check that catches a missing flush, which a
 * read-back alone cannot (an O_DIRECT read writes dirty pages back first). */
static int check_clean(const struct flush_case *fc)
{
    uint64_t dirty = 0, wb = 0;
    int rc = mb_flush_file_dirty(fc->df->path, &dirty, &wb);
    if (rc == MB_EUNSUPPORTED)
        return mb_fail(rc, "durability cannot be checked: %s",
                       mb_last_error());
    if (!rc && (dirty || wb))
        rc = mb_fail(MB_EVERIFY, "%s: %llu pages of the file still dirty and %llu under "
                     "writeback after the flush: the data is not durable", fc->op->name,
                     (unsigned long long)dirty, (unsigned long long)wb);
    return rc;
}

/* Without O_DIRECT: the file's pages are evicted (none is dirty, so the
 * eviction's own fdatasync writes nothing) and mincore must show none. */
static int evict_for_read_back(const struct flush_case *fc)
{
    uint64_t res = 0, total = 0;
    int rc = mb_cache_evict(fc->df->path);
    rc = rc ? rc : mb_cache_resident(fc->df->path, &res, &total);
    if (!rc && res)
        rc = mb_fail(MB_EENV, "%llu pages of the file stayed cached after eviction: cannot "
                     "read around the cache", (unsigned long long)res);
    return rc;
}

static int fl_verify(struct mb_case *c, struct mb_pass *p)
{
    struct flush_case *fc = c->data;
    uint64_t dirty = 0, wb = 0;
    bool known = mb_flush_meminfo(&dirty, &wb) == 0;
    p->metric[M_DIRTY_AFTER] += known ? (double)dirty : NAN;
    p->metric[M_WB_AFTER] += known ? (double)wb : NAN;
    mb_clear_error();
    int rc = mb_flush_unmap(&fc->f); /* mapped pages cannot be evicted */
    /* Where the platform cannot count dirty pages or check an eviction
     * (Windows), the read-back is the only check: the `readback`
     * parameter says which checks ran. */
    if (!rc && fc->op->durable) {
        rc = fc->ri->clean_check ? check_clean(fc) : 0;
        if (!rc && !fc->ri->direct && fc->ri->evict_check)
            rc = evict_for_read_back(fc);
    }
    size_t lo = fc->op == &ops[OP_SAVE] ? 0 : fc->pages[0];
    size_t n = fc->op == &ops[OP_SAVE] ? fc->npages : fc->pages[fc->k - 1] + 1 - lo;
    bool around = fc->op->durable && (fc->ri->direct || fc->ri->evict_check);
    rc = rc ? rc : compare_back(fc, lo, n, around);
    fc->verified = rc == 0;
    return rc;
}

static void fl_release(struct mb_case *c)
{
    struct flush_case *fc = c->data;
    /* The runner reads a failed repetition's message after release: keep it. */
    char why[256];
    snprintf(why, sizeof why, "%s", mb_last_error());
    if (fc->op->mapped)
        mb_guard_watch(NULL, 0);
    /* The next repetition of any case of this size starts from a clean
     * file that holds the in-memory copy: after a failed repetition the
     * dirty pages are written again, and MS_ASYNC's are made durable. */
    if (fc->f.fd2 >= 0 && (!fc->verified || !fc->op->durable)) {
        (void)mb_flush_unmap(&fc->f);
        if (!fc->verified)
            (void)write_dirty(fc);
        (void)mb_flush_datasync(&fc->f);
    }
    mb_flush_close(&fc->f);
    if (why[0])
        (void)mb_fail(MB_OK, "%s", why);
    else
        mb_clear_error();
}

static void fl_teardown(struct mb_case *c)
{
    struct flush_case *fc = c->data;
    struct data_file *df = fc->df;
    free(fc->pages);
    fc->pages = NULL;
    if (!df->users || --df->users)
        return;
    if (df->path) {
        mb_scratch_remove(df->path);
        free(df->path);
        df->path = NULL;
    }
    free(df->shadow);
    df->shadow = NULL;
}

static const struct mb_case_ops flush_ops = {
    .setup = fl_setup,
    .prepare = fl_prepare,
    .pass = fl_pass,
    .verify = fl_verify,
    .release = fl_release,
    .teardown = fl_teardown,
};

/* ---- building the cases --------------------------------------------------- */

#define MIN_SIZE (64ull << 10)
#define MAX_SIZE (256ull << 20)

static int check_size(const char *item, char *valid, size_t vlen)
{
    return mb_size_item_check(item, MIN_SIZE, MAX_SIZE, mb_page_size(),
                              "sizes from 64KiB to 256MiB, multiples of the page size", valid,
                              vlen);
}

static const struct mb_opt flush_opts[] = {
    {"sizes", MB_OPT_LIST, "64KiB,1MiB,16MiB,64MiB",
     "sizes of the view (and file), 64KiB to 256MiB (--quick: 64KiB,1MiB unless given)", NULL,
     0, 0, check_size},
    {"dirty", MB_OPT_LIST, "1page,1pct,10pct,100pct",
     "how many of the view's pages are dirty: one page, 1%, 10% or all of them",
     "1page|1pct|10pct|100pct", 0, 0, NULL},
    {"patterns", MB_OPT_LIST, "seq,random",
     "which pages are dirty: the first k, or k at random (1pct and 10pct only)", "seq|random",
     0, 0, NULL},
    {"ops", MB_OPT_LIST, NULL, "flush operations to time (default: all)",
     "msync-sync|msync-range|msync-async|unmap-close|pwrite-fdatasync|save-all", 0, 0, NULL},
    {"folios", MB_OPT_LIST, "large",
     "how the file is cached: as the kernel does it (large: a store dirties a whole folio, up "
     "to 1 MiB on ext4), or in base-page folios (small: one dirty page per store)",
     "large|small", 0, 0, NULL},
    {"test-skip-flush", MB_OPT_FLAG, NULL,
     "tests only: leave the flush out of every pass, so that the durability check must fail",
     NULL, 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

/* The dirty page count a fraction label stands for, at least one page. */
static size_t dirty_count(const char *label, size_t npages)
{
    if (strcmp(label, "1page") == 0)
        return 1;
    size_t pct = strcmp(label, "1pct") == 0 ? 1 : strcmp(label, "10pct") == 0 ? 10 : 100;
    size_t k = (npages * pct + 99) / 100;
    return k ? k : 1;
}

static void size_label(char *out, size_t len, uint64_t size)
{
    if (size % (1ull << 20) == 0)
        snprintf(out, len, "%lluMiB", (unsigned long long)(size >> 20));
    else
        snprintf(out, len, "%lluKiB", (unsigned long long)(size >> 10));
}

static int add_params(struct mb_case *c, const struct flush_case *fc, const char *dirty)
{
    char num[48];
    int rc = mb_case_param(c, "op", fc->op->name, true);
    size_label(num, sizeof num, fc->df->size);
    rc = rc ? rc : mb_case_param(c, "size", num, true);
    rc = rc ? rc : mb_case_param(c, "dirty", dirty, true);
    rc = rc ? rc : mb_case_param(c, "pattern", fc->random ? "random" : "seq", true);
    rc = rc ? rc : mb_case_param(c, "folios", fc->df->small ? "small" : "large", true);
    snprintf(num, sizeof num, "%llu", (unsigned long long)fc->df->size);
    rc = rc ? rc : mb_case_param(c, "size_bytes", num, false);
    snprintf(num, sizeof num, "%zu", fc->k);
    rc = rc ? rc : mb_case_param(c, "dirty_pages", num, false);
    const struct run_info *ri = fc->ri;
    const char *how = !fc->op->durable || (!ri->direct && !ri->evict_check)
                          ? "read-through-cache"
                      : !ri->clean_check ? (ri->direct ? "uncached-read" : "evict+mincore")
                      : ri->direct       ? "cachestat-clean+o_direct"
                                         : "cachestat-clean+evict+mincore";
    rc = rc ? rc : mb_case_param(c, "readback", how, false);
    for (size_t i = 0; !rc && i < 3 && fc->op->phases[i]; i++)
        rc = mb_case_phase(c, fc->op->phases[i]);
    rc = rc ? rc : mb_case_metric(c, "file_dirty_pages");
    rc = rc ? rc : mb_case_metric(c, "dirty_pages_before");
    rc = rc ? rc : mb_case_metric(c, "dirty_pages_after");
    rc = rc ? rc : mb_case_metric(c, "writeback_pages_after");
    rc = rc ? rc : mb_case_work(c, (double)(fc->k * fc->page), (double)fc->k, "page");
    return rc ? rc : mb_case_cache(c, MB_CACHE_WARM, NULL);
}

static int add_case(struct mb_plan *plan, const struct op *op, struct data_file *df,
                    const struct run_info *ri, const char *dirty, bool random)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct flush_case *fc = mb_plan_alloc(plan, sizeof *fc);
    if (!c || !fc)
        return mb_fail(MB_ENOMEM, "out of memory");
    fc->op = op;
    fc->df = df;
    fc->ri = ri;
    fc->page = mb_page_size();
    fc->npages = (size_t)(df->size / fc->page);
    fc->k = op == &ops[OP_SAVE] ? fc->npages : dirty_count(dirty, fc->npages);
    fc->random = random;
    fc->f.fd = fc->f.fd2 = -1;
    mb_case_init(c, "flush", &flush_ops, fc);
    c->single_pass = true; /* a pass needs freshly dirtied pages */
    return add_params(c, fc, op == &ops[OP_SAVE] ? "all" : dirty);
}

/* Scratch space, durability and O_DIRECT on --dir, checked before any case
 * runs: too little space is a usage error (exit 2), a memory filesystem
 * makes every case unsupported. */
static int probe_dir(const char *dir, uint64_t need, struct run_info *ri, struct mb_plan *plan)
{
    if ((ri->unsupported = mb_flush_unsupported()) != NULL)
        return 0;
    int rc = mb_dir_check_writable(dir);
    uint64_t avail = 0;
    rc = rc ? rc : mb_space_free(dir, &avail);
    if (rc)
        return rc == MB_EENV ? mb_fail(MB_EUSAGE, "%s", mb_last_error()) : rc;
    if (avail < need)
        return mb_fail(MB_EUSAGE, "the flush suite needs %llu MiB under %s and only %llu MiB "
                       "are free: give --dir elsewhere or fewer --sizes",
                       (unsigned long long)(need >> 20), dir, (unsigned long long)(avail >> 20));
    if ((rc = mb_flush_durable_fs(dir)) == MB_EUNSUPPORTED) {
        const char *why = mb_last_error();
        char *keep = mb_plan_alloc(plan, strlen(why) + 1);
        ri->unsupported = keep ? strcpy(keep, why) : "--dir is on a memory filesystem";
        mb_clear_error();
        return 0;
    }
    char *probe = NULL;
    rc = rc ? rc : mb_scratch_create(dir, "flush-probe", mb_page_size(), mb_content_fill, &probe);
    if (rc)
        return rc;
    ri->direct = mb_flush_direct_ok(probe);
    uint64_t a = 0, b = 0;
    ri->clean_check = mb_flush_file_dirty(probe, &a, &b) != MB_EUNSUPPORTED;
    ri->evict_check = mb_cache_resident(probe, &a, &b) != MB_EUNSUPPORTED;
    mb_clear_error();
    mb_scratch_remove(probe);
    free(probe);
    return 0;
}

/* Calls fn(item, arg) for every item of comma-separated `list`. */
static int each_item(const char *list, int (*fn)(const char *, void *), void *arg)
{
    char item[64];
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item ? n : sizeof item - 1), p);
        int rc = fn(item, arg);
        if (rc)
            return rc;
        p += n + (p[n] == ',');
    }
    return 0;
}

static int add_need(const char *item, void *arg)
{
    uint64_t v = 0, *need = arg;
    mb_parse_size(item, &v);
    *need += v;
    return 0;
}

/* The files a run makes: one per size and folio kind. */
static uint64_t space_needed(const char *sizes, const char *folios)
{
    uint64_t one = 0;
    each_item(sizes, add_need, &one);
    uint64_t kinds = (uint64_t)mb_list_has(folios, "large") + mb_list_has(folios, "small");
    return one * kinds + (8ull << 20); /* the probe file, and room for the results */
}

/* What building the cases of one size needs. */
struct build {
    const struct mb_options *o;
    struct mb_plan *plan;
    const struct run_info *ri;
    const char *dir;
};

/* The cases of one dirty-page label under operation `op` on file df: one
 * per pattern, a random one only where it differs from the first k pages,
 * none where the label gives the count of an earlier label. */
static int add_label_cases(const struct build *b, const struct op *op, struct data_file *df,
                           const char *label, size_t *last_k)
{
    size_t n = (size_t)(df->size / mb_page_size()), k = dirty_count(label, n);
    if (k == *last_k)
        return 0;
    *last_k = k;
    const char *pats = mb_opt_str(b->o, "patterns");
    int rc = 0;
    if (mb_list_has(pats, "seq"))
        rc = add_case(b->plan, op, df, b->ri, label, false);
    if (!rc && mb_list_has(pats, "random") && k > 1 && k < n)
        rc = add_case(b->plan, op, df, b->ri, label, true);
    return rc;
}

static int add_file(const struct build *b, uint64_t size, bool small)
{
    struct data_file *df = mb_plan_alloc(b->plan, sizeof *df);
    if (!df)
        return mb_fail(MB_ENOMEM, "out of memory");
    df->dir = b->dir;
    df->size = size;
    df->small = small;
    const char *only = mb_opt_str(b->o, "ops"), *dirty = mb_opt_str(b->o, "dirty");
    static const char *const labels[] = {"1page", "1pct", "10pct", "100pct"};
    int rc = 0;
    for (size_t i = 0; !rc && i < NOPS; i++) {
        if (only && !mb_list_has(only, ops[i].name))
            continue;
        if (&ops[i] == &ops[OP_SAVE]) {
            rc = add_case(b->plan, &ops[i], df, b->ri, "all", false);
            continue;
        }
        size_t last_k = 0;
        for (size_t j = 0; !rc && j < sizeof labels / sizeof labels[0]; j++)
            if (mb_list_has(dirty, labels[j]))
                rc = add_label_cases(b, &ops[i], df, labels[j], &last_k);
    }
    return rc;
}

static int add_size(const char *item, void *arg)
{
    const struct build *b = arg;
    const char *folios = mb_opt_str(b->o, "folios");
    uint64_t size = 0;
    mb_parse_size(item, &size);
    int rc = mb_list_has(folios, "large") ? add_file(b, size, false) : 0;
    return rc || !mb_list_has(folios, "small") ? rc : add_file(b, size, true);
}

static int flush_build(const struct mb_options *o, struct mb_plan *plan)
{
    bool quick = mb_opt_flag(o, "quick");
    const char *sizes = mb_opt_given(o, "sizes") || !quick ? mb_opt_str(o, "sizes")
                                                           : "64KiB,1MiB";
    struct run_info *ri = mb_plan_alloc(plan, sizeof *ri);
    if (!ri)
        return mb_fail(MB_ENOMEM, "out of memory");
    ri->skip_flush = mb_opt_flag(o, "test-skip-flush");
    ri->seed = mb_opt_num(o, "seed");
    uint64_t need = space_needed(sizes, mb_opt_str(o, "folios"));
    struct build b = {.o = o, .plan = plan, .ri = ri, .dir = mb_opt_str(o, "dir")};
    int rc = probe_dir(b.dir, need, ri, plan);
    return rc ? rc : each_item(sizes, add_size, &b);
}

static const char *flush_supported(void)
{
    return mb_flush_unsupported();
}

const struct mb_suite mb_suite_flush = {
    .name = "flush",
    .help = "the cost of making k dirty pages of a mapped file durable (msync, munmap + close "
            "+ fdatasync) against pwrite + fdatasync and saving the whole data set",
    .claims = "C9 C2",
    .opts = flush_opts,
    .supported = flush_supported,
    .build = flush_build,
    .plot = "plot-flush",
    .plot_outputs = (const char *const[]){"flush.svg", "flush.png", NULL},
};
