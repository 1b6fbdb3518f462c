/* The `sweep` suite (claims C5 at scale, C2): reading one file per size,
 * sequentially or in a seeded random order of blocks, by every method a
 * program has (read, pread, fread, O_DIRECT pread, mmap with each madvise
 * hint, MAP_POPULATE, a mapping kept across passes, io_uring), either
 * copying blocks out (`copy`, as fio's mmap engine does) or touching one
 * byte per page (`touch`, as CIDR'22's mmapbench does), cold and warm;
 * next to two floors measured in the same run: the same copy or touch of a
 * heap buffer larger than the last-level cache, and sequential O_DIRECT
 * reads of 1 MiB from the device. Every byte is checked against
 * mb_content_byte inside the pass, so that none is reported unread: a copy
 * delivers blocks (by the read call, io_uring, or memcpy out of the mapping
 * or the floor's buffer) into a ring of buffers, and each time the ring
 * fills its 4 KiB chunks' sums are checked with the pass's clock held, so
 * that the clock times the delivery, as fio and a program's own loop do; a
 * touch compares the byte it reads, which is all the work there is. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/suite.h"

#define CHUNK 4096u             /* the unit a copy is checked in */
#define RING_BYTES (64u << 10)  /* a copy's buffers: checked each time they fill */
#define NSLOTS 64               /* passes a warm batch runs before verify() */
#define DEVICE_BLOCK (1u << 20) /* the device floor's request size */

enum family { F_IO, F_MAP, F_KEPT, F_URING, F_MEMORY, F_DEVICE };

struct method {
    const char *name;
    const char *what;           /* one line for --help and README */
    enum family family;
    int how;                    /* enum mb_io_kind (F_IO), enum mb_map_hint (F_MAP), depth (F_URING) */
    bool touch;                 /* offers the touch unit (a read call cannot touch) */
    bool direct;                /* F_URING: O_DIRECT */
};

static const struct method methods[] = {
    {"read", "read(2) of --block bytes into one buffer (lseek first when out of order)", F_IO,
     MB_IO_READ, false, false},
    {"pread", "pread(2) of --block bytes into one buffer", F_IO, MB_IO_PREAD, false, false},
    {"fread", "stdio fread of --block bytes (fseek when out of order), default buffering", F_IO,
     MB_IO_FREAD, false, false},
    {"pread-direct",
     "pread(2) on an O_DIRECT descriptor into a page-aligned buffer (cold only: it reads the "
     "device whatever is cached)",
     F_IO,
     MB_IO_DIRECT, false, false},
    {"mmap", "mmap, no advice", F_MAP, MB_MAP_NORMAL, true, false},
    {"mmap-sequential", "mmap + madvise(MADV_SEQUENTIAL)", F_MAP, MB_MAP_SEQUENTIAL, true, false},
    {"mmap-random", "mmap + madvise(MADV_RANDOM): no readahead", F_MAP, MB_MAP_RANDOM, true, false},
    {"mmap-willneed", "mmap + madvise(MADV_WILLNEED) over the whole file", F_MAP, MB_MAP_WILLNEED,
     true, false},
    {"mmap-populate", "mmap with MAP_POPULATE: every page mapped inside the mmap call", F_MAP,
     MB_MAP_POPULATE, true, false},
    {"mmap-kept",
     "mmap once in setup, kept across passes (fio's mmap engine): a pass only copies or "
     "touches, so only the case's first pass faults (warm only)",
     F_KEPT, MB_MAP_NORMAL, true, false},
    {"uring-qd1", "io_uring reads of --block bytes (liburing), queue depth 1", F_URING, 1, false, false},
    {"uring-qd32", "io_uring reads of --block bytes, up to 32 in flight", F_URING, 32, false, false},
    {"uring-direct-qd1", "io_uring O_DIRECT reads, queue depth 1 (cold only)", F_URING, 1, false,
     true},
    {"uring-direct-qd32", "io_uring O_DIRECT reads, up to 32 in flight (cold only)", F_URING, 32,
     false, true},
    {"memory-floor", "the same copy or touch of a heap buffer larger than the last-level cache",
     F_MEMORY, 0, true, false},
    {"device-floor", "sequential O_DIRECT reads of 1 MiB, cold: what the device delivers",
     F_DEVICE, MB_IO_DIRECT, false, false},
};
#define NMETHODS (sizeof methods / sizeof methods[0])

/* A scratch file (or the floor's heap buffer) shared by the cases that
 * read it, with what each of its chunks must sum to and each page's first
 * byte: made by the first user's setup, freed by the last one's teardown. */
