/* The `faults` suite (claims C2, C4, C7): what one page fault costs, by
 * kind. Every repetition maps a fresh region (prepare, untimed), touches one
 * byte of each of its pages (the pass, timed) and unmaps it (release), so
 * every pass is made of first-touch faults and nothing else. Each case
 * reports the faults the kernel counted next to the count the textbook
 * expects (work_items: the pages touched), the pages mapped per fault, and
 * the time per fault. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/suite.h"

/* Which scratch file a kind maps. The read-only content file is shared by
 * the cases that never change it; the small-folio file holds the same bytes
 * cached in base pages; the cold file is evicted before every repetition;
 * the written file changes every repetition. */
enum file_use { USE_ANON, USE_CONTENT, USE_SMALL, USE_COLD, USE_WRITTEN, NUSES };

struct kind {
    const char *name;
    const char *what;               /* one line for --help and README */
    enum mb_region_kind region;
    bool write;                     /* the touch writes (else it reads) */
    enum file_use file;
    int advice;                     /* an enum mb_region_advice, or -1 */
    bool huge;                      /* aligned to the huge page size (THP) */
};

static const struct kind kinds[] = {
    {"anon-read", "private anonymous memory, first read: the shared zero page",
     MB_REGION_ANON_PRIVATE, false, USE_ANON, MB_ADVISE_NOHUGEPAGE, false},
    {"anon-write", "private anonymous memory, first write: a zeroed page",
     MB_REGION_ANON_PRIVATE, true, USE_ANON, MB_ADVISE_NOHUGEPAGE, false},
    {"shared-anon-write", "shared anonymous memory (shmem), first write",
     MB_REGION_ANON_SHARED, true, USE_ANON, MB_ADVISE_NOHUGEPAGE, false},
    {"file-read", "file page in the page cache, not mapped: read, fault-around as configured",
     MB_REGION_FILE_PRIVATE, false, USE_CONTENT, -1, false},
    {"file-read-random", "the same under MADV_RANDOM (which does not turn fault-around off)",
     MB_REGION_FILE_PRIVATE, false, USE_CONTENT, MB_ADVISE_RANDOM, false},
    {"file-read-small-folios", "cached file page held in base-page folios: fault-around alone",
     MB_REGION_FILE_PRIVATE, false, USE_SMALL, -1, false},
    {"file-cold", "file page not cached, MADV_RANDOM (no readahead): one major fault per page",
     MB_REGION_FILE_PRIVATE, false, USE_COLD, MB_ADVISE_RANDOM, false},
    {"file-private-write", "cached file page, MAP_PRIVATE, first write: a copy-on-write copy",
     MB_REGION_FILE_PRIVATE, true, USE_CONTENT, -1, false},
    {"file-shared-write", "cached clean file page, MAP_SHARED, first write (page_mkwrite)",
     MB_REGION_FILE_SHARED, true, USE_WRITTEN, -1, false},
    {"thp-write", "private anonymous memory with MADV_HUGEPAGE, 2 MiB aligned: first write",
     MB_REGION_ANON_PRIVATE, true, USE_ANON, MB_ADVISE_HUGEPAGE, true},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* A scratch file shared by the cases that map it: made by the first case's
 * setup, removed by the last case's teardown. */
struct shared_file {
    const char *dir, *tag;
    uint64_t size;
    char *path;
    unsigned users;
};

/* What the runner hands back to every hook of one case. */
struct fault_case {
    const struct kind *k;
    struct shared_file *file;       /* NULL for anonymous kinds */
    size_t len, page, align;
    const char *unsupported;        /* set at build: why this case cannot run */
    struct mb_region r;
    uint8_t token;                  /* what writes store, changed every repetition */
    uint64_t sum, expect_sum;       /* what the read touches saw / must see */
    uint64_t faults;                /* what the pass saw */
};

enum { M_FAULTS_PER_PAGE, M_PAGES_PER_FAULT, M_NS_PER_FAULT };

/* ---- hooks --------------------------------------------------------------- */

/* Caches the file at `path` in base-page (4 KiB) folios: evicted, then read
 * back one page per fault through a mapping with readahead off. Written or
 * read with readahead, the page cache holds large folios (ext4 since Linux
 * 6.16), and a read fault then maps a whole folio, not fault-around's
 * window: this file shows fault-around on its own. */
static int cache_in_base_pages(const char *path, uint64_t size)
{
    struct mb_region r;
    int rc = mb_cache_evict(path);
    if (!rc)
        rc = mb_region_map(&r, MB_REGION_FILE_PRIVATE, path, (size_t)size, 0);
    if (rc)
        return rc;
    rc = mb_region_advise(&r, MB_ADVISE_RANDOM);
    size_t page = mb_page_size();
    volatile const uint8_t *p = r.base;
    uint8_t acc = 0;
    for (size_t off = 0; !rc && off < r.len; off += page)
        acc ^= p[off];
    mb_region_unmap(&r);
    (void)acc;
    return rc;
}

static int fc_setup(struct mb_case *c)
{
    struct fault_case *f = c->data;
    if (f->unsupported)
        return mb_fail(MB_EUNSUPPORTED, "%s", f->unsupported);
    size_t pages = f->len / f->page;
    f->expect_sum = 0;
    if (!f->k->write && !f->file)
        f->expect_sum = pages; /* the zero page: every byte is 0, plus 1 */
    else if (!f->k->write)
        for (size_t i = 0; i < pages; i++)
            f->expect_sum += (uint64_t)mb_content_byte((uint64_t)i * f->page) + 1;
    struct shared_file *sf = f->file;
    if (!sf)
        return 0;
    int rc = sf->users ? 0 : mb_scratch_create(sf->dir, sf->tag, sf->size, mb_content_fill,
                                               &sf->path);
    if (!rc && !sf->users && f->k->file == USE_SMALL)
        rc = cache_in_base_pages(sf->path, sf->size);
    if (rc)
        return rc;
    sf->users++;
    /* The runner sets and checks the cache state on the file, which exists
     * from now on. */
    c->cache_path = sf->path;
    return 0;
}

static int fc_prepare(struct mb_case *c)
{
    struct fault_case *f = c->data;
    const struct kind *k = f->k;
    int rc = mb_region_map(&f->r, k->region, f->file ? f->file->path : NULL, f->len, f->align);
    if (!rc && k->advice >= 0)
        rc = mb_region_advise(&f->r, (enum mb_region_advice)k->advice);
    if (!rc && f->file)
        mb_guard_watch(f->r.base, f->r.len); /* a bus error names the file offset */
    f->token++;
    f->sum = 0;
    f->faults = 0;
    return rc;
}

/* The timed work: one byte per page, in address order. The pass reads the
 * fault counters itself (one getrusage on each side, well under 0.1% of a
 * pass of thousands of faults) so that each sample carries its own faults
 * per page. */
static int fc_pass(struct mb_case *c, struct mb_pass *p)
{
    struct fault_case *f = c->data;
    volatile uint8_t *base = f->r.base;
    size_t page = f->page, pages = f->len / page;
    uint64_t mi0 = 0, ma0 = 0, mi1 = 0, ma1 = 0, sum = 0;
    int rc = mb_fault_counts(&mi0, &ma0);
    uint64_t t0 = mb_now_ns();
    if (f->k->write) {
        uint8_t token = f->token;
        for (size_t i = 0; i < pages; i++)
            base[i * page] = (uint8_t)(token + i);
    } else {
        for (size_t i = 0; i < pages; i++)
            sum += (uint64_t)base[i * page] + 1;
    }
    uint64_t t1 = mb_now_ns();
    if (!rc)
        rc = mb_fault_counts(&mi1, &ma1);
    if (rc)
        return rc;
    f->sum = sum;
    f->faults = (mi1 - mi0) + (ma1 - ma0);
    double faults = (double)f->faults;
    p->metric[M_FAULTS_PER_PAGE] += faults / (double)pages;
    p->metric[M_PAGES_PER_FAULT] += faults > 0 ? (double)pages / faults : 0.0;
    p->metric[M_NS_PER_FAULT] += faults > 0 ? (double)(t1 - t0) / faults : 0.0;
    return 0;
}

/* Byte `off` of the scratch file as read(2) sees it, into *out. */
static int file_byte(FILE *fp, const char *path, uint64_t off, int *out)
{
    if (fseek(fp, (long)off, SEEK_SET) != 0 || (*out = fgetc(fp)) == EOF)
        return mb_fail(MB_EENV, "reading %s at offset %llu failed", path,
                       (unsigned long long)off);
    return 0;
}

/* After a write pass: every touched byte reads back as written through the
 * mapping, and through read(2) the file shows the writes (MAP_SHARED) or
 * its own content, untouched (MAP_PRIVATE: the copies were private). */
static int verify_writes(const struct fault_case *f)
{
    size_t page = f->page, pages = f->len / page;
    for (size_t i = 0; i < pages; i++)
        if (f->r.base[i * page] != (uint8_t)(f->token + i))
            return mb_fail(MB_EVERIFY, "%s: page %zu reads back %u, %u was written", f->k->name,
                           i, f->r.base[i * page], (uint8_t)(f->token + i));
    if (!f->file)
        return 0;
    FILE *fp = fopen(f->file->path, "rb");
    if (!fp)
        return mb_fail(MB_EENV, "cannot open %s to check it", f->file->path);
    bool shared = f->k->region == MB_REGION_FILE_SHARED;
    int rc = 0, got = 0;
    for (size_t i = 0; i < pages && !rc; i++) {
        uint64_t off = (uint64_t)i * page;
        int want = shared ? (uint8_t)(f->token + i) : mb_content_byte(off);
        if ((rc = file_byte(fp, f->file->path, off, &got)) == 0 && got != want)
            rc = mb_fail(MB_EVERIFY, "%s: the file holds %d at offset %llu, expected %d (%s)",
                         f->k->name, got, (unsigned long long)off, want,
                         shared ? "a shared write must reach the file"
                                : "a private write must never reach the file");
    }
    fclose(fp);
    return rc;
}

static int fc_verify(struct mb_case *c, struct mb_pass *p)
{
    struct fault_case *f = c->data;
    (void)p; /* single pass: one slot */
    if (f->faults == 0)
        return mb_fail(MB_EVERIFY, "%s: the pass saw no page fault, so it timed nothing",
                       f->k->name);
    if (f->k->write)
        return verify_writes(f);
    if (f->sum != f->expect_sum)
        return mb_fail(MB_EVERIFY, "%s: the bytes read sum to %llu, expected %llu", f->k->name,
                       (unsigned long long)f->sum, (unsigned long long)f->expect_sum);
    return 0;
}

static void fc_release(struct mb_case *c)
{
    struct fault_case *f = c->data;
    /* Written back so that the next repetition's writes find clean pages
     * again, as the first write to a file page does. */
    if (f->k->region == MB_REGION_FILE_SHARED && f->r.base)
        (void)mb_region_sync(&f->r);
    if (f->file)
        mb_guard_watch(NULL, 0);
    mb_region_unmap(&f->r);
}

static void fc_teardown(struct mb_case *c)
{
    struct fault_case *f = c->data;
    struct shared_file *sf = f->file;
    if (!sf || !sf->users || --sf->users)
        return;
    if (sf->path) {
        mb_scratch_remove(sf->path);
        free(sf->path);
        sf->path = NULL;
    }
}

static const struct mb_case_ops fault_ops = {
    .setup = fc_setup,
    .prepare = fc_prepare,
    .pass = fc_pass,
    .verify = fc_verify,
    .release = fc_release,
    .teardown = fc_teardown,
};

/* ---- building the cases --------------------------------------------------- */

static const struct mb_opt faults_opts[] = {
    {"size", MB_OPT_SIZE, "64MiB",
     "bytes of each region faulted in per repetition (--quick: 16MiB unless given)", NULL,
     4ull << 20, 4ull << 30, NULL},
    {"io-size", MB_OPT_SIZE, "8MiB",
     "region of the cases that do I/O every repetition: file-cold reads it from the device, "
     "file-shared-write writes it back (--quick: 2MiB unless given)",
     NULL, 64ull << 10, 4ull << 30, NULL},
    {"kinds", MB_OPT_LIST, NULL, "kinds of fault to time (default: all)",
     "anon-read|anon-write|shared-anon-write|file-read|file-read-random|"
     "file-read-small-folios|file-cold|"
     "file-private-write|file-shared-write|thp-write",
     0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

/* What the kernel is set to, probed once per run. */
struct probe {
    char thp[32];
    size_t huge;
    const char *thp_why;            /* why THP cases cannot run, or NULL */
    uint64_t fab;                   /* fault_around_bytes; 0 unreadable */
};

static void probe_kernel(struct probe *pr, struct mb_plan *plan)
{
    memset(pr, 0, sizeof *pr);
    char why[300] = "";
    if (mb_thp_mode(pr->thp, sizeof pr->thp, &pr->huge) != 0)
        snprintf(why, sizeof why, "%s", mb_last_error());
    else if (strcmp(pr->thp, "never") == 0)
        snprintf(why, sizeof why, "transparent huge pages are 'never' here "
                                  "(/sys/kernel/mm/transparent_hugepage/enabled)");
    if (why[0]) {
        char *keep = mb_plan_alloc(plan, strlen(why) + 1);
        pr->thp_why = keep ? strcpy(keep, why) : "transparent huge pages unavailable";
    }
    if (mb_fault_around_bytes(&pr->fab) != 0)
        pr->fab = 0;
    mb_clear_error();
}

/* A read of cached file pages: where fault-around applies. */
static bool is_cached_read(const struct kind *k)
{
    return (k->file == USE_CONTENT || k->file == USE_SMALL) && !k->write;
}

/* The fault count per page the textbook model expects for kind k. */
static double expected_per_page(const struct kind *k, const struct probe *pr, size_t page)
{
    if (k->huge)
        return pr->huge ? (double)page / (double)pr->huge : 1.0;
    if (is_cached_read(k))
        return (double)page / (double)(pr->fab ? pr->fab : 65536); /* the kernel's default */
    return 1.0;
}

static int add_params(struct mb_case *c, const struct kind *k, const struct probe *pr,
                      size_t len, size_t page)
{
    char num[48];
    int rc = mb_case_param(c, "kind", k->name, true);
    snprintf(num, sizeof num, "%zu", len);
    rc = rc ? rc : mb_case_param(c, "size_bytes", num, false);
    snprintf(num, sizeof num, "%.6g", expected_per_page(k, pr, page));
    rc = rc ? rc : mb_case_param(c, "expected_faults_per_page", num, false);
    if (pr->fab)
        snprintf(num, sizeof num, "%llu", (unsigned long long)pr->fab);
    else
        snprintf(num, sizeof num, "unreadable");
    if (is_cached_read(k))
        rc = rc ? rc : mb_case_param(c, "fault_around_bytes", num, false);
    if (k->huge)
        rc = rc ? rc : mb_case_param(c, "thp", pr->thp[0] ? pr->thp : "unavailable", false);
    rc = rc ? rc : mb_case_metric(c, "faults_per_page");
    rc = rc ? rc : mb_case_metric(c, "pages_per_fault");
    rc = rc ? rc : mb_case_metric(c, "ns_per_fault");
    return rc ? rc : mb_case_work(c, (double)len, (double)(len / page), "page");
}

static int add_case(struct mb_plan *plan, const struct kind *k, struct shared_file *files,
                    const struct probe *pr, uint64_t size, uint64_t io_size)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct fault_case *f = mb_plan_alloc(plan, sizeof *f);
    if (!c || !f)
        return mb_fail(MB_ENOMEM, "out of memory");
    size_t page = mb_page_size();
    f->k = k;
    f->page = page;
    f->len = (size_t)(k->file == USE_COLD || k->file == USE_WRITTEN ? io_size : size);
    f->len -= f->len % (k->huge && pr->huge ? pr->huge : page);
    f->align = k->huge ? pr->huge : 0;
    f->unsupported = k->huge ? pr->thp_why : NULL;
    f->file = k->file == USE_ANON ? NULL : &files[k->file];
    mb_case_init(c, "faults", &fault_ops, f);
    c->single_pass = true; /* a pass needs fresh memory: one per repetition */
    int rc = add_params(c, k, pr, f->len, page);
    if (rc || !f->file)
        return rc;
    return mb_case_cache(c, k->file == USE_COLD ? MB_CACHE_COLD : MB_CACHE_WARM, NULL);
}

static int faults_build(const struct mb_options *o, struct mb_plan *plan)
{
    bool quick = mb_opt_flag(o, "quick");
    uint64_t size = mb_opt_given(o, "size") || !quick ? mb_opt_num(o, "size") : 16ull << 20;
    uint64_t io = mb_opt_given(o, "io-size") || !quick ? mb_opt_num(o, "io-size") : 2ull << 20;
    const char *only = mb_opt_str(o, "kinds"), *dir = mb_opt_str(o, "dir");
    if ((uint64_t)(size_t)size != size || (uint64_t)(size_t)io != io)
        return mb_fail(MB_EUSAGE, "--size / --io-size do not fit this platform's address space");
    struct shared_file *files = mb_plan_alloc(plan, NUSES * sizeof *files);
    if (!files)
        return mb_fail(MB_ENOMEM, "out of memory");
    files[USE_CONTENT] = (struct shared_file){.dir = dir, .tag = "faults", .size = size};
    files[USE_SMALL] = (struct shared_file){.dir = dir, .tag = "faults-small", .size = size};
    files[USE_COLD] = (struct shared_file){.dir = dir, .tag = "faults-cold", .size = io};
    files[USE_WRITTEN] = (struct shared_file){.dir = dir, .tag = "faults-written", .size = io};
    struct probe pr;
    probe_kernel(&pr, plan);
    for (size_t i = 0; i < NKINDS; i++) {
        if (only && !mb_list_has(only, kinds[i].name))
            continue;
        int rc = add_case(plan, &kinds[i], files, &pr, size, io);
        if (rc)
            return rc;
    }
    return 0;
}

static const char *faults_supported(void)
{
    return mb_region_unsupported();
}

const struct mb_suite mb_suite_faults = {
    .name = "faults",
    .help = "nanoseconds per page fault by kind: anonymous, shared, file cached/cold, "
            "copy-on-write, shared write, THP",
    .claims = "C2 C4 C7",
    .opts = faults_opts,
    .supported = faults_supported,
    .build = faults_build,
    .plot = "plot-faults",
    .plot_outputs = (const char *const[]){"faults.svg", "faults.png", NULL},
};
