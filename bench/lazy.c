/* The `lazy` suite (claim C2): how long a program waits before it can use
 * its data file. "heap" reads the whole file into a heap buffer, then reads
 * records from it; "map" maps the file, then reads records through the
 * mapping, so only the pages touched are read. One pass is four phases:
 * load (the read, or the mmap), first (record 1), percent (up to 1% of the
 * records) and rest (up to all of them); the time to k records is the sum of
 * the phases up to k's. Every record read is folded into a checksum that
 * verify() compares with the fold of mb_content_byte over the same records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/suite.h"

enum method { M_HEAP, M_MAP, NMETHODS };
static const char *const method_names[NMETHODS] = {"heap", "map"};
enum order { O_SEQUENTIAL, O_RANDOM, NORDERS };
static const char *const order_names[NORDERS] = {"sequential", "random"};
/* The checkpoints of a pass: after the first record, 1% and all of them. */
enum { K_FIRST, K_PERCENT, K_ALL, NK };

/* One scratch file per size, shared by its cases: made by the first case's
 * setup, removed by the last case's teardown; the expected checksums per
 * order are computed once, on first use. */
struct lazy_file {
    const char *dir;
    uint64_t size;
    size_t record, nrec;
    size_t upto[NK];                /* records read by each checkpoint */
    uint64_t mul;                   /* random order: record j is (mul * j + 1) mod nrec */
    char *path;
    unsigned users;
    bool have[NORDERS];
    uint64_t expect[NORDERS][NK];
};

struct lazy_case {
    enum method m;
    enum order o;
    struct lazy_file *file;
    struct mb_region r;             /* the heap copy, or the mapping */
    uint64_t got[NK];
};

/* ---- records ------------------------------------------------------------ */

/* The index of the j-th record read in order o. */
static inline size_t rec_index(const struct lazy_file *lf, enum order o, size_t j)
{
    if (o == O_SEQUENTIAL)
        return j;
    return (size_t)(((uint64_t)j * lf->mul + 1) % lf->nrec);
}

/* Folds one record into h: 8 bytes per step (a rotate and an xor), then a
 * multiply per record, so a wrong byte or a record out of place changes
 * the result and the fold costs far less than the memory it reads. */
static inline uint64_t fold_record(uint64_t h, const uint8_t *p, size_t n)
{
    uint64_t x = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        x = ((x << 7) | (x >> 57)) ^ w;
    }
    for (; i < n; i++)
        x = ((x << 7) | (x >> 57)) ^ p[i];
    return (h ^ x) * 0x100000001b3ull;
}

/* Reads records [from, to) of order o out of `base` into the checksum h. */
static uint64_t read_records(const struct lazy_file *lf, enum order o, const uint8_t *base,
                             size_t from, size_t to, uint64_t h)
{
    size_t rec = lf->record;
    for (size_t j = from; j < to; j++)
        h = fold_record(h, base + rec_index(lf, o, j) * rec, rec);
    return h;
}

/* The checksums a correct pass of order o must reach, from the content
 * function alone (never from the file). */
static int compute_expected(struct lazy_file *lf, enum order o)
{
    uint8_t *buf = malloc(lf->record);
    if (!buf)
        return mb_fail(MB_ENOMEM, "out of memory");
    uint64_t h = MB_CHECKSUM_INIT;
    size_t j = 0;
    for (int k = 0; k < NK; k++) {
        for (; j < lf->upto[k]; j++) {
            mb_content_fill(buf, (uint64_t)rec_index(lf, o, j) * lf->record, lf->record);
            h = fold_record(h, buf, lf->record);
        }
        lf->expect[o][k] = h;
    }
    free(buf);
    lf->have[o] = true;
    return 0;
}

/* ---- hooks --------------------------------------------------------------- */

/* Drops one case's use of the file; the last one removes it. */
static void file_put(struct lazy_file *lf)
{
    if (!lf->users || --lf->users)
        return;
    if (lf->path) {
        mb_scratch_remove(lf->path);
        free(lf->path);
        lf->path = NULL;
    }
}

static int lz_setup(struct mb_case *c)
{
    struct lazy_case *z = c->data;
    struct lazy_file *lf = z->file;
    int rc = lf->users ? 0 : mb_scratch_create(lf->dir, "lazy", lf->size, mb_content_fill,
                                               &lf->path);
    if (rc)
        return rc;
    lf->users++;
    c->cache_path = lf->path;
    rc = lf->have[z->o] ? 0 : compute_expected(lf, z->o);
    if (rc)
        file_put(lf); /* the runner calls teardown only after a setup that succeeded */
    return rc;
}