struct source {
    const char *dir;
    uint64_t size;
    bool heap;                  /* the memory floor's buffer, not a file */
    char *path;
    uint8_t *mem;               /* the heap buffer */
    uint64_t *sums;             /* per CHUNK: the sum of its 64-bit words */
    uint8_t *first;             /* per page: its first byte */
    unsigned users;
};

/* What one pass of a batch saw. */
struct slot {
    uint64_t bad;               /* chunks or pages that did not hold what they must */
    uint64_t first_bad;         /* file offset of the first of them */
    uint64_t units;             /* blocks or pages handled */
};

struct sweep_case {
    const struct method *m;
    struct source *src;
    size_t size, block, page, nunits;
    bool random, touch;
    uint64_t seed;
    const char *unsupported;    /* set at build: why this case cannot run */
    uint32_t *order;            /* the random order of units (blocks or pages) */
    uint8_t *buf;               /* the ring: nring blocks, page-aligned for O_DIRECT */
    size_t nring;
    struct mb_uring ring;       /* F_URING */
    struct mb_region kept;      /* F_KEPT: mapped in setup, unmapped in teardown */
    struct mb_region huge;      /* an O_DIRECT case's ring, where it is mapped on huge pages */
    struct slot *cur;           /* the slot the running pass fills */
    struct mb_pass *pass;       /* the running io_uring pass, whose clock a check holds */
    struct slot slots[NSLOTS];
};

enum { M_ACCESS_FAULTS_PER_PAGE };

/* ---- sources ---------------------------------------------------------- */

/* Sums of the 64-bit words of each CHUNK of content and first byte of
 * each page: what a pass must find, computed from mb_content_byte. */
static int source_expect(struct source *s, size_t page)
{
    size_t nchunks = (size_t)(s->size / CHUNK), npages = (size_t)(s->size / page);
    s->sums = malloc(nchunks * sizeof *s->sums);
    s->first = malloc(npages);
    if (!s->sums || !s->first)
        return mb_fail(MB_ENOMEM, "out of memory for the expected sums");
    uint64_t w[CHUNK / 8];
    for (size_t i = 0; i < nchunks; i++) {
        mb_content_fill((uint8_t *)w, (uint64_t)i * CHUNK, CHUNK);
        uint64_t sum = 0;
        for (size_t k = 0; k < CHUNK / 8; k++)
            sum += w[k];
        s->sums[i] = sum;
    }
    for (size_t i = 0; i < npages; i++)
        s->first[i] = mb_content_byte((uint64_t)i * page);
    return 0;
}

static int source_acquire(struct source *s, size_t page)
{
    if (s->users++)
        return 0;
    int rc = source_expect(s, page);
    if (!rc && s->heap) {
        if (!(s->mem = mb_aligned_alloc(page, (size_t)s->size)))
            return mb_fail(MB_ENOMEM, "out of memory for a %llu-byte floor buffer",
                           (unsigned long long)s->size);
        mb_content_fill(s->mem, 0, (size_t)s->size); /* writes every page: resident */
    } else if (!rc) {
        rc = mb_scratch_create(s->dir, "sweep", s->size, mb_content_fill, &s->path);
    }
    return rc;
}

static void source_release(struct source *s)
{
    if (!s->users || --s->users)
        return;
    if (s->path) {
        mb_scratch_remove(s->path);
        free(s->path);
    }
    mb_aligned_free(s->mem);
    free(s->sums);
    free(s->first);
    s->path = NULL, s->mem = NULL, s->sums = NULL, s->first = NULL;
}

/* ---- delivery and its check -------------------------------------------- */

/* The check sums the 64-bit words of each CHUNK in several independent
 * lanes, 16 bytes at a time where the compiler has vector types: with one
 * scalar sum, each add waits on the last. */
#if defined(__GNUC__)
typedef uint64_t lanes __attribute__((vector_size(16)));
#define LANE_SUM(v) ((v)[0] + (v)[1])
#else
typedef uint64_t lanes;
#define LANE_SUM(v) (v)
#endif
#define STEP (4 * sizeof(lanes)) /* bytes per loop step: four lanes */

/* The word sum of the CHUNK at src. */
static inline uint64_t chunk_sum(const uint8_t *src)
{
    lanes a = {0}, b = {0}, c = {0}, d = {0}, w[4];
    for (size_t k = 0; k < CHUNK; k += STEP) {
        memcpy(w, src + k, STEP);
        a += w[0], b += w[1], c += w[2], d += w[3];
    }
    a += b + c + d;
    return LANE_SUM(a);
}

