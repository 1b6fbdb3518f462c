/* The `growth` suite (claim C11: "a mapping larger than its file grows the
 * file; a mapping cannot be resized once created"). Two kinds of case:
 *
 * - Growth strategies: a file starts empty and grows to its final size S in
 *   steps, each step's bytes written through a mapping (resized in place,
 *   mapped anew, or mapped big once and trimmed at the end) or with write()
 *   as the baseline. The pass times every step and the finish (unmap, trim);
 *   verify checks the file's size and every byte against what was written.
 * - The past-EOF probe: map 2 pages of a 1-page file and store into the
 *   second. POSIX raises SIGBUS (the file keeps its size); Win32's mapping
 *   grows the file. The outcome is a measured fact of the case (metrics
 *   past_eof_sigbus, 1 when the store faulted, and file_bytes_after, and the
 *   case's note), not a failure: the run goes on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/growth.h"
#include "mmbench/platform.h"
#include "mmbench/suite.h"

enum strat_id { ST_MREMAP, ST_REMAP, ST_BIG, ST_WRITE, ST_EOF, NSTRATS };

struct strategy {
    const char *name;
};

static const struct strategy strats[NSTRATS] = {
    {"mremap"}, {"remap"}, {"map-big-trim"}, {"write"}, {"past-eof"},
};

/* The bytes a file of one final size must hold, shared by the cases of that
 * size. Every repetition stamps each step's first bytes anew, so that no
 * pass can pass verification with an earlier pass's data. */
struct data {
    uint64_t size;
    uint8_t *src;
    unsigned users;
};

struct growth_case {
    const struct strategy *st;
    struct data *d;                 /* NULL for the probe */
    const char *dir;
    size_t page, step, nsteps;
    uint64_t peak;                  /* the largest size the file reaches */
    uint64_t stamp;                 /* the repetition's stamp, from --seed */
    char *path;
    struct mb_growth_file g;
    uint64_t *t;                    /* nsteps + 2 boundaries: steps, then finish (mb_now_ns) */
    bool skip_last;                 /* test only: the pass leaves the last step out */
    volatile bool touched;          /* the probe's store completed */
};

enum { M_GROW, M_FINISH, M_STEP_MEDIAN, M_STEP_MAX }; /* growth cases */
enum { M_SIGBUS, M_EOF_FILE_AFTER };                  /* the probe */