/* The timed work: load (read all, or map), then the records up to each
 * checkpoint, one phase each. */
static int lz_pass(struct mb_case *c, struct mb_pass *p)
{
    struct lazy_case *z = c->data;
    const struct lazy_file *lf = z->file;
    const uint8_t *base;
    int rc;
    /* The heap copy is fresh anonymous memory, as malloc gives a large
     * buffer to a program that just started: every repetition pays its page
     * faults, which a reused malloc arena would hide. */
    if (z->m == M_HEAP) {
        rc = mb_region_map(&z->r, MB_REGION_ANON_PRIVATE, NULL, (size_t)lf->size, 0);
        rc = rc ? rc : mb_file_read_into(lf->path, z->r.base, (size_t)lf->size);
    } else {
        rc = mb_region_map_readonly(&z->r, lf->path, (size_t)lf->size);
        if (!rc)
            mb_guard_watch(z->r.base, z->r.len);
    }
    if (rc)
        return rc;
    base = z->r.base;
    uint64_t h = MB_CHECKSUM_INIT;
    size_t from = 0;
    for (int k = 0; k < NK; k++) {
        mb_phase_next(p);
        h = read_records(lf, z->o, base, from, lf->upto[k], h);
        z->got[k] = h;
        from = lf->upto[k];
    }
    return 0;
}

static int lz_verify(struct mb_case *c, struct mb_pass *p)
{
    struct lazy_case *z = c->data;
    static const char *const what[NK] = {"the first record", "1% of the records",
                                         "all the records"};
    (void)p; /* phased: one pass per repetition */
    for (int k = 0; k < NK; k++)
        if (z->got[k] != z->file->expect[z->o][k])
            return mb_fail(MB_EVERIFY, "%s, %s order: the checksum of %s is %016llx, "
                           "the content function gives %016llx", method_names[z->m],
                           order_names[z->o], what[k], (unsigned long long)z->got[k],
                           (unsigned long long)z->file->expect[z->o][k]);
    return 0;
}

static void lz_release(struct mb_case *c)
{
    struct lazy_case *z = c->data;
    if (z->m == M_MAP && z->r.base)
        mb_guard_watch(NULL, 0);
    mb_region_unmap(&z->r);
    memset(z->got, 0, sizeof z->got);
}

static void lz_teardown(struct mb_case *c)
{
    file_put(((struct lazy_case *)c->data)->file);
}

static const struct mb_case_ops lazy_ops = {
    .setup = lz_setup,
    .pass = lz_pass,
    .verify = lz_verify,
    .release = lz_release,
    .teardown = lz_teardown,
};

/* ---- building the cases --------------------------------------------------- */

#define MIN_SIZE (64ull << 10)
#define MAX_SIZE (64ull << 30)

static int check_size(const char *item, char *valid, size_t vlen)
{
    return mb_size_item_check(item, MIN_SIZE, MAX_SIZE, 1,
                              "sizes from 64KiB to 64GiB, e.g. 1MiB,16MiB,1GiB", valid, vlen);
}