/* File offset of unit i of the pass. */
static inline uint64_t unit_off(const struct sweep_case *s, size_t i, size_t unit)
{
    return (uint64_t)(s->order ? s->order[i] : i) * unit;
}

/* Bytes in the block at `off` (the file's last block may be short). */
static inline size_t block_len(const struct sweep_case *s, uint64_t off)
{
    return s->size - off < s->block ? (size_t)(s->size - off) : s->block;
}

/* Counts in sl the CHUNKs of the block delivered from offset `off` into
 * buf whose word sum differs from the content's, keeping the offset of the
 * first. */
static void check_block(const struct sweep_case *s, const uint8_t *buf, uint64_t off,
                        struct slot *sl)
{
    size_t len = block_len(s, off);
    for (size_t c = 0; c < len; c += CHUNK)
        if (chunk_sum(buf + c) != s->src->sums[(off + c) / CHUNK] && !sl->bad++)
            sl->first_bad = off + c;
}

/* Checks units first .. first + count - 1, which sit in the ring's
 * buffers (unit i in buffer i % nring), with the pass's clock held: what
 * a copy pass times is the delivery of the bytes, as fio and a program's
 * own read loop do, and every byte is still checked before its buffer is
 * used again. */
static void check_units(struct sweep_case *s, struct mb_pass *p, size_t first, size_t count)
{
    mb_pass_hold(p);
    for (size_t i = first; i < first + count; i++)
        check_block(s, s->buf + (i % s->nring) * s->block, unit_off(s, i, s->block), s->cur);
    mb_pass_resume(p);
}

/* After unit i was delivered: checks the units since *start when i filled
 * the ring or was the pass's last. */
static void delivered(struct sweep_case *s, struct mb_pass *p, size_t i, size_t *start)
{
    if ((i + 1) % s->nring == 0 || i + 1 == s->nunits) {
        check_units(s, p, *start, i + 1 - *start);
        *start = i + 1;
    }
}

/* Touches one byte per page of `base` in the case's order, comparing it
 * with the content's as it goes: the touch is the read and its check. */
static void touch_pages(const struct sweep_case *s, const uint8_t *base, struct slot *sl)
{
    const uint8_t *first = s->src->first;
    volatile const uint8_t *p = base;
    for (size_t i = 0; i < s->nunits; i++) {
        size_t pg = s->order ? s->order[i] : i;
        if (p[pg * s->page] != first[pg] && !sl->bad++)
            sl->first_bad = (uint64_t)pg * s->page;
    }
    sl->units += s->nunits;
}

/* Copies every block of `base` into the ring in the case's order with
 * memcpy, as fio's mmap engine does, checking each ring-full. */
static void copy_blocks(struct sweep_case *s, struct mb_pass *p, const uint8_t *base)
{
    size_t start = 0;
    for (size_t i = 0; i < s->nunits; i++) {
        uint64_t off = unit_off(s, i, s->block);
        memcpy(s->buf + (i % s->nring) * s->block, base + off, block_len(s, off));
        delivered(s, p, i, &start);
    }
    s->cur->units += s->nunits;
}

/* ---- hooks -------------------------------------------------------------- */

/* Reads every block into the ring by the case's read call, checking each
 * ring-full. */
static int pass_io(struct sweep_case *s, struct mb_pass *p)
{
    struct mb_file_io io;
    int rc = mb_file_io_open(&io, s->src->path, (enum mb_io_kind)s->m->how);
    size_t start = 0;
    for (size_t i = 0; !rc && i < s->nunits; i++) {
        uint64_t off = unit_off(s, i, s->block);
        rc = mb_file_io_read(&io, off, s->buf + (i % s->nring) * s->block, block_len(s, off));
        if (!rc)
            delivered(s, p, i, &start);
    }
    mb_file_io_close(&io);
    s->cur->units += s->nunits;
    return rc;
}

/* Copies or touches the mapping at `r`; the faults of this access loop
 * alone are counted (one getrusage on each side) so that MAP_POPULATE's,
 * taken inside mmap, and a kept mapping's, taken in its first pass only,
 * show apart. */