static size_t min_sz(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* ---- the growth strategies ------------------------------------------------ */

static int gr_setup(struct mb_case *c)
{
    struct growth_case *gc = c->data;
    if (gc->st == &strats[ST_MREMAP] && mb_growth_remap_unsupported())
        return mb_fail(MB_EUNSUPPORTED, "%s", mb_growth_remap_unsupported());
    struct data *d = gc->d;
    gc->t = malloc((gc->nsteps + 2) * sizeof *gc->t);
    if (!d->users && gc->t) {
        d->src = malloc((size_t)d->size);
        if (d->src)
            mb_content_fill(d->src, 0, (size_t)d->size);
    }
    if (!gc->t || !d->src) {
        free(gc->t);
        gc->t = NULL;
        return mb_fail(MB_ENOMEM, "out of memory for a %llu-byte file's content",
                       (unsigned long long)d->size);
    }
    int rc = mb_scratch_create(gc->dir, "growth", 0, mb_content_fill, &gc->path);
    if (rc) {
        free(gc->t);
        gc->t = NULL;
        if (!d->users) {
            free(d->src);
            d->src = NULL;
        }
        return rc;
    }
    d->users++;
    return 0;
}

/* Opens the (empty) file and stamps the first 8 bytes of every step of the
 * content with this repetition's stamp. */
static int gr_prepare(struct mb_case *c)
{
    struct growth_case *gc = c->data;
    uint64_t stamp = mb_rand_next(&gc->stamp);
    for (size_t i = 0; i < gc->nsteps; i++) {
        size_t off = i * gc->step;
        memcpy(gc->d->src + off, &stamp, min_sz(sizeof stamp, (size_t)gc->d->size - off));
    }
    return mb_growth_open(&gc->g, gc->path);
}

/* Step i: makes room for bytes [lo, hi) by the case's strategy and writes
 * them. */
static int grow_step(struct growth_case *gc, size_t i)
{
    size_t lo = i * gc->step, hi = min_sz(lo + gc->step, (size_t)gc->d->size);
    int rc = 0;
    switch ((enum strat_id)(gc->st - strats)) {
    case ST_MREMAP:
        rc = i == 0 ? mb_growth_map(&gc->g, hi, true) : mb_growth_remap(&gc->g, hi);
        break;
    case ST_REMAP:
        rc = mb_growth_map(&gc->g, hi, true);
        break;
    case ST_BIG:
        rc = i == 0 ? mb_growth_map(&gc->g, (size_t)gc->peak, true) : 0;
        break;
    case ST_WRITE:
        return mb_growth_append(&gc->g, gc->d->src + lo, hi - lo);
    default:
        return mb_fail(MB_EUSAGE, "unknown growth strategy");
    }
    if (!rc)
        memcpy(gc->g.view + lo, gc->d->src + lo, hi - lo);
    return rc;
}

/* Every step, each one's end noted, then the finish: the view unmapped
 * and, for map-big-trim, the file cut to the bytes used. The notes become
 * metrics in verify, outside the timed region. */
static int gr_pass(struct mb_case *c, struct mb_pass *p)
{
    struct growth_case *gc = c->data;
    (void)p;
    int rc = 0;
    gc->t[0] = mb_now_ns();
    size_t n = gc->nsteps - (gc->skip_last ? 1 : 0);
    for (size_t i = 0; !rc && i < gc->nsteps; i++) {
        rc = i < n ? grow_step(gc, i) : 0;
        gc->t[i + 1] = mb_now_ns();
    }
    rc = rc ? rc : mb_growth_unmap(&gc->g);
    if (!rc && gc->st == &strats[ST_BIG])
        rc = mb_growth_set_size(&gc->g, gc->d->size);
    gc->t[gc->nsteps + 1] = mb_now_ns();
    return rc;
}

/* The file must be exactly the final size and hold every byte written. */
static int check_file(struct growth_case *gc, uint64_t size)
{
    enum { CHUNK = 1 << 20 };
    if (size != gc->d->size)
        return mb_fail(MB_EVERIFY, "%s: the file is %llu bytes after the pass, not %llu",
                       gc->st->name, (unsigned long long)size,
                       (unsigned long long)gc->d->size);
    uint8_t *buf = malloc(CHUNK);
    if (!buf)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = 0;
    for (uint64_t off = 0; !rc && off < size; off += CHUNK) {
        size_t n = (size_t)(size - off < CHUNK ? size - off : CHUNK);
        rc = mb_growth_read(&gc->g, off, buf, n);
        if (!rc && memcmp(buf, gc->d->src + off, n) != 0) {
            size_t i = 0;
            while (buf[i] == gc->d->src[off + i])
                i++;
            rc = mb_fail(MB_EVERIFY, "%s: the file's byte at %llu differs from the one written",
                         gc->st->name, (unsigned long long)(off + i));
        }
    }
    free(buf);
    return rc;
}

/* Adds the time of the steps and of the finish, and the median and the
 * largest step time, to the pass's metrics. */
static int step_stats(struct growth_case *gc, struct mb_pass *p)
{
    size_t n = gc->nsteps;
    p->metric[M_GROW] += (double)(gc->t[n] - gc->t[0]);
    p->metric[M_FINISH] += (double)(gc->t[n + 1] - gc->t[n]);
    double *ns = malloc(gc->nsteps * sizeof *ns);
    if (!ns)
        return mb_fail(MB_ENOMEM, "out of memory");
    for (size_t i = 0; i < gc->nsteps; i++)
        ns[i] = (double)(gc->t[i + 1] - gc->t[i]);
    mb_sort(ns, gc->nsteps);
    p->metric[M_STEP_MEDIAN] += mb_stat_median(ns, gc->nsteps);
    p->metric[M_STEP_MAX] += ns[gc->nsteps - 1];
    free(ns);
    return 0;
}

static int gr_verify(struct mb_case *c, struct mb_pass *p)
{
    struct growth_case *gc = c->data;
    uint64_t size = 0;
    int rc = mb_growth_size(&gc->g, &size);
    rc = rc ? rc : check_file(gc, size);
    return rc ? rc : step_stats(gc, p);
}

/* Empties the file again, so that only the file of the case running holds
 * data (the space check counts one). */
static void gr_release(struct mb_case *c)
{
    struct growth_case *gc = c->data;
    if (gc->g.fd != -1) {
        (void)mb_growth_unmap(&gc->g);
        (void)mb_growth_set_size(&gc->g, 0);
    }
    mb_growth_close(&gc->g);
}

static void gr_teardown(struct mb_case *c)
{
    struct growth_case *gc = c->data;
    if (gc->path) {
        mb_scratch_remove(gc->path);
        free(gc->path);
        gc->path = NULL;
    }
    free(gc->t);
    gc->t = NULL;
    if (gc->d->users && --gc->d->users == 0) {
        free(gc->d->src);
        gc->d->src = NULL;
    }
}

static const struct mb_case_ops growth_ops = {
    .setup = gr_setup,
    .prepare = gr_prepare,
    .pass = gr_pass,
    .verify = gr_verify,
    .release = gr_release,
    .teardown = gr_teardown,
};

/* ---- the past-EOF probe -------------------------------------------------- */

static int eof_setup(struct mb_case *c)
{
    struct growth_case *gc = c->data;
    return mb_scratch_create(gc->dir, "growth-eof", gc->page, mb_content_fill, &gc->path);
}

/* Opens the file and gives it back its one page (a Win32 pass grew it). */
static int eof_prepare(struct mb_case *c)
{
    struct growth_case *gc = c->data;
    gc->touched = false;
    int rc = mb_growth_open(&gc->g, gc->path);
    return rc ? rc : mb_growth_set_size(&gc->g, gc->page);
}

/* Timed: a view twice the file's size, mapped without growing the file
 * first (on Win32 the mapping object itself grows it). */
static int eof_pass(struct mb_case *c, struct mb_pass *p)
{
    struct growth_case *gc = c->data;
    (void)p;
    return mb_growth_map(&gc->g, 2 * gc->page, false);
}

/* The store past the end of the file, inside the fault guard: `touched`
 * stays false when it faulted. */
static int touch_past_eof(void *arg)
{
    struct growth_case *gc = arg;
    volatile uint8_t *v = gc->g.view + gc->page;
    for (size_t i = 0; i < sizeof gc->stamp; i++)
        v[i] = (uint8_t)(gc->stamp >> (8 * i));
    gc->touched = true;
    return 0;
}

/* A fault must leave the file as it was (one page of its content); no fault
 * must leave the stored bytes in the file, which the mapping grew. */
static int check_probe(struct growth_case *gc, bool fault, uint64_t size)
{
    uint8_t got[8], want[8];
    if (fault && size != gc->page)
        return mb_fail(MB_EVERIFY, "SIGBUS past the end, yet the file is %llu bytes, not %zu",
                       (unsigned long long)size, gc->page);
    if (fault) {
        mb_content_fill(want, 0, sizeof want);
        int rc = mb_growth_read(&gc->g, 0, got, sizeof got);
        return rc || memcmp(got, want, sizeof got) == 0
                   ? rc : mb_fail(MB_EVERIFY, "the file's first page changed");
    }
    if (size < 2 * gc->page)
        return mb_fail(MB_EVERIFY, "a store into the page past the end of a %zu-byte file "
                       "neither faulted nor grew the file (%llu bytes)", gc->page,
                       (unsigned long long)size);
    for (size_t i = 0; i < sizeof want; i++)
        want[i] = (uint8_t)(gc->stamp >> (8 * i));
    int rc = mb_growth_read(&gc->g, gc->page, got, sizeof got);
    return rc || memcmp(got, want, sizeof got) == 0
               ? rc : mb_fail(MB_EVERIFY, "the store past the old end did not reach the file");
}

static int eof_verify(struct mb_case *c, struct mb_pass *p)
{
    struct growth_case *gc = c->data;
    (void)mb_rand_next(&gc->stamp);
    mb_guard_watch(gc->g.view, gc->g.view_len);
    int rc = mb_guarded_call(touch_past_eof, gc);
    mb_guard_watch(NULL, 0);
    bool fault = !gc->touched;
    if (rc && !fault)
        return rc;
    mb_clear_error();
    uint64_t size = 0;
    rc = mb_growth_unmap(&gc->g);
    rc = rc ? rc : mb_growth_size(&gc->g, &size);
    rc = rc ? rc : check_probe(gc, fault, size);
    if (!rc && fault)
        snprintf(c->note, sizeof c->note, "a store into the mapped page past the end of the "
                 "file raised %s (caught); the file kept its %llu bytes",
                 mb_growth_fault_name(), (unsigned long long)size);
    else if (!rc)
        snprintf(c->note, sizeof c->note, "mapping %zu bytes of a %zu-byte file grew the file "
                 "to %llu bytes; the store past the old end reached it", 2 * gc->page, gc->page,
                 (unsigned long long)size);
    if (!rc) {
        p->metric[M_SIGBUS] += fault ? 1 : 0;
        p->metric[M_EOF_FILE_AFTER] += (double)size;
    }
    return rc;
}

static void eof_release(struct mb_case *c)
{
    struct growth_case *gc = c->data;
    mb_growth_close(&gc->g);
}

static void eof_teardown(struct mb_case *c)
{
    struct growth_case *gc = c->data;
    if (gc->path) {
        mb_scratch_remove(gc->path);
        free(gc->path);
        gc->path = NULL;
    }
}

static const struct mb_case_ops eof_ops = {
    .setup = eof_setup,
    .prepare = eof_prepare,
    .pass = eof_pass,
    .verify = eof_verify,
    .release = eof_release,
    .teardown = eof_teardown,
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

static const struct mb_opt growth_opts[] = {
    {"sizes", MB_OPT_LIST, "1MiB,16MiB,64MiB",
     "final file sizes, 64KiB to 256MiB (--quick: 1MiB,4MiB unless given)", NULL, 0, 0,
     check_size},
    {"step", MB_OPT_SIZE, NULL,
     "bytes added per step, a multiple of the page size (default: a 16th of the size)", NULL,
     1, MAX_SIZE, NULL},
    {"reserve", MB_OPT_COUNT, "2",
     "map-big-trim: the file is made this many times its final size, then trimmed", NULL, 1,
     16, NULL},
    {"strategies", MB_OPT_LIST, NULL, "what to run (default: all)",
     "mremap|remap|map-big-trim|write|past-eof", 0, 0, NULL},
    {"test-skip-last-step", MB_OPT_FLAG, NULL,
     "tests only: every growth pass leaves its last step out, so that verification must fail",
     NULL, 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

static void size_label(char *out, size_t len, uint64_t size)
{
    if (size % (1ull << 20) == 0)
        snprintf(out, len, "%lluMiB", (unsigned long long)(size >> 20));
    else
        snprintf(out, len, "%lluKiB", (unsigned long long)(size >> 10));
}

static int param_num(struct mb_case *c, const char *key, uint64_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)v);
    return mb_case_param(c, key, num, false);
}

static int add_params(struct mb_case *c, const struct growth_case *gc)
{
    char num[48];
    int rc = mb_case_param(c, "strategy", gc->st->name, true);
    size_label(num, sizeof num, gc->d->size);
    rc = rc ? rc : mb_case_param(c, "size", num, true);
    size_label(num, sizeof num, gc->step);
    rc = rc ? rc : mb_case_param(c, "step", num, true);
    rc = rc ? rc : param_num(c, "size_bytes", gc->d->size);
    rc = rc ? rc : param_num(c, "step_bytes", gc->step);
    rc = rc ? rc : param_num(c, "steps", gc->nsteps);
    rc = rc ? rc : param_num(c, "pages", gc->d->size / gc->page);
    rc = rc ? rc : param_num(c, "peak_file_bytes", gc->peak);
    rc = rc ? rc : mb_case_metric(c, "grow_ns");
    rc = rc ? rc : mb_case_metric(c, "finish_ns");
    rc = rc ? rc : mb_case_metric(c, "step_median_ns");
    rc = rc ? rc : mb_case_metric(c, "step_max_ns");
    return rc ? rc : mb_case_work(c, (double)gc->d->size, (double)gc->nsteps, "step");
}

/* What building the cases needs. */
struct build {
    const struct mb_options *o;
    struct mb_plan *plan;
    const char *dir;
    const char *only;
    uint64_t step, reserve, seed;
    bool skip_last;
    uint64_t largest;               /* the largest of --sizes */
};

static struct growth_case *new_case(const struct build *b, const struct strategy *st,
                                    struct mb_case **c)
{
    *c = mb_plan_add_case(b->plan);
    struct growth_case *gc = mb_plan_alloc(b->plan, sizeof *gc);
    if (!*c || !gc) {
        (void)mb_fail(MB_ENOMEM, "out of memory");
        return NULL;
    }
    gc->st = st;
    gc->dir = b->dir;
    gc->page = mb_page_size();
    gc->stamp = b->seed ^ 0x67726f777468ull ^ (uint64_t)(st - strats);
    gc->g.fd = gc->g.section = -1;
    return gc;
}

static int add_growth_case(const struct build *b, const struct strategy *st, struct data *d)
{
    struct mb_case *c;
    struct growth_case *gc = new_case(b, st, &c);
    if (!gc)
        return MB_ENOMEM;
    gc->d = d;
    uint64_t step = b->step ? b->step : (d->size / 16 + gc->page - 1) / gc->page * gc->page;
    gc->step = (size_t)(step < d->size ? step : d->size);
    gc->nsteps = (size_t)((d->size + gc->step - 1) / gc->step);
    gc->peak = st == &strats[ST_BIG] ? d->size * b->reserve : d->size;
    gc->skip_last = b->skip_last;
    gc->stamp ^= d->size;
    mb_case_init(c, "growth", &growth_ops, gc);
    c->single_pass = true; /* every pass grows the file from empty */
    return add_params(c, gc);
}

static int add_probe(const struct build *b)
{
    struct mb_case *c;
    struct growth_case *gc = new_case(b, &strats[ST_EOF], &c);
    if (!gc)
        return MB_ENOMEM;
    mb_case_init(c, "growth", &eof_ops, gc);
    c->single_pass = true;
    int rc = mb_case_param(c, "strategy", gc->st->name, true);
    rc = rc ? rc : param_num(c, "size_bytes", gc->page);
    rc = rc ? rc : param_num(c, "mapped_bytes", 2 * gc->page);
    rc = rc ? rc : mb_case_metric(c, "past_eof_sigbus");
    rc = rc ? rc : mb_case_metric(c, "file_bytes_after");
    return rc ? rc : mb_case_work(c, -1, 1, "mapping"); /* no bytes: no throughput */
}

static int add_size(struct build *b, uint64_t size)
{
    struct data *d = mb_plan_alloc(b->plan, sizeof *d);
    if (!d)
        return mb_fail(MB_ENOMEM, "out of memory");
    d->size = size;
    int rc = 0;
    for (size_t i = 0; !rc && i < ST_EOF; i++)
        if (!b->only || mb_list_has(b->only, strats[i].name))
            rc = add_growth_case(b, &strats[i], d);
    return rc;
}

/* The scratch space a run needs at most at once: the file of the case
 * running (the others are empty between their repetitions), at its peak,
 * plus the probe's page and room for the results. Checked before any file
 * is made: too little is a usage error (exit 2). */
static int check_space(const struct build *b)
{
    bool big = !b->only || mb_list_has(b->only, "map-big-trim");
    uint64_t need = b->largest * (big ? b->reserve : 1) + (8ull << 20), avail = 0;
    int rc = mb_dir_check_writable(b->dir);
    rc = rc ? rc : mb_space_free(b->dir, &avail);
    if (rc)
        return rc == MB_EENV ? mb_fail(MB_EUSAGE, "%s", mb_last_error()) : rc;
    if (avail < need)
        return mb_fail(MB_EUSAGE, "the growth suite needs %llu MiB under %s and only %llu MiB "
                       "are free: give --dir elsewhere, smaller --sizes or a smaller --reserve",
                       (unsigned long long)(need >> 20), b->dir,
                       (unsigned long long)(avail >> 20));
    return 0;
}

static int growth_build(const struct mb_options *o, struct mb_plan *plan)
{
    bool quick = mb_opt_flag(o, "quick");
    const char *sizes = mb_opt_given(o, "sizes") || !quick ? mb_opt_str(o, "sizes")
                                                           : "1MiB,4MiB";
    struct build b = {.o = o, .plan = plan, .dir = mb_opt_str(o, "dir"),
                      .only = mb_opt_str(o, "strategies"), .reserve = mb_opt_num(o, "reserve"),
                      .seed = mb_opt_num(o, "seed"),
                      .skip_last = mb_opt_flag(o, "test-skip-last-step")};
    b.step = mb_opt_str(o, "step") ? mb_opt_num(o, "step") : 0;
    if (b.step % mb_page_size() != 0)
        return mb_fail(MB_EUSAGE, "--step %llu is not a multiple of the page size (%zu)",
                       (unsigned long long)b.step, mb_page_size());
    uint64_t v[32];
    size_t n = 0;
    int rc = mb_size_list("sizes", sizes, v, 32, &n);
    for (size_t i = 0; i < n; i++)
        b.largest = v[i] > b.largest ? v[i] : b.largest;
    rc = rc ? rc : check_space(&b);
    /* The probe first: with --interleave off the growth cases run after
     * the fault it observes. */
    if (!rc && (!b.only || mb_list_has(b.only, "past-eof")))
        rc = add_probe(&b);
    for (size_t i = 0; i < n && !rc; i++)
        rc = add_size(&b, v[i]);
    return rc;
}

const struct mb_suite mb_suite_growth = {
    .name = "growth",
    .help = "growing a mapped file: ftruncate + mremap, unmap + remap, or map big and trim, "
            "against write() appends; and what touching a mapping past the end of its file does",
    .claims = "C11",
    .opts = growth_opts,
    .supported = NULL,
    .build = growth_build,
    .plot = "plot-growth",
    .plot_outputs = (const char *const[]){"growth.svg", "growth.png", NULL},
};
