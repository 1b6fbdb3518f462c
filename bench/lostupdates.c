/* The `lostupdates` suite (claim C3): P processes each add M entries to one
 * shared "favourites" list, by
 *   unlocked          load the file, add the entry, save the file whole, no
 *                     lock: the article's two Explorer windows (last save wins)
 *   mutex             one MAP_SHARED mapping of the file, every add under a
 *                     process-shared robust mutex that lives in the mapping
 *   flock             the load-add-save of `unlocked` under flock(LOCK_EX)
 *   mutex-owner-dead  `mutex`, but worker 0 dies (SIGKILL) holding the mutex
 *                     half-way through an add; the next locker gets
 *                     EOWNERDEAD, drops the torn entry and goes on
 * The workers are forked in prepare() (on Windows started again from the
 * executable, rebuilding their case through lu_worker) and wait on a
 * barrier, so that the timed pass is the contended adds alone: fork's cost
 * grows with the parent's size (and under ASan with its shadow memory),
 * which is not the work. The pass opens the barrier and ends when every worker has
 * reported its adds done; verify() reaps them and counts the entries
 * present, outside the timed region: lost = expected - present.
 * Whether adds can collide depends on whether the workers' spans of work
 * overlap at all, which the scheduler decides: each worker stamps when it
 * started and finished, and `overlap` reports how many spans were open at
 * once on average (1: the workers ran one after another). --hold-us puts
 * an edit's duration between a load and its save (inside the lock for the
 * locked methods), as a user editing in an open window does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/suite.h"
#include "mmbench/worker_kind.h"

enum method { M_UNLOCKED, M_MUTEX, M_FLOCK, M_OWNER_DEAD, NMETHODS };

static const char *const method_names[NMETHODS] = {"unlocked", "mutex", "flock",
                                                   "mutex-owner-dead"};

/* One entry: a fixed-width text line, so that a torn or stale line is
 * recognized by comparing it with the line its fields name. */
#define REC 32
/* The mapped list: the mutex, then the header, then the entries. */
#define LOCK_AREA 128
#define HEAD 256

struct list_head {
    uint64_t count;             /* entries [0, count) are complete */
    uint64_t capacity;
    uint64_t pending;           /* 1 while an add is under way: entry `count` may be torn */
    uint64_t recoveries;        /* EOWNERDEAD repairs */
};

enum { MX_LOST, MX_OVERLAP, MX_CPU, MX_RECOVERIES };

/* Per worker, in memory shared with the parent: when its adds began and
 * ended (mb_now_ns), and why it failed, if it did (a worker's own
 * mb_last_error() dies with it). */
struct span {
    uint64_t start, end;
    char why[200];
};

struct lu_case {
    enum method m;
    unsigned procs, entries;
    const char *dir;
    char *path;
    struct mb_region r;         /* the mapped list (mutex methods) */
    char *spans_path;           /* a scratch file, so that a re-launched worker maps it too */
    struct mb_region spans;     /* MB_WORKERS_MAX struct span, mapped shared */
    uint64_t hold_ns;           /* the edit between a load and its save */
    uint64_t timeout_ns;        /* a pass that lasts longer has a hung worker */
    size_t cap;                 /* bytes of the load buffer (file methods) */
    uint8_t *buf;               /* each worker writes its own copy-on-write copy */
    struct mb_workers w;
    uint32_t token;             /* changes every repetition: no stale entry counts */
    uint64_t expected;          /* entries that must be present when none is lost */
    double *metric;             /* the metrics verify() adds to (check_mapped too) */
    uint8_t *seen;              /* one flag per entry, for counting */
};

/* ---- entries ---------------------------------------------------------- */

static uint32_t entry_tag(unsigned p, unsigned e, uint32_t token)
{
    uint32_t x = token * 2654435761u ^ (p * 40503u + e) * 2246822519u;
    return x ^ (x >> 15);
}

