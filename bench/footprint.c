/* The `footprint` suite (claim C4): what memory a file costs once a program
 * has touched k of its n pages, held as a heap copy, a private mapping
 * (writable, or read-only) or a shared mapping. One pass is three phases:
 * load (read the file into fresh anonymous memory, or map it), touch (read
 * one byte of each of k pages) and measure (the file's pages in the page
 * cache and the commit charge, read after the touches so that the touch
 * phase times only the touches). The heap copy or the mapping stays alive
 * until release(), so the rss_*_bytes changes are what it holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/suite.h"

enum method { M_HEAP, M_PRIVATE, M_PRIVATE_RO, M_SHARED, NMETHODS };
static const char *const method_names[NMETHODS] = {"heap", "private", "private-ro", "shared"};
enum touch { T_ONE, T_TENTH, T_ALL, NTOUCH };
static const char *const touch_names[NTOUCH] = {"1-page", "10pct", "all"};
enum pattern { P_FIRST, P_SPREAD, NPATTERNS };
static const char *const pattern_names[NPATTERNS] = {"first", "spread"};

enum { X_CACHE_AFTER, X_COMMIT_BEFORE, X_COMMIT_AFTER, X_COMMIT_CHANGE };

/* The scratch file, shared by every case: made by the first case's setup,
 * removed by the last case's teardown. */
struct fp_file {
    const char *dir;
    uint64_t size;
    char *path;
    unsigned users;
};

struct fp_case {
    enum method m;
    enum pattern pat;
    struct fp_file *file;
    size_t page, npages, k;         /* touches k of the file's npages pages */
    struct mb_region r;
    uint64_t commit_before;
    uint64_t sum, expect_sum;       /* of (byte + 1) over the touched bytes */
};

/* ---- hooks --------------------------------------------------------------- */

/* The page the i-th touch reads: the first k pages, or k pages spread
 * evenly over the file. */
static inline size_t touched_page(const struct fp_case *f, size_t i)
{
    return f->pat == P_FIRST ? i : (size_t)((uint64_t)i * f->npages / f->k);
}

static int fp_setup(struct mb_case *c)
{
    struct fp_case *f = c->data;
    struct fp_file *ff = f->file;
    int rc = ff->users ? 0 : mb_scratch_create(ff->dir, "footprint", ff->size, mb_content_fill,
                                               &ff->path);
    if (rc)
        return rc;
    ff->users++;
    c->cache_path = ff->path;
    f->expect_sum = 0;
    for (size_t i = 0; i < f->k; i++)
        f->expect_sum += (uint64_t)mb_content_byte((uint64_t)touched_page(f, i) * f->page) + 1;
    return 0;
}

/* The commit charge before anything is loaded or mapped: the cache state
 * the runner sets after this changes the page cache, not the charge. */
static int fp_prepare(struct mb_case *c)
{
    struct fp_case *f = c->data;
    f->sum = 0;
    return mb_commit_charge(&f->commit_before);
}

static int fp_load(struct fp_case *f)
{
    const char *path = f->file->path;
    size_t len = (size_t)f->file->size;
    int rc;
    switch (f->m) {
    case M_HEAP:
        /* Fresh anonymous memory, as malloc gives a large buffer. */
        rc = mb_region_map(&f->r, MB_REGION_ANON_PRIVATE, NULL, len, 0);
        return rc ? rc : mb_file_read_into(path, f->r.base, len);
    case M_PRIVATE:
        rc = mb_region_map(&f->r, MB_REGION_FILE_PRIVATE, path, len, 0);
        break;
    case M_PRIVATE_RO:
        rc = mb_region_map_readonly(&f->r, path, len);
        break;
    default:
        rc = mb_region_map(&f->r, MB_REGION_FILE_SHARED, path, len, 0);
        break;
    }
    if (!rc)
        mb_guard_watch(f->r.base, f->r.len);
    return rc;
}

static int fp_pass(struct mb_case *c, struct mb_pass *p)
{
    struct fp_case *f = c->data;
    int rc = fp_load(f);
    if (rc)
        return rc;
    mb_phase_next(p);
    volatile const uint8_t *base = f->r.base;
    uint64_t sum = 0;
    for (size_t i = 0; i < f->k; i++)
        sum += (uint64_t)base[touched_page(f, i) * f->page] + 1;
    f->sum = sum;
    mb_phase_next(p);
    uint64_t res = 0, total = 0, commit = 0;
    rc = mb_cache_resident(f->file->path, &res, &total);
    rc = rc ? rc : mb_commit_charge(&commit);
    if (rc)
        return rc;
    p->metric[X_CACHE_AFTER] += (double)res;
    p->metric[X_COMMIT_BEFORE] += (double)f->commit_before;
    p->metric[X_COMMIT_AFTER] += (double)commit;
    p->metric[X_COMMIT_CHANGE] += (double)commit - (double)f->commit_before;
    return 0;
}

static int fp_verify(struct mb_case *c, struct mb_pass *p)
{
    struct fp_case *f = c->data;
    (void)p; /* phased: one pass per repetition */
    if (f->sum != f->expect_sum)
        return mb_fail(MB_EVERIFY, "%s: the %zu bytes touched sum to %llu, the content "
                       "function gives %llu", method_names[f->m], f->k,
                       (unsigned long long)f->sum, (unsigned long long)f->expect_sum);
    return 0;
}

static void fp_release(struct mb_case *c)
{
    struct fp_case *f = c->data;
    if (f->m != M_HEAP && f->r.base)
        mb_guard_watch(NULL, 0);
    mb_region_unmap(&f->r);
}