static int access_map(struct sweep_case *s, const struct mb_region *r, struct mb_pass *p)
{
    mb_guard_watch(r->base, r->len);
    uint64_t mi0 = 0, ma0 = 0, mi1 = 0, ma1 = 0;
    /* Where faults cannot be counted (Win32) the figure is unavailable. */
    bool counted = mb_fault_counts(&mi0, &ma0) == 0;
    if (s->touch)
        touch_pages(s, r->base, s->cur);
    else
        copy_blocks(s, p, r->base);
    counted = counted && mb_fault_counts(&mi1, &ma1) == 0;
    mb_guard_watch(NULL, 0);
    double faults = (double)((mi1 - mi0) + (ma1 - ma0));
    p->metric[M_ACCESS_FAULTS_PER_PAGE] += counted ? faults / (double)(s->size / s->page) : NAN;
    return 0;
}

/* Maps, accesses, unmaps: what a program that maps the file it opened pays. */
static int pass_map(struct sweep_case *s, struct mb_pass *p)
{
    struct mb_region r;
    int rc = mb_file_map(&r, s->src->path, s->size, (enum mb_map_hint)s->m->how);
    if (rc)
        return rc;
    rc = access_map(s, &r, p);
    mb_region_unmap(&r);
    return rc;
}

/* Checks what io_uring delivered into a half of the ring
 * (mb_uring_pass.check). */
static void uring_check(void *arg, size_t first, size_t count)
{
    struct sweep_case *s = arg;
    check_units(s, s->pass, first, count);
}

static int pass_uring(struct sweep_case *s, struct mb_pass *p)
{
    struct mb_uring_pass ps = {.path = s->src->path, .direct = s->m->direct,
                               .size = s->size, .block = s->block, .n = s->nunits,
                               .half = s->nring / 2, .order = s->order, .bufs = s->buf,
                               .check = uring_check, .arg = s};
    s->pass = p;
    int rc = mb_uring_read_file(&s->ring, &ps);
    s->cur->units += s->nunits;
    return rc;
}

static int sw_pass(struct mb_case *c, struct mb_pass *p)
{
    struct sweep_case *s = c->data;
    s->cur = &s->slots[p->slot];
    switch (s->m->family) {
    case F_IO:
    case F_DEVICE:
        return pass_io(s, p);
    case F_MAP:
        return pass_map(s, p);
    case F_KEPT:
        return access_map(s, &s->kept, p);
    case F_URING:
        return pass_uring(s, p);
    case F_MEMORY:
        if (s->touch)
            touch_pages(s, s->src->mem, s->cur);
        else
            copy_blocks(s, p, s->src->mem);
        return 0;
    }
    return mb_fail(MB_EUSAGE, "unknown method family");
}

/* The seeded permutation of the case's units (Fisher-Yates). */
static int make_order(struct sweep_case *s)
{
    if (!s->random || s->order)
        return 0;
    if (!(s->order = malloc(s->nunits * sizeof *s->order)))
        return mb_fail(MB_ENOMEM, "out of memory for the read order");
    for (size_t i = 0; i < s->nunits; i++)
        s->order[i] = (uint32_t)i;
    uint64_t st = s->seed;
    for (size_t i = s->nunits - 1; i > 0; i--) {
        size_t j = (size_t)(mb_rand_next(&st) % (i + 1));
        uint32_t t = s->order[i];
        s->order[i] = s->order[j];
        s->order[j] = t;
    }
    return 0;
}

static void sw_teardown(struct mb_case *c);

/* Whether the method reads around the page cache. */
static bool reads_direct(const struct method *m)
{
    return m->direct || ((m->family == F_IO || m->family == F_DEVICE) && m->how == MB_IO_DIRECT);
}

/* The ring of an O_DIRECT case, on transparent huge pages where the
 * platform has them: the device reads into the buffer itself, and a 1 MiB
 * request into 256 scattered 4 KiB pages needs more segments than a virtio
 * disk takes in one request (254 here), so the block layer would split it
 * in two and the case would time that, or not, as the allocator's luck
 * had it. Elsewhere, or without huge pages, page-aligned memory. */
static int alloc_direct_ring(struct sweep_case *s, size_t len)
{
    char mode[32];
    size_t huge = 0;
    if (!mb_region_unsupported() && mb_thp_mode(mode, sizeof mode, &huge) == 0 && huge &&
        mb_region_map(&s->huge, MB_REGION_ANON_PRIVATE, NULL, (len + huge - 1) / huge * huge,
                      huge) == 0) {
        mb_region_advise(&s->huge, MB_ADVISE_HUGEPAGE); /* best effort: base pages else */
        s->buf = s->huge.base;
        return 0;
    }
    s->buf = mb_aligned_alloc(s->page, len);
    return s->buf ? 0 : mb_fail(MB_ENOMEM, "out of memory for a %zu-byte ring", len);
}