static void make_entry(char *dst, unsigned p, unsigned e, uint32_t token)
{
    char tmp[REC + 1];
    int n = snprintf(tmp, sizeof tmp, "fav p%02u e%07u t%08x", p, e, entry_tag(p, e, token));
    memset(tmp + n, ' ', REC - 1 - (size_t)n);
    tmp[REC - 1] = '\n';
    memcpy(dst, tmp, REC);
}

/* Which entry the line at `rec` is, or -1 when it is torn, stale or foreign. */
static long entry_index(const struct lu_case *f, const uint8_t *rec)
{
    unsigned p, e;
    char line[REC + 1], want[REC];
    memcpy(line, rec, REC);
    line[REC] = '\0';
    if (sscanf(line, "fav p%2u e%7u", &p, &e) != 2 || p >= f->procs || e >= f->entries)
        return -1;
    make_entry(want, p, e, f->token);
    return memcmp(want, rec, REC) == 0 ? (long)((size_t)p * f->entries + e) : -1;
}

/* Distinct valid entries among n lines; *bad receives the others. */
static uint64_t count_present(struct lu_case *f, const uint8_t *lines, size_t n, uint64_t *bad)
{
    uint64_t present = 0;
    *bad = 0;
    memset(f->seen, 0, (size_t)f->procs * f->entries);
    for (size_t i = 0; i < n; i++) {
        long k = entry_index(f, lines + i * REC);
        if (k < 0)
            (*bad)++;
        else if (!f->seen[k]++)
            present++;
    }
    return present;
}

/* ---- the workers -------------------------------------------------------- */

/* Load, add, save; under flock for M_FLOCK. */
static int work_file(struct lu_case *f, unsigned p)
{
    int fd, rc = mb_lfile_open(f->path, &fd);
    bool lock = f->m == M_FLOCK;
    for (unsigned e = 0; !rc && e < f->entries; e++) {
        size_t len = 0;
        if (lock && (rc = mb_lfile_lock(fd, true)) != 0)
            break;
        rc = mb_lfile_load(fd, f->buf, f->cap - REC, &len);
        len -= len % REC; /* a torn last line, caught mid-save, is dropped */
        if (f->hold_ns)
            mb_sleep_ns(f->hold_ns);
        if (!rc) {
            make_entry((char *)f->buf + len, p, e, f->token);
            rc = mb_lfile_save(fd, f->buf, len + REC);
        }
        if (lock && !rc)
            rc = mb_lfile_lock(fd, false);
    }
    mb_lfile_close(fd);
    return rc;
}

/* Makes the list whole after its last locker died mid-add: the torn entry
 * beyond `count` is cleared. */
static void repair(struct list_head *h, uint8_t *entries)
{
    if (h->pending)
        memset(entries + h->count * REC, 0, REC);
    h->pending = 0;
    h->recoveries++;
}

static int lock_list(struct lu_case *f)
{
    struct list_head *h = (struct list_head *)(f->r.base + LOCK_AREA);
    bool died;
    int rc = mb_pmutex_lock(f->r.base, &died);
    if (!rc && died) {
        repair(h, f->r.base + HEAD);
        rc = mb_pmutex_consistent(f->r.base);
    }
    return rc;
}

static int work_mapped(struct lu_case *f, unsigned p)
{
    struct list_head *h = (struct list_head *)(f->r.base + LOCK_AREA);
    uint8_t *entries = f->r.base + HEAD;
    for (unsigned e = 0; e < f->entries; e++) {
        int rc = lock_list(f);
        if (rc)
            return rc;
        if (h->count >= h->capacity) {
            mb_pmutex_unlock(f->r.base);
            return mb_fail(MB_EVERIFY, "the list is full (%llu entries)",
                           (unsigned long long)h->count);
        }
        h->pending = 1;
        if (f->hold_ns)
            mb_sleep_ns(f->hold_ns);
        if (f->m == M_OWNER_DEAD && p == 0 && e == f->entries / 2) {
            char line[REC];
            make_entry(line, p, e, f->token);
            memcpy(entries + h->count * REC, line, REC / 2);
            mb_worker_die_now(); /* holding the mutex, the add half done */
        }
        make_entry((char *)entries + h->count * REC, p, e, f->token);
        h->count++;
        h->pending = 0;
        if ((rc = mb_pmutex_unlock(f->r.base)) != 0)
            return rc;
    }
    return 0;
}