static const struct mb_opt lazy_opts[] = {
    {"sizes", MB_OPT_LIST, "1MiB,16MiB,128MiB",
     "file sizes (--quick: 1MiB,8MiB unless given; up to 1GiB and beyond by hand)", NULL, 0, 0,
     check_size},
    {"record", MB_OPT_SIZE, "64", "bytes per record", NULL, 8, 1ull << 20, NULL},
    {"orders", MB_OPT_LIST, "sequential,random",
     "order the records are read in: sequential from the start, or random (a full permutation "
     "j -> (a*j + 1) mod n)", "sequential|random", 0, 0, NULL},
    {"methods", MB_OPT_LIST, "heap,map", "read the whole file into the heap, or map it",
     "heap|map", 0, 0, NULL},
    {"caches", MB_OPT_LIST, "cold,warm", "page-cache states of the file before each pass",
     "cold|warm", 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Fills in a file of `size` bytes: its records, checkpoints and the
 * multiplier of the random order (near n / golden ratio, coprime with n, so
 * that consecutive reads land far apart and every record is read once). */
static int file_init(struct lazy_file *lf, const char *dir, uint64_t size, size_t record)
{
    if ((uint64_t)(size_t)size != size)
        return mb_fail(MB_EUSAGE, "a %llu-byte file does not fit this address space",
                       (unsigned long long)size);
    if (size < record)
        return mb_fail(MB_EUSAGE, "--record %zu is larger than the %llu-byte file", record,
                       (unsigned long long)size);
    lf->dir = dir;
    lf->size = size;
    lf->record = record;
    lf->nrec = (size_t)(size / record);
    lf->upto[K_FIRST] = 1;
    lf->upto[K_PERCENT] = lf->nrec / 100 > 1 ? lf->nrec / 100 : 1;
    lf->upto[K_ALL] = lf->nrec;
    uint64_t a = (uint64_t)((double)lf->nrec * 0.6180339887) | 1u;
    while (lf->nrec > 1 && gcd64(a, lf->nrec) != 1)
        a += 2;
    lf->mul = lf->nrec > 1 ? a % lf->nrec : 0;
    return 0;
}

static int add_params(struct mb_case *c, const struct lazy_file *lf, enum method m,
                      enum order o)
{
    char num[48];
    int rc = mb_case_param(c, "method", method_names[m], true);
    snprintf(num, sizeof num, "%llu", (unsigned long long)lf->size);
    rc = rc ? rc : mb_case_param(c, "size_bytes", num, true);
    rc = rc ? rc : mb_case_param(c, "order", order_names[o], true);
    snprintf(num, sizeof num, "%zu", lf->record);
    rc = rc ? rc : mb_case_param(c, "record_bytes", num, false);
    snprintf(num, sizeof num, "%zu", lf->upto[K_PERCENT]);
    rc = rc ? rc : mb_case_param(c, "records_percent", num, false);
    static const char *const phases[] = {"load", "first", "percent", "rest"};
    for (size_t i = 0; !rc && i < sizeof phases / sizeof phases[0]; i++)
        rc = mb_case_phase(c, phases[i]);
    return rc ? rc : mb_case_work(c, (double)lf->nrec * (double)lf->record, (double)lf->nrec,
                                  "record");
}

static int add_case(struct mb_plan *plan, struct lazy_file *lf, enum method m, enum order o,
                    enum mb_cache cache)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct lazy_case *z = mb_plan_alloc(plan, sizeof *z);
    if (!c || !z)
        return mb_fail(MB_ENOMEM, "out of memory");
    z->m = m;
    z->o = o;
    z->file = lf;
    mb_case_init(c, "lazy", &lazy_ops, z);
    c->single_pass = true;
    int rc = add_params(c, lf, m, o);
    return rc ? rc : mb_case_cache(c, cache, NULL);
}

/* The cases of one file size: every method, order and cache state. */
static int add_size(struct mb_plan *plan, const struct mb_options *o, uint64_t size)
{
    const char *methods = mb_opt_str(o, "methods"), *orders = mb_opt_str(o, "orders");
    const char *caches = mb_opt_str(o, "caches");
    struct lazy_file *lf = mb_plan_alloc(plan, sizeof *lf);
    if (!lf)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = file_init(lf, mb_opt_str(o, "dir"), size, (size_t)mb_opt_num(o, "record"));
    for (int od = 0; !rc && od < NORDERS; od++)
        for (int m = 0; !rc && m < NMETHODS; m++)
            for (int ca = 0; !rc && ca < 2; ca++) {
                enum mb_cache cache = ca ? MB_CACHE_WARM : MB_CACHE_COLD;
                if (mb_list_has(orders, order_names[od]) && mb_list_has(methods, method_names[m])
                    && mb_list_has(caches, mb_cache_name(cache)))
                    rc = add_case(plan, lf, (enum method)m, (enum order)od, cache);
            }
    return rc;
}

static int lazy_build(const struct mb_options *o, struct mb_plan *plan)
{
    const char *sizes = mb_opt_given(o, "sizes") || !mb_opt_flag(o, "quick")
                            ? mb_opt_str(o, "sizes") : "1MiB,8MiB";
    uint64_t v[32];
    size_t n;
    int rc = mb_size_list("sizes", sizes, v, 32, &n);
    for (size_t i = 0; i < n && !rc; i++)
        rc = add_size(plan, o, v[i]);
    return rc;
}

static const char *lazy_supported(void)
{
    return mb_file_views_unsupported();
}

const struct mb_suite mb_suite_lazy = {
    .name = "lazy",
    .help = "time to the first record, 1% and all of them: read the whole file into the heap, "
            "or map it and read only what is touched",
    .claims = "C2",
    .opts = lazy_opts,
    .supported = lazy_supported,
    .build = lazy_build,
    .plot = "plot-lazy",
    .plot_outputs = (const char *const[]){"lazy.svg", "lazy.png", NULL},
};