/* Blocks in the ring a copy delivers into: RING_BYTES' worth (at least
 * one), so that a check's held clock is read once per many small blocks;
 * for io_uring, two halves of at least the queue depth each, so that one
 * fills while the other is checked. */
static size_t ring_blocks(const struct sweep_case *s)
{
    size_t n = s->block < RING_BYTES ? RING_BYTES / s->block : 1;
    if (s->m->family != F_URING)
        return n;
    size_t half = n > (size_t)s->m->how ? n : (size_t)s->m->how;
    return 2 * half;
}

/* The source (shared by the cases that read it), the buffer, the read
 * order, and what the method keeps open. On failure whatever was made is
 * undone (the runner calls no teardown after a failed setup). */
static int sw_setup(struct mb_case *c)
{
    struct sweep_case *s = c->data;
    if (s->unsupported)
        return mb_fail(MB_EUNSUPPORTED, "%s", s->unsupported);
    int rc = source_acquire(s->src, s->page);
    if (!rc && !s->src->heap)
        c->cache_path = s->src->path; /* the file exists from now on */
    s->nring = ring_blocks(s);
    if (!rc && reads_direct(s->m))
        rc = alloc_direct_ring(s, s->nring * s->block);
    else if (!rc && !(s->buf = mb_aligned_alloc(s->page, s->nring * s->block)))
        rc = mb_fail(MB_ENOMEM, "out of memory for %zu blocks of %zu bytes", s->nring, s->block);
    if (!rc)
        memset(s->buf, 0, s->nring * s->block);
    rc = rc ? rc : make_order(s);
    if (!rc && s->m->family == F_URING)
        rc = mb_uring_init(&s->ring, (unsigned)s->m->how);
    if (!rc && s->m->family == F_KEPT)
        rc = mb_file_map(&s->kept, s->src->path, s->size, (enum mb_map_hint)s->m->how);
    if (!rc && reads_direct(s->m)) {
        struct mb_file_io io; /* says here, once, when the filesystem refuses */
        rc = mb_file_io_open(&io, s->src->path, MB_IO_DIRECT);
        mb_file_io_close(&io);
        c->uncached = true; /* cold by construction where residency is unknown (Win32) */
    }
    if (rc)
        sw_teardown(c);
    return rc;
}

static int sw_prepare(struct mb_case *c)
{
    struct sweep_case *s = c->data;
    memset(s->slots, 0, sizeof s->slots);
    return 0;
}

static int sw_verify(struct mb_case *c, struct mb_pass *p)
{
    const size_t slot = p->slot;
    struct sweep_case *s = c->data;
    struct slot *sl = &s->slots[slot];
    int rc = 0;
    if (sl->units != s->nunits)
        rc = mb_fail(MB_EVERIFY, "%s: the pass handled %llu of %zu %s", c->name,
                     (unsigned long long)sl->units, s->nunits, s->touch ? "pages" : "blocks");
    else if (sl->bad)
        rc = mb_fail(MB_EVERIFY, "%s: %llu %s held the wrong bytes, the first at offset %llu",
                     c->name, (unsigned long long)sl->bad,
                     s->touch ? "touched pages" : "4 KiB chunks",
                     (unsigned long long)sl->first_bad);
    memset(sl, 0, sizeof *sl);
    return rc;
}

/* Safe on a case whose setup failed part way (a failed source_acquire
 * counted its user: the release undoes it), and twice. */
static void sw_teardown(struct mb_case *c)
{
    struct sweep_case *s = c->data;
    mb_uring_exit(&s->ring);
    if (s->kept.base)
        mb_region_unmap(&s->kept);
    if (s->huge.base)
        mb_region_unmap(&s->huge);
    else
        mb_aligned_free(s->buf);
    free(s->order);
    s->buf = NULL, s->order = NULL;
    if (!s->unsupported)
        source_release(s->src);
}

static const struct mb_case_ops sweep_ops = {
    .setup = sw_setup,
    .prepare = sw_prepare,
    .pass = sw_pass,
    .verify = sw_verify,
    .teardown = sw_teardown,
};

/* ---- options ------------------------------------------------------------ */

static int check_size_item(const char *item, char *valid, size_t vlen)
{
    uint64_t v = 0;
    if (mb_parse_size(item, &v) == 0 && v >= 4096 && v <= (1ull << 30) && v % 4096 == 0)
        return 0;
    snprintf(valid, vlen, "sizes such as 4K, 64KiB, 16M: multiples of 4 KiB, 4 KiB to 1 GiB");
    return MB_EUSAGE;
}