static int worker(void *arg, unsigned p)
{
    struct lu_case *f = arg;
    struct span *sp = (struct span *)f->spans.base + p;
    sp->start = mb_now_ns();
    int rc = f->m == M_UNLOCKED || f->m == M_FLOCK ? work_file(f, p) : work_mapped(f, p);
    sp->end = mb_now_ns();
    if (rc)
        snprintf(sp->why, sizeof sp->why, "%s", mb_last_error()[0] ? mb_last_error()
                                                                    : mb_strerror(rc));
    return rc;
}

/* How many workers' spans of work were open at once, on average over the
 * time at least one was: the sum of the spans over the length of their
 * union (1: they never overlapped, so no add could collide; P: all ran
 * side by side, time-sliced or not). The victim of mutex-owner-dead never
 * stamps its end and is left out. */
static double overlap(const struct lu_case *f)
{
    struct span sp[MB_WORKERS_MAX];
    unsigned n = 0;
    for (unsigned i = 0; i < f->procs; i++) {
        struct span s = ((const struct span *)f->spans.base)[i];
        if (s.end <= s.start)
            continue;
        unsigned j = n++;
        for (; j > 0 && sp[j - 1].start > s.start; j--) /* by start */
            sp[j] = sp[j - 1];
        sp[j] = s;
    }
    double busy = 0, uni = 0;
    uint64_t cur_start = 0, cur_end = 0;
    for (unsigned i = 0; i < n; i++) {
        busy += (double)(sp[i].end - sp[i].start);
        if (i == 0 || sp[i].start > cur_end) {
            uni += (double)(cur_end - cur_start);
            cur_start = sp[i].start;
            cur_end = sp[i].end;
        } else if (sp[i].end > cur_end) {
            cur_end = sp[i].end;
        }
    }
    uni += (double)(cur_end - cur_start);
    return uni > 0 ? busy / uni : 1.0;
}

static bool mapped(const struct lu_case *f)
{
    return f->m == M_MUTEX || f->m == M_OWNER_DEAD;
}

/* ---- a worker started as a new process (Windows) ------------------------ */

/* What a worker needs of its case, as one line: the numbers, then the
 * spans file and the list file, split by '|' (no Windows path holds one). */
static int lu_describe(const void *arg, char *buf, size_t len)
{
    const struct lu_case *f = arg;
    int n = snprintf(buf, len, "%u %u %u %x %llu %llu %s|%s", (unsigned)f->m, f->procs,
                     f->entries, (unsigned)f->token, (unsigned long long)f->hold_ns,
                     (unsigned long long)f->cap, f->spans_path, f->path);
    if (n < 0 || (size_t)n >= len || strchr(buf, '"'))
        return mb_fail(MB_EUSAGE, "the scratch paths are too long or hold a '\"'");
    return 0;
}

/* Rebuilds the worker's view of the case: the same files mapped shared,
 * its own load buffer. */
