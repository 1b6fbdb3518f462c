/* The `backing` suite (claim C8): the same work over mappings backed by a
 * data file and by memory. The article says a mapping backed by the paging
 * file is faster than one backed by a data file, because closing a
 * file-backed mapping writes its dirty pages to disk. Each repetition is one
 * pass timed per phase:
 *   create   open / create the object, size it, map it
 *   fill     first write of every byte (the page faults)
 *   rewrite  second write of every byte (no faults: the cost of the memory)
 *   unmap    munmap / UnmapViewOfFile
 *   close    close the descriptor or handles (kinds that have them)
 *   durable  fdatasync / FlushFileBuffers (the `file` kind only)
 * `file-nosync` is the file without its durable phase: what is left dirty
 * after close shows in the dirty_bytes_after metric, read right after the
 * pass. A shm object outlives close (its name holds it); its memory is freed
 * by shm_unlink after the read-back, timed as the shm_unlink_ns metric.
 * Verified: a file is read back from the device (evicted first) after every
 * pass, a shm object through its name; memfd and anonymous memory vanish with
 * their last unmap/close, so setup() checks their mapping once, untimed,
 * before unmapping it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/suite.h"

#define MIN_SIZE (1ull << 20)
#define MAX_SIZE (1ull << 30)
#define CHUNK ((size_t)1 << 20) /* read-back buffer */
#define SIZES_DEFAULT "1M,16M,256M"
#define SIZES_QUICK "1M,16M"