static int check_method(const char *item, char *valid, size_t vlen)
{
    size_t used = 0;
    for (size_t i = 0; i < NMETHODS; i++) {
        if (strcmp(item, methods[i].name) == 0)
            return 0;
        used += (size_t)snprintf(valid + used, used < vlen ? vlen - used : 0, "%s%s",
                                 i ? ", " : "", methods[i].name);
        if (used >= vlen)
            used = vlen - 1;
    }
    return MB_EUSAGE;
}

static const struct mb_opt sweep_opts[] = {
    {"sizes", MB_OPT_LIST, NULL,
     "file sizes (default: 4 KiB times powers of 16 up to --max-size, and --max-size)", NULL, 0,
     0, check_size_item},
    {"max-size", MB_OPT_SIZE, "256MiB",
     "largest default size, up to 1GiB (default 256MiB: well past a last-level cache, so the "
     "largest sizes are served from memory; --quick: 4MiB unless given)",
     NULL,
     4096, 1ull << 30, NULL},
    {"patterns", MB_OPT_LIST, "sequential,random",
     "orders: sequential, or a permutation of blocks (pages for touch) seeded by --seed",
     "sequential|random", 0, 0, NULL},
    {"units", MB_OPT_LIST, "copy,touch",
     "copy: blocks of --block bytes into one buffer; touch: one byte per page (mmap and the "
     "memory floor)",
     "copy|touch", 0, 0, NULL},
    {"block", MB_OPT_SIZE, "4KiB", "bytes per read or copy (a multiple of 4 KiB)", NULL, 4096,
     64ull << 20, NULL},
    {"methods", MB_OPT_LIST, NULL, "methods (default: all)", NULL, 0, 0, check_method},
    {"caches", MB_OPT_LIST, "cold,warm", "cache states", "cold|warm", 0, 0, NULL},
    {"cold-max-size", MB_OPT_SIZE, "16MiB",
     "largest size read cold in sequential order (--quick: 1MiB unless given)", NULL, 4096,
     1ull << 30, NULL},
    {"cold-random-max-size", MB_OPT_SIZE, "1MiB",
     "largest size read cold in random order: one device request per block (--quick: 256KiB)",
     NULL, 4096, 1ull << 30, NULL},
    {"floor-size", MB_OPT_SIZE, "64MiB",
     "heap buffer of the memory floor: larger than the last-level cache (--quick: 64MiB)",
     NULL, 1ull << 20, 4ull << 30, NULL},
    {"device-size", MB_OPT_SIZE, "32MiB",
     "file the device floor reads cold with O_DIRECT in 1 MiB requests (--quick: 4MiB)", NULL,
     1ull << 20, 4ull << 30, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

/* ---- building the cases ------------------------------------------------- */

struct cfg {
    uint64_t sizes[32];
    size_t nsizes;
    const char *patterns, *units, *methods, *caches, *dir;
    size_t block;
    uint64_t cold_max, cold_random_max, floor_size, device_size, seed;
    struct source *files;       /* one per size */
    /* One per size for the kept mappings, which keep their file's pages
     * mapped from setup to teardown, where no other case could evict them. */
    struct source *kept;
    struct source *heap;        /* the memory floor's */
    struct source *device;      /* the device floor's file */
};

/* The sizes asked for, or 4 KiB x 16^k up to max and max itself. */
static int parse_sizes(const struct mb_options *o, uint64_t max, struct cfg *g)
{
    const char *list = mb_opt_str(o, "sizes");
    g->nsizes = 0;
    if (!list) {
        for (uint64_t s = 4096; s < max && g->nsizes < 31; s *= 16)
            g->sizes[g->nsizes++] = s;
        g->sizes[g->nsizes++] = max - max % 4096;
        return 0;
    }
    return mb_size_list("sizes", list, g->sizes, 32, &g->nsizes);
}

static uint64_t opt_quick(const struct mb_options *o, const char *name, uint64_t quick)
{
    return mb_opt_given(o, name) || !mb_opt_flag(o, "quick") ? mb_opt_num(o, name) : quick;
}

static int read_cfg(const struct mb_options *o, struct cfg *g)
{
    memset(g, 0, sizeof *g);
    g->patterns = mb_opt_str(o, "patterns");
    g->units = mb_opt_str(o, "units");
    g->methods = mb_opt_str(o, "methods");
    g->caches = mb_opt_str(o, "caches");
    g->dir = mb_opt_str(o, "dir");
    g->block = (size_t)mb_opt_num(o, "block");
    g->cold_max = opt_quick(o, "cold-max-size", 1ull << 20);
    g->cold_random_max = opt_quick(o, "cold-random-max-size", 256ull << 10);
    g->floor_size = opt_quick(o, "floor-size", 64ull << 20);
    g->device_size = opt_quick(o, "device-size", 4ull << 20);
    g->seed = mb_opt_num(o, "seed");
    if (g->floor_size % 4096 || g->device_size % 4096)
        return mb_fail(MB_EUSAGE, "--floor-size and --device-size must be multiples of 4 KiB");
    if (g->block % 4096)
        return mb_fail(MB_EUSAGE, "--block %zu is not a multiple of 4 KiB", g->block);
    if (mb_page_size() > 4096 && g->block % mb_page_size())
        return mb_fail(MB_EUSAGE, "--block must be a multiple of the page size %zu",
                       mb_page_size());
    return parse_sizes(o, opt_quick(o, "max-size", 4ull << 20), g);
}

static bool want_cold(const struct cfg *g, uint64_t size, bool random)
{
    return size <= (random ? g->cold_random_max : g->cold_max);
}

/* The parameters, work and metrics every case has. */
static int add_params(struct mb_case *c, const struct sweep_case *s, const char *pattern,
                      const char *unit)
{
    char num[48];
    int rc = mb_case_param(c, "method", s->m->name, true);
    snprintf(num, sizeof num, "%zu", s->size);
    rc = rc ? rc : mb_case_param(c, "size_bytes", num, true);
    rc = rc ? rc : mb_case_param(c, "pattern", pattern, true);
    rc = rc ? rc : mb_case_param(c, "unit", unit, true);
    snprintf(num, sizeof num, "%zu", s->block);
    rc = rc ? rc : mb_case_param(c, "block_bytes", num, !s->touch);
    if (s->m->family == F_MAP || s->m->family == F_KEPT)
        rc = rc ? rc : mb_case_metric(c, "access_faults_per_page");
    return rc ? rc : mb_case_work(c, (double)s->size, (double)(s->size / s->page), "page");
}

static int add_case(struct mb_plan *plan, const struct cfg *g, const struct method *m,
                    struct source *src, size_t block, bool random, bool touch,
                    enum mb_cache cache)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct sweep_case *s = mb_plan_alloc(plan, sizeof *s);
    if (!c || !s)
        return mb_fail(MB_ENOMEM, "out of memory");
    s->m = m;
    s->src = src;
    s->size = (size_t)src->size;
    s->page = mb_page_size();
    s->block = block;
    s->random = random;
    s->touch = touch;
    s->seed = g->seed;
    s->nunits = touch ? s->size / s->page : (s->size + block - 1) / block;
    s->unsupported = m->family == F_MEMORY ? NULL : mb_file_io_unsupported();
    if (!s->unsupported && m->family == F_URING)
        s->unsupported = mb_uring_unsupported();
    mb_case_init(c, "sweep", &sweep_ops, s);
    int rc = add_params(c, s, random ? "random" : "sequential", touch ? "touch" : "copy");
    if (!rc && m->family == F_MEMORY) {
        c->cache_irrelevant = true;
        rc = mb_case_param(c, "cache", "any", true);
    } else if (!rc) {
        rc = mb_case_cache(c, cache, NULL);
    }
    if (cache == MB_CACHE_COLD)
        c->single_pass = true;
    else
        c->batch = NSLOTS;
    return rc;
}

static int add_floors(struct mb_plan *plan, struct cfg *g)
{
    int rc = 0;
    const struct method *mem = &methods[NMETHODS - 2], *dev = &methods[NMETHODS - 1];
    if (!g->methods || mb_list_has(g->methods, mem->name))
        for (int r = 0; r < 2 && !rc; r++)
            for (int t = 0; t < 2 && !rc; t++)
                if (mb_list_has(g->patterns, r ? "random" : "sequential") &&
                    mb_list_has(g->units, t ? "touch" : "copy"))
                    rc = add_case(plan, g, mem, g->heap, g->block, r, t, MB_CACHE_ANY);
    if (rc || (g->methods && !mb_list_has(g->methods, dev->name)))
        return rc;
    return add_case(plan, g, dev, g->device, DEVICE_BLOCK, false, false, MB_CACHE_COLD);
}

/* The cases of one size: each method, pattern, unit and cache state. */
static int add_file_cases(struct mb_plan *plan, const struct cfg *g, struct source *file,
                          struct source *kept)
{
    for (size_t k = 0; k < NMETHODS; k++) {
        const struct method *m = &methods[k];
        if (m->family == F_MEMORY || m->family == F_DEVICE ||
            (g->methods && !mb_list_has(g->methods, m->name)))
            continue;
        /* O_DIRECT reads the device whatever is cached: cold only. A
         * kept mapping pins the file's pages against eviction: warm only. */
        bool direct = reads_direct(m);
        struct source *src = m->family == F_KEPT ? kept : file;
        for (int r = 0; r < 2; r++)
            for (int t = 0; t < 2; t++)
                for (int w = m->family == F_KEPT; w < 2 - direct; w++) {
                    if (!mb_list_has(g->patterns, r ? "random" : "sequential") ||
                        !mb_list_has(g->units, t ? "touch" : "copy") || (t && !m->touch) ||
                        !mb_list_has(g->caches, w ? "warm" : "cold") ||
                        (!w && !want_cold(g, src->size, r)))
                        continue;
                    int rc = add_case(plan, g, m, src, g->block, r, t,
                                      w ? MB_CACHE_WARM : MB_CACHE_COLD);
                    if (rc)
                        return rc;
                }
    }
    return 0;
}

static const char *sweep_supported(void)
{
    return mb_file_io_unsupported();
}

/* Exits 2 (MB_EUSAGE) when the files of the run do not fit under --dir:
 * one per size, a second one per size for mmap-kept, and the device
 * floor's, with 8 MiB to spare. */
static int check_space(const struct cfg *g)
{
    bool kept = !g->methods || mb_list_has(g->methods, "mmap-kept");
    uint64_t need = 8ull << 20, avail = 0;
    for (size_t i = 0; i < g->nsizes; i++)
        need += g->sizes[i] * (kept ? 2 : 1);
    if (!g->methods || mb_list_has(g->methods, "device-floor"))
        need += g->device_size;
    int rc = mb_space_free(g->dir, &avail);
    if (rc)
        return rc == MB_EENV ? mb_fail(MB_EUSAGE, "%s", mb_last_error()) : rc;
    if (avail < need)
        return mb_fail(MB_EUSAGE, "the sweep needs %llu MiB under %s and only %llu MiB are "
                       "free: give --dir elsewhere or a smaller --max-size",
                       (unsigned long long)(need >> 20), g->dir,
                       (unsigned long long)(avail >> 20));
    return 0;
}

static int sweep_build(const struct mb_options *o, struct mb_plan *plan)
{
    struct cfg *g = mb_plan_alloc(plan, sizeof *g);
    if (!g)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = read_cfg(o, g);
    if (!rc && !sweep_supported())
        rc = check_space(g);
    if (rc)
        return rc;
    if ((uint64_t)(size_t)g->floor_size != g->floor_size)
        return mb_fail(MB_EUSAGE, "--floor-size does not fit this platform's address space");
    g->files = mb_plan_alloc(plan, g->nsizes * sizeof *g->files);
    g->kept = mb_plan_alloc(plan, g->nsizes * sizeof *g->kept);
    g->heap = mb_plan_alloc(plan, sizeof *g->heap);
    g->device = mb_plan_alloc(plan, sizeof *g->device);
    if (!g->files || !g->kept || !g->heap || !g->device)
        return mb_fail(MB_ENOMEM, "out of memory");
    *g->heap = (struct source){.size = g->floor_size, .heap = true};
    *g->device = (struct source){.dir = g->dir, .size = g->device_size};
    for (size_t i = 0; i < g->nsizes && !rc; i++) {
        g->files[i] = (struct source){.dir = g->dir, .size = g->sizes[i]};
        g->kept[i] = g->files[i];
        rc = add_file_cases(plan, g, &g->files[i], &g->kept[i]);
    }
    return rc ? rc : add_floors(plan, g);
}

const struct mb_suite mb_suite_sweep = {
    .name = "sweep",
    .help = "read a file of each size by every method, sequential and random, copy and touch, "
            "cold and warm, next to memory and device floors (by default --reps 9 --warmup 1)",
    .claims = "C2 C5",
    .opts = sweep_opts,
    .supported = sweep_supported,
    .build = sweep_build,
    .plot = "plot-sweep",
    .plot_outputs = (const char *const[]){"sweep.svg", "sweep.png", NULL},
    /* Its cases read up to 256 MiB each and cold ones wait on the device:
     * fewer repetitions than the common 25 keep a default run near three
     * minutes here. */
    .run_defaults = (const struct mb_run_default[]){{"reps", "9", NULL}, {"warmup", "1", NULL},
                                                    {NULL, NULL, NULL}},
};