static int lu_attach(const char *text, void **arg)
{
    unsigned m = NMETHODS, procs = 0, entries = 0, token = 0;
    unsigned long long hold = 0, cap = 0;
    int at = 0;
    if (sscanf(text, "%u %u %u %x %llu %llu %n", &m, &procs, &entries, &token, &hold, &cap,
               &at) < 6 || m >= NMETHODS || procs > MB_WORKERS_MAX || !at ||
        !strchr(text + at, '|'))
        return mb_fail(MB_EUSAGE, "not a lostupdates worker's description: %s", text);
    struct lu_case *f = calloc(1, sizeof *f);
    char *paths = strdup(text + at);
    if (!f || !paths) {
        free(f);
        free(paths);
        return mb_fail(MB_ENOMEM, "out of memory");
    }
    char *bar = strchr(paths, '|');
    *bar = '\0';
    *f = (struct lu_case){.m = (enum method)m, .procs = procs, .entries = entries,
                          .token = token, .hold_ns = hold, .cap = (size_t)cap,
                          .spans_path = paths, .path = bar + 1};
    *arg = f; /* the worker's until it ends */
    int rc = mb_region_map(&f->spans, MB_REGION_FILE_SHARED, f->spans_path,
                           MB_WORKERS_MAX * sizeof(struct span), 0);
    size_t total = (size_t)procs * entries;
    if (!rc && mapped(f))
        rc = mb_region_map(&f->r, MB_REGION_FILE_SHARED, f->path, HEAD + total * REC, 0);
    else if (!rc && !(f->buf = malloc(f->cap)))
        rc = mb_fail(MB_ENOMEM, "out of memory");
    return rc;
}

static const struct mb_worker_kind lu_worker = {
    .suite = "lostupdates", .fn = worker, .describe = lu_describe, .attach = lu_attach};

/* ---- hooks --------------------------------------------------------------- */

static void lu_teardown(struct mb_case *c);

/* The seen-table, the buffer (unmapped methods), the spans file and the
 * list file, mapped where the method maps. On failure whatever was made is
 * undone (the runner calls no teardown after a failed setup). */
static int lu_setup(struct mb_case *c)
{
    struct lu_case *f = c->data;
    const char *why = mb_workers_unsupported();
    if (why)
        return mb_fail(MB_EUNSUPPORTED, "%s", why);
    size_t total = (size_t)f->procs * f->entries;
    if (mb_pmutex_size() > LOCK_AREA || sizeof(struct list_head) > HEAD - LOCK_AREA)
        return mb_fail(MB_EUNSUPPORTED, "a process-shared mutex takes %zu "
                       "bytes, more than the list reserves", mb_pmutex_size());
    f->seen = malloc(total);
    /* Room for twice the entries: an unlocked save may briefly leave a
     * stale tail that a concurrent load reads in. */
    f->cap = (2 * total + 2) * REC;
    f->buf = mapped(f) ? NULL : malloc(f->cap);
    int rc = !f->seen || (!mapped(f) && !f->buf) ? mb_fail(MB_ENOMEM, "out of memory") : 0;
    char tag[40];
    snprintf(tag, sizeof tag, "lostupdates-%s", method_names[f->m]);
    rc = rc ? rc : mb_scratch_create(f->dir, "lostupdates-spans",
                                     MB_WORKERS_MAX * sizeof(struct span), mb_content_fill,
                                     &f->spans_path);
    rc = rc ? rc : mb_region_map(&f->spans, MB_REGION_FILE_SHARED, f->spans_path,
                                 MB_WORKERS_MAX * sizeof(struct span), 0);
    rc = rc ? rc : mb_scratch_create(f->dir, tag, mapped(f) ? HEAD + total * REC : 0,
                                     mb_content_fill, &f->path);
    if (!rc && mapped(f))
        rc = mb_region_map(&f->r, MB_REGION_FILE_SHARED, f->path, HEAD + total * REC, 0);
    if (rc)
        lu_teardown(c);
    return rc;
}

static int reset_list(struct lu_case *f)
{
    if (mapped(f)) {
        memset(f->r.base, 0, f->r.len);
        struct list_head *h = (struct list_head *)(f->r.base + LOCK_AREA);
        h->capacity = (uint64_t)f->procs * f->entries;
        return mb_pmutex_init(f->r.base);
    }
    int fd, rc = mb_lfile_open(f->path, &fd);
    if (!rc)
        rc = mb_lfile_save(fd, "", 0);
    mb_lfile_close(fd);
    return rc;
}

static int lu_prepare(struct mb_case *c)
{
    struct lu_case *f = c->data;
    f->token++;
    f->metric = NULL;
    memset(f->spans.base, 0, f->spans.len);
    int rc = reset_list(f);
    return rc ? rc : mb_workers_start(&f->w, f->procs, &lu_worker, f);
}