/* The kinds, in the order cases and charts show them. */
static const struct kind {
    const char *name;
    enum mb_backing_kind kind;
    bool durable;
} kinds[] = {
    {"file", MB_BACKING_FILE, true},
    {"file-nosync", MB_BACKING_FILE, false},
    {"shm", MB_BACKING_SHM, false},
    {"memfd", MB_BACKING_MEMFD, false},
    {"shared-anon", MB_BACKING_SHARED_ANON, false},
    {"private-anon", MB_BACKING_PRIVATE_ANON, false},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* Metric slots: the three dirty-page figures where the platform has them
 * (a metric cannot be reported as unknown, so it is not declared), then
 * shm's unlink time. */
enum { M_DIRTY_BEFORE, M_DIRTY_AFTER, M_WRITEBACK_AFTER, M_DIRTY_COUNT };

/* One case's state. */
struct bk {
    const struct kind *k;
    size_t size;
    const char *dir;
    char *path;                 /* file kinds: this repetition's file */
    struct mb_backing b;
    uint64_t gen;               /* repetitions so far: part of the content */
    bool has_handle;            /* a close phase: the platform's object has a handle */
    bool dirty_metrics;         /* the platform reports dirty and writeback bytes */
    bool selfcheck;             /* setup's untimed run: check the mapping before unmap */
    double *metric_first;       /* the pass's first and last phases' metrics (bk_verify) */
    double *metric_last;
    struct mb_meminfo before;
    uint8_t *buf;
};

/* The 64-bit word at word index i of a content: a function of the offset,
 * the repetition and which of the two writes made it, so that a stale page
 * from an earlier repetition or from the first write never passes. */
static inline uint64_t word_at(uint64_t seed, uint64_t i)
{
    return seed ^ (i * 0x9E3779B97F4A7C15ull);
}

/* The seed of write `round` (0 fill, 1 rewrite) of repetition `gen`. */
static uint64_t seed_of(uint64_t gen, int round)
{
    return (gen * 2 + (uint64_t)round + 1) * 0xD1B54A32D192ED03ull;
}

/* Writes every 64-bit word of the mapping: stores the compiler cannot drop,
 * as the mapping is handed to the OS (munmap) after them. */
static void write_all(void *base, size_t len, uint64_t seed)
{
    uint64_t *w = base;
    for (size_t i = 0; i < len / 8; i++)
        w[i] = word_at(seed, i);
}

/* 0 if the `n` bytes at `p`, found at byte offset `off`, hold the rewrite's
 * content; MB_EVERIFY naming the first wrong offset otherwise. */
static int check_words(const struct bk *bk, const void *p, uint64_t off, size_t n)
{
    uint64_t seed = seed_of(bk->gen, 1), w;
    const unsigned char *bytes = p;
    for (size_t j = 0; j < n / 8; j++) {
        memcpy(&w, bytes + j * 8, 8);
        if (w != word_at(seed, off / 8 + j))
            return mb_fail(MB_EVERIFY, "%s: wrong data at offset %" PRIu64 " (repetition %" PRIu64
                           ")", bk->k->name, off + j * 8, bk->gen);
    }
    return 0;
}

/* The scratch file starts empty: the pass sizes it. */
static void empty_fill(uint8_t *dst, uint64_t off, size_t n)
{
    (void)dst;
    (void)off;
    (void)n;
}

/* Before each repetition: a new, empty file for the file kinds (created and
 * registered for removal by mb_scratch_create, untimed, so the create phase
 * is open + ftruncate + mmap of it), and the system's dirty pages. */
static int bk_prepare(struct mb_case *c)
{
    struct bk *bk = c->data;
    bk->gen++;
    if (bk->k->kind == MB_BACKING_FILE) {
        int rc = mb_scratch_create(bk->dir, "backing", 0, empty_fill, &bk->path);
        if (rc)
            return rc;
    }
    mb_backing_init(&bk->b, bk->k->kind, bk->size, bk->path);
    mb_meminfo_read(&bk->before);
    return 0;
}

/* The timed pass, one phase per step; the setup's self-check also runs it
 * (no phase clock then: mb_phase_next does nothing). */
static int bk_pass(struct mb_case *c, struct mb_pass *p)
{
    struct bk *bk = c->data;
    struct mb_backing *b = &bk->b;
    bk->metric_first = p->metric;
    int rc = mb_backing_create(b);
    if (rc)
        return rc;
    mb_phase_next(p);
    write_all(b->base, b->len, seed_of(bk->gen, 0));
    mb_phase_next(p);
    write_all(b->base, b->len, seed_of(bk->gen, 1));
    if (bk->selfcheck && (rc = check_words(bk, b->base, 0, b->len)) != 0)
        return rc;
    mb_phase_next(p);
    if ((rc = mb_backing_unmap(b)) != 0)
        return rc;
    if (bk->has_handle) {
        mb_phase_next(p);
        if ((rc = mb_backing_close(b)) != 0)
            return rc;
    }
    if (bk->k->durable) {
        mb_phase_next(p);
        rc = mb_backing_durable(b);
    }
    bk->metric_last = p->metric;
    return rc;
}

/* Reads the object back through its path or name, chunk by chunk. A file
 * is evicted first, so that its bytes come from the device: what unmap,
 * close and fdatasync (or the eviction's own sync) left there. */
static int read_back(struct bk *bk)
{
    if (bk->k->kind == MB_BACKING_FILE) {
        int rc = mb_cache_evict(bk->path);
        if (rc)
            return rc;
    }
    for (uint64_t off = 0; off < bk->size; off += CHUNK) {
        size_t n = bk->size - off < CHUNK ? (size_t)(bk->size - off) : CHUNK;
        int rc = mb_backing_read_back(&bk->b, off, bk->buf, n);
        if (!rc)
            rc = check_words(bk, bk->buf, off, n);
        if (rc)
            return rc;
    }
    return 0;
}

/* After the pass, untimed: the system's dirty and writeback bytes (read
 * first, before the read-back's eviction syncs the file), then the data.
 * The core counts a metric in the phase the pass was in when it added it
 * and has no hook after the pass that may add one, so the figures go in
 * through the pointers the pass saw: "before" on its first phase, "after"
 * on its last, each once in the total. verify runs within the repetition,
 * before the core reads them. */
static int bk_verify(struct mb_case *c, struct mb_pass *p)
{
    struct bk *bk = c->data;
    struct mb_meminfo after;
    double *first = bk->metric_first, *last = bk->metric_last;
    (void)p;
    bk->metric_first = bk->metric_last = NULL;
    if (bk->dirty_metrics && first && last && mb_meminfo_read(&after) == 0) {
        first[M_DIRTY_BEFORE] += (double)bk->before.dirty;
        last[M_DIRTY_AFTER] += (double)after.dirty;
        last[M_WRITEBACK_AFTER] += (double)after.writeback;
    }
    int rc = 0;
    if (bk->k->kind == MB_BACKING_FILE || bk->k->kind == MB_BACKING_SHM)
        rc = read_back(bk);
    /* A shm object's memory is freed by shm_unlink, which must wait for the
     * read-back: timed here, reported as a metric of the last phase. */
    if (bk->k->kind == MB_BACKING_SHM && last) {
        uint64_t t0 = mb_now_ns();
        mb_backing_release(&bk->b);
        last[bk->dirty_metrics ? M_DIRTY_COUNT : 0] += (double)(mb_now_ns() - t0);
    }
    return rc; /* anonymous memory and memfd: gone with the last unmap/close */
}

static void bk_release(struct mb_case *c)
{
    struct bk *bk = c->data;
    mb_backing_release(&bk->b);
    if (bk->path) {
        mb_scratch_remove(bk->path);
        free(bk->path);
        bk->path = NULL;
    }
}

/* Once per case, untimed: one whole pass with the mapping checked before it
 * is unmapped, the only check the anonymous kinds and memfd can have (their
 * data is gone once unmapped and closed). */
static int bk_setup(struct mb_case *c)
{
    struct bk *bk = c->data;
    const char *why = mb_backing_unsupported(bk->k->kind);
    if (why)
        return mb_fail(MB_EUNSUPPORTED, "%s", why);
    if ((bk->buf = malloc(CHUNK)) == NULL)
        return mb_fail(MB_ENOMEM, "out of memory");
    double metric[MB_MAX_METRICS] = {0}, counted[MB_F_COUNT] = {0};
    mb_fieldset set = 0;
    struct mb_pass p = {.metric = metric, .counted = counted, .counted_set = &set};
    int rc = bk_prepare(c);
    bk->selfcheck = true;
    if (!rc)
        rc = bk_pass(c, &p);
    bk->selfcheck = false;
    if (!rc)
        rc = bk_verify(c, 0);
    bk_release(c);
    return rc;
}

static void bk_teardown(struct mb_case *c)
{
    struct bk *bk = c->data;
    free(bk->buf);
    bk->buf = NULL;
}

static const struct mb_case_ops bk_ops = {
    .setup = bk_setup,
    .prepare = bk_prepare,
    .pass = bk_pass,
    .verify = bk_verify,
    .release = bk_release,
    .teardown = bk_teardown,
};

static int check_size(const char *item, char *valid, size_t vlen)
{
    return mb_size_item_check(item, MIN_SIZE, MAX_SIZE, 4096,
                              "a size from 1MiB to 1GiB, a multiple of 4KiB", valid, vlen);
}

static const struct mb_opt backing_opts[] = {
    {"sizes", MB_OPT_LIST, NULL,
     "mapping sizes (default " SIZES_DEFAULT "; " SIZES_QUICK " with --quick)", NULL, 0, 0,
     check_size},
    {"kinds", MB_OPT_LIST, "file,file-nosync,shm,memfd,shared-anon,private-anon",
     "what backs the mapping", "file|file-nosync|shm|memfd|shared-anon|private-anon", 0, 0,
     NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

static void size_label(uint64_t v, char *out, size_t n)
{
    if (v % (1ull << 30) == 0)
        snprintf(out, n, "%" PRIu64 "GiB", v >> 30);
    else if (v % (1ull << 20) == 0)
        snprintf(out, n, "%" PRIu64 "MiB", v >> 20);
    else
        snprintf(out, n, "%" PRIu64 "KiB", v >> 10);
}

/* The case's parameters, phases, metrics and work. */
static int describe(struct mb_case *c, const struct bk *bk)
{
    char label[32], bytes[32];
    size_label(bk->size, label, sizeof label);
    snprintf(bytes, sizeof bytes, "%zu", bk->size);
    int rc = mb_case_param(c, "kind", bk->k->name, true);
    if (!rc)
        rc = mb_case_param(c, "size", label, true);
    if (!rc)
        rc = mb_case_param(c, "size_bytes", bytes, false);
    if (!rc)
        rc = mb_case_work(c, (double)bk->size, (double)(bk->size / mb_page_size()), "page");
    static const char *const phases[] = {"create", "fill", "rewrite", "unmap", "close", "durable"};
    size_t nph = bk->k->durable ? 6 : bk->has_handle ? 5 : 4;
    for (size_t i = 0; i < nph && !rc; i++)
        rc = mb_case_phase(c, phases[i]);
    if (!rc && bk->dirty_metrics)
        rc = mb_case_metric(c, "dirty_bytes_before");
    if (!rc && bk->dirty_metrics)
        rc = mb_case_metric(c, "dirty_bytes_after");
    if (!rc && bk->dirty_metrics)
        rc = mb_case_metric(c, "writeback_bytes_after");
    if (!rc && bk->k->kind == MB_BACKING_SHM)
        rc = mb_case_metric(c, "shm_unlink_ns");
    c->single_pass = true;
    return rc;
}

static int add_case(struct mb_plan *plan, const struct kind *k, uint64_t size, const char *dir)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct bk *bk = mb_plan_alloc(plan, sizeof *bk);
    if (!c || !bk)
        return mb_fail(MB_ENOMEM, "out of memory");
    struct mb_meminfo m;
    *bk = (struct bk){.k = k, .size = (size_t)size, .dir = dir,
                      .has_handle = mb_backing_has_handle(k->kind),
                      .dirty_metrics = mb_meminfo_read(&m) == 0 && m.has_dirty && m.has_writeback};
    mb_case_init(c, "backing", &bk_ops, bk);
    return describe(c, bk);
}

/* Refuses (MB_EUSAGE: exit 2) a run whose largest mapping cannot fit: on
 * --dir for the file kinds, in /dev/shm for shm, in available memory for
 * every kind (the page cache or the memory that backs it must hold it). */
static int check_space(const char *dir, const char *kindlist, uint64_t largest)
{
    uint64_t free_b;
    bool files = mb_list_has(kindlist, "file") || mb_list_has(kindlist, "file-nosync");
    if (files && mb_space_free(dir, &free_b) == 0 && free_b < largest)
        return mb_fail(MB_EUSAGE, "--dir %s has %" PRIu64 " MiB free; the largest size needs %"
                       PRIu64 " MiB", dir, free_b >> 20, largest >> 20);
    if (mb_list_has(kindlist, "shm") && mb_space_free("/dev/shm", &free_b) == 0 &&
        free_b < largest)
        return mb_fail(MB_EUSAGE, "/dev/shm has %" PRIu64 " MiB free; the largest size needs %"
                       PRIu64 " MiB", free_b >> 20, largest >> 20);
    struct mb_meminfo m;
    if (mb_meminfo_read(&m) == 0 && m.has_available && m.available < largest)
        return mb_fail(MB_EUSAGE, "%" PRIu64 " MiB of memory available; the largest size needs %"
                       PRIu64 " MiB", m.available >> 20, largest >> 20);
    return 0;
}

static int backing_build(const struct mb_options *o, struct mb_plan *plan)
{
    const char *sizes = mb_opt_str(o, "sizes"), *kindlist = mb_opt_str(o, "kinds");
    const char *dir = mb_opt_str(o, "dir");
    if (!sizes)
        sizes = mb_opt_flag(o, "quick") ? SIZES_QUICK : SIZES_DEFAULT;
    uint64_t v[32], largest = 0;
    size_t nv = 0;
    int rc = mb_size_list("sizes", sizes, v, 32, &nv);
    for (size_t i = 0; i < nv; i++)
        largest = v[i] > largest ? v[i] : largest;
    rc = rc ? rc : check_space(dir, kindlist, largest);
    for (size_t i = 0; i < nv && !rc; i++)
        for (size_t k = 0; k < NKINDS && !rc; k++)
            if (mb_list_has(kindlist, kinds[k].name))
                rc = add_case(plan, &kinds[k], v[i], dir);
    return rc;
}

static const char *backing_supported(void)
{
    return mb_backing_unsupported(MB_BACKING_FILE);
}

const struct mb_suite mb_suite_backing = {
    .name = "backing",
    .help = "create, fill, rewrite, unmap, close (and fdatasync) a mapping backed by a file, "
            "shm, memfd or anonymous memory",
    .claims = "C8",
    .opts = backing_opts,
    .supported = backing_supported,
    .build = backing_build,
    .plot = "plot-backing",
    .plot_outputs = (const char *const[]){"backing.svg", "backing.png", NULL},
};