static void fp_teardown(struct mb_case *c)
{
    struct fp_file *ff = ((struct fp_case *)c->data)->file;
    if (!ff->users || --ff->users)
        return;
    if (ff->path) {
        mb_scratch_remove(ff->path);
        free(ff->path);
        ff->path = NULL;
    }
}

static const struct mb_case_ops footprint_ops = {
    .setup = fp_setup,
    .prepare = fp_prepare,
    .pass = fp_pass,
    .verify = fp_verify,
    .release = fp_release,
    .teardown = fp_teardown,
};

/* ---- building the cases --------------------------------------------------- */

static const struct mb_opt footprint_opts[] = {
    {"size", MB_OPT_SIZE, "128MiB", "bytes of the file (--quick: 16MiB unless given)", NULL,
     1ull << 20, 64ull << 30, NULL},
    {"methods", MB_OPT_LIST, "heap,private,private-ro,shared",
     "heap copy; MAP_PRIVATE writable; MAP_PRIVATE read-only; MAP_SHARED",
     "heap|private|private-ro|shared", 0, 0, NULL},
    {"touch", MB_OPT_LIST, "1-page,10pct,all", "pages touched: one, 10% or all of them",
     "1-page|10pct|all", 0, 0, NULL},
    {"pattern", MB_OPT_CHOICE, "first",
     "which pages are touched: the first k, or k spread evenly over the file",
     "first|spread", 0, 0, NULL},
    {"caches", MB_OPT_LIST, "cold,warm", "page-cache states of the file before each pass",
     "cold|warm", 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

static int add_params(struct mb_case *c, const struct fp_case *f, enum touch t)
{
    char num[48];
    int rc = mb_case_param(c, "method", method_names[f->m], true);
    rc = rc ? rc : mb_case_param(c, "touch", touch_names[t], true);
    rc = rc ? rc : mb_case_param(c, "pattern", pattern_names[f->pat], false);
    snprintf(num, sizeof num, "%llu", (unsigned long long)f->file->size);
    rc = rc ? rc : mb_case_param(c, "size_bytes", num, false);
    snprintf(num, sizeof num, "%zu", f->page);
    rc = rc ? rc : mb_case_param(c, "page_bytes", num, false);
    static const char *const phases[] = {"load", "touch", "measure"};
    for (size_t i = 0; !rc && i < sizeof phases / sizeof phases[0]; i++)
        rc = mb_case_phase(c, phases[i]);
    static const char *const metrics[] = {"cache_pages_after", "commit_before_bytes",
                                          "commit_after_bytes", "commit_change_bytes"};
    for (size_t i = 0; !rc && i < sizeof metrics / sizeof metrics[0]; i++)
        rc = mb_case_metric(c, metrics[i]);
    return rc ? rc : mb_case_work(c, (double)f->k * (double)f->page, (double)f->k, "page");
}

static int add_case(struct mb_plan *plan, struct fp_file *ff, enum method m, enum touch t,
                    enum pattern pat, enum mb_cache cache)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct fp_case *f = mb_plan_alloc(plan, sizeof *f);
    if (!c || !f)
        return mb_fail(MB_ENOMEM, "out of memory");
    f->m = m;
    f->pat = pat;
    f->file = ff;
    f->page = mb_page_size();
    f->npages = (size_t)(ff->size / f->page);
    f->k = t == T_ONE ? 1 : t == T_TENTH ? (f->npages + 9) / 10 : f->npages;
    mb_case_init(c, "footprint", &footprint_ops, f);
    c->single_pass = true;
    int rc = add_params(c, f, t);
    return rc ? rc : mb_case_cache(c, cache, NULL);
}

static int footprint_build(const struct mb_options *o, struct mb_plan *plan)
{
    bool quick = mb_opt_flag(o, "quick");
    uint64_t size = mb_opt_given(o, "size") || !quick ? mb_opt_num(o, "size") : 16ull << 20;
    if ((uint64_t)(size_t)size != size)
        return mb_fail(MB_EUSAGE, "--size does not fit this platform's address space");
    size -= size % mb_page_size();
    struct fp_file *ff = mb_plan_alloc(plan, sizeof *ff);
    if (!ff)
        return mb_fail(MB_ENOMEM, "out of memory");
    *ff = (struct fp_file){.dir = mb_opt_str(o, "dir"), .size = size};
    const char *methods = mb_opt_str(o, "methods"), *touch = mb_opt_str(o, "touch");
    const char *caches = mb_opt_str(o, "caches");
    enum pattern pat = strcmp(mb_opt_str(o, "pattern"), "spread") == 0 ? P_SPREAD : P_FIRST;
    int rc = 0;
    for (int ca = 0; !rc && ca < 2; ca++)
        for (int m = 0; !rc && m < NMETHODS; m++)
            for (int t = 0; !rc && t < NTOUCH; t++) {
                enum mb_cache cache = ca ? MB_CACHE_WARM : MB_CACHE_COLD;
                if (mb_list_has(methods, method_names[m]) && mb_list_has(touch, touch_names[t])
                    && mb_list_has(caches, mb_cache_name(cache)))
                    rc = add_case(plan, ff, (enum method)m, (enum touch)t, pat, cache);
            }
    return rc;
}

static const char *footprint_supported(void)
{
    const char *why = mb_file_views_unsupported();
    return why ? why : mb_commit_unsupported();
}

const struct mb_suite mb_suite_footprint = {
    .name = "footprint",
    .help = "RssAnon, RssFile, page cache and commit charge after touching k of n pages: "
            "heap copy, private and shared mappings",
    .claims = "C4",
    .opts = footprint_opts,
    .supported = footprint_supported,
    .build = footprint_build,
    .plot = "plot-footprint",
    .plot_outputs = (const char *const[]){"footprint.svg", "footprint.png", NULL},
};