/* The timed work: open the barrier, wait until every worker has reported
 * its adds done (or has died). Counting is verify()'s, untimed. */
static int lu_pass(struct mb_case *c, struct mb_pass *p)
{
    struct lu_case *f = c->data;
    (void)p;
    return mb_workers_go(&f->w, f->timeout_ns);
}

/* Every worker ended as it must: exit 0, except worker 0 of
 * mutex-owner-dead, which must have died of SIGKILL. */
static int check_workers(const struct lu_case *f)
{
    for (unsigned i = 0; i < f->w.n; i++) {
        bool victim = f->m == M_OWNER_DEAD && i == 0;
        if (victim && f->w.signal[i] != 9) /* SIGKILL, as mb_worker_die_now sends */
            return mb_fail(MB_EVERIFY, "%s: worker 0 was to die of SIGKILL holding the mutex; "
                           "it ended with exit code %d, signal %d", method_names[f->m],
                           f->w.exit_code[i], f->w.signal[i]);
        if (!victim && f->w.exit_code[i] < 0)
            return mb_fail(MB_EENV, "%s: worker %u of %u died of signal %d", method_names[f->m],
                           i, f->w.n, f->w.signal[i]);
        if (!victim && f->w.exit_code[i] != 0)
            return mb_fail(MB_EENV, "%s: worker %u of %u failed: %.200s", method_names[f->m], i,
                           f->w.n, ((const struct span *)f->spans.base)[i].why);
    }
    return 0;
}

/* The mapped list, under its mutex (recovered here if no worker did). */
static int count_mapped(struct lu_case *f, uint64_t *present)
{
    struct list_head *h = (struct list_head *)(f->r.base + LOCK_AREA);
    int rc = lock_list(f);
    if (rc)
        return rc;
    uint64_t bad = 0;
    *present = count_present(f, f->r.base + HEAD, (size_t)h->count, &bad);
    if ((rc = mb_pmutex_unlock(f->r.base)) != 0)
        return rc;
    if (bad || h->pending)
        return mb_fail(MB_EVERIFY, "%s: %llu torn or foreign entries among the %llu counted "
                       "(pending %llu)", method_names[f->m], (unsigned long long)bad,
                       (unsigned long long)h->count, (unsigned long long)h->pending);
    if (f->m == M_OWNER_DEAD && h->recoveries != 1)
        return mb_fail(MB_EVERIFY, "mutex-owner-dead: %llu EOWNERDEAD recoveries, want 1",
                       (unsigned long long)h->recoveries);
    f->metric[MX_RECOVERIES] += (double)h->recoveries;
    return 0;
}

/* The file as read(2) sees it. */
static int count_file(struct lu_case *f, uint64_t *present)
{
    uint8_t *data = NULL;
    size_t len = 0, bad_tail;
    int rc = mb_file_read_all(f->path, &data, &len);
    if (rc)
        return rc;
    bad_tail = len % REC;
    uint64_t bad = 0;
    *present = count_present(f, data, len / REC, &bad);
    free(data);
    if (f->m == M_FLOCK && (bad || bad_tail))
        return mb_fail(MB_EVERIFY, "flock: %llu torn entries and %zu stray bytes in the file",
                       (unsigned long long)bad, bad_tail);
    return 0;
}

static int lu_verify(struct mb_case *c, struct mb_pass *p)
{
    struct lu_case *f = c->data;
    f->metric = p->metric; /* what is counted after the pass */
    int rc = mb_workers_reap(&f->w);
    if (!rc)
        rc = check_workers(f);
    if (rc)
        return rc;
    unsigned want = f->procs - (f->m == M_OWNER_DEAD);
    if (f->w.done != want || !f->metric)
        return mb_fail(MB_EVERIFY, "%s: %u of %u workers reported their adds done",
                       method_names[f->m], f->w.done, want);
    uint64_t present = 0;
    rc = mapped(f) ? count_mapped(f, &present) : count_file(f, &present);
    if (rc)
        return rc;
    uint64_t lost = f->expected - present;
    f->metric[MX_LOST] += (double)lost;
    f->metric[MX_CPU] += f->w.cpu_ns;
    f->metric[MX_OVERLAP] += overlap(f);
    if (f->m != M_UNLOCKED && lost)
        return mb_fail(MB_EVERIFY, "%s with %u processes lost %llu of %llu entries",
                       method_names[f->m], f->procs, (unsigned long long)lost,
                       (unsigned long long)f->expected);
    if (present == 0)
        return mb_fail(MB_EVERIFY, "%s: the list is empty after the pass", method_names[f->m]);
    return 0;
}

static void lu_release(struct mb_case *c)
{
    struct lu_case *f = c->data;
    mb_workers_kill(&f->w);
}

/* Safe on a case whose setup failed part way, and twice. */
static void lu_teardown(struct mb_case *c)
{
    struct lu_case *f = c->data;
    mb_workers_kill(&f->w);
    mb_region_unmap(&f->r);
    mb_region_unmap(&f->spans);
    char **paths[] = {&f->path, &f->spans_path};
    for (size_t i = 0; i < 2; i++)
        if (*paths[i]) {
            mb_scratch_remove(*paths[i]);
            free(*paths[i]);
            *paths[i] = NULL;
        }
    free(f->buf);
    free(f->seen);
    f->buf = NULL;
    f->seen = NULL;
}

static const struct mb_case_ops lu_ops = {
    .setup = lu_setup,
    .prepare = lu_prepare,
    .pass = lu_pass,
    .verify = lu_verify,
    .release = lu_release,
    .teardown = lu_teardown,
};

/* ---- building the cases --------------------------------------------------- */

enum { MIN_PROCS = 2, MAX_PROCS = 8 };

static int check_procs(const char *item, char *valid, size_t vlen)
{
    uint64_t n;
    snprintf(valid, vlen, "process counts %d to %d", MIN_PROCS, MAX_PROCS);
    return mb_parse_count(item, &n) == 0 && n >= MIN_PROCS && n <= MAX_PROCS ? 0 : MB_EUSAGE;
}

enum { MAX_HOLDS = 8 };

static int check_hold(const char *item, char *valid, size_t vlen)
{
    uint64_t n;
    snprintf(valid, vlen, "microseconds 0 to 100000");
    return mb_parse_count(item, &n) == 0 && n <= 100000 ? 0 : MB_EUSAGE;
}

/* The values of a checked list option of counts, in order, duplicates
 * dropped; at most `max`. Returns how many. */
static size_t parse_counts(const char *list, uint64_t *out, size_t max)
{
    size_t n = 0;
    for (const char *s = list; *s && n < max;) {
        char item[24];
        size_t len = strcspn(s, ",");
        snprintf(item, sizeof item, "%.*s", (int)(len < 23 ? len : 23), s);
        uint64_t v;
        bool dup = false;
        if (mb_parse_count(item, &v) == 0) {
            for (size_t i = 0; i < n; i++)
                dup |= out[i] == v;
            if (!dup)
                out[n++] = v;
        }
        s += len + (s[len] == ',');
    }
    return n;
}

static const struct mb_opt lu_opts[] = {
    {"procs", MB_OPT_LIST, "2,4,8", "processes adding entries at once (2 to 8)", NULL, 0, 0,
     check_procs},
    {"entries", MB_OPT_COUNT, "200", "entries each process adds (--quick: 50 unless given)",
     NULL, 1, 5000, NULL},
    {"hold-us", MB_OPT_LIST, "0,100",
     "microseconds each add holds its loaded copy before saving it, one case per value "
     "(an edit's duration; inside the lock for flock and mutex)", NULL, 0, 0, check_hold},
    {"methods", MB_OPT_LIST, NULL, "how the list is shared (default: all)",
     "unlocked|mutex|flock|mutex-owner-dead", 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

static int add_case(struct mb_plan *plan, enum method m, unsigned procs, unsigned entries,
                    uint64_t hold_ns, const char *dir)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct lu_case *f = mb_plan_alloc(plan, sizeof *f);
    if (!c || !f)
        return mb_fail(MB_ENOMEM, "out of memory");
    *f = (struct lu_case){.m = m, .procs = procs, .entries = entries, .hold_ns = hold_ns,
                          .dir = dir};
    f->w.go_fd = f->w.done_fd = -1;
    f->expected = (uint64_t)procs * entries;
    /* Generous: a minute, plus 1 ms and the hold per add as if none ran
     * side by side (a load and save of the longest list takes ~0.1 ms). */
    f->timeout_ns = 60000000000ull + f->expected * (1000000u + hold_ns);
    if (m == M_OWNER_DEAD)
        f->expected -= entries - entries / 2; /* worker 0 commits entries / 2, then dies */
    mb_case_init(c, "lostupdates", &lu_ops, f);
    c->single_pass = true; /* a pass consumes its workers */
    char num[48];
    int rc = mb_case_param(c, "method", method_names[m], true);
    snprintf(num, sizeof num, "%u", procs);
    rc = rc ? rc : mb_case_param(c, "procs", num, true);
    snprintf(num, sizeof num, "%u", entries);
    rc = rc ? rc : mb_case_param(c, "entries_per_proc", num, false);
    snprintf(num, sizeof num, "%llu", (unsigned long long)f->expected);
    rc = rc ? rc : mb_case_param(c, "expected_entries", num, false);
    snprintf(num, sizeof num, "%llu", (unsigned long long)(hold_ns / 1000));
    rc = rc ? rc : mb_case_param(c, "hold_us", num, true);
    rc = rc ? rc : mb_case_metric(c, "lost_entries");
    rc = rc ? rc : mb_case_metric(c, "overlap");
    rc = rc ? rc : mb_case_metric(c, "worker_cpu_ns");
    if (!rc && mapped(f))
        rc = mb_case_metric(c, "owner_dead_recoveries");
    return rc ? rc : mb_case_work(c, (double)f->expected * REC, (double)f->expected, "entry");
}

static int lu_build(const struct mb_options *o, struct mb_plan *plan)
{
    bool quick = mb_opt_flag(o, "quick");
    unsigned entries = mb_opt_given(o, "entries") || !quick ? (unsigned)mb_opt_num(o, "entries")
                                                             : 50;
    const char *only = mb_opt_str(o, "methods"), *dir = mb_opt_str(o, "dir");
    uint64_t procs[MAX_PROCS], holds[MAX_HOLDS];
    /* The option table has checked every item. */
    size_t np = parse_counts(mb_opt_str(o, "procs"), procs, MAX_PROCS);
    size_t nh = parse_counts(mb_opt_str(o, "hold-us"), holds, MAX_HOLDS);
    for (size_t h = 0; h < nh; h++)
        for (int m = 0; m < NMETHODS; m++) {
            if (only && !mb_list_has(only, method_names[m]))
                continue;
            for (size_t p = 0; p < np; p++) {
                int rc = add_case(plan, (enum method)m, (unsigned)procs[p], entries,
                                  holds[h] * 1000, dir);
                if (rc)
                    return rc;
            }
        }
    return 0;
}

static const char *lu_supported(void)
{
    return mb_workers_unsupported();
}

const struct mb_suite mb_suite_lostupdates = {
    .name = "lostupdates",
    .help = "lost entries when P processes add to one list: load-add-save with no lock, "
            "a shared mapping under a robust mutex, flock",
    .claims = "C3",
    .opts = lu_opts,
    .supported = lu_supported,
    .build = lu_build,
    .plot = "plot-lostupdates",
    .plot_outputs = (const char *const[]){"lostupdates.svg", "lostupdates.png", NULL},
    .worker = &lu_worker,
};
