/* The fixed run behind the golden-file tests (see report_fixture.h). Values
 * are chosen to reach every branch a reporter has: a counter that is
 * unavailable (NaN underneath, must come out empty / absent), a repetition
 * that missed its cache state, fractional and negative per-pass values,
 * a failed case, and a case of another suite with phases, a custom counter
 * and a parameter the others lack. The records cases are made by mb_read_records_case
 * itself, so their parameters and names are the records suite's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/read_records.h"
#include "mmbench/runner.h"
#include "report_fixture.h"

#ifndef MB_GOLDEN_DIR
#error "MB_GOLDEN_DIR must name tests/golden"
#endif

/* Only the names matter: the fixture never runs a pass. */
static const struct mb_method m_mmap = {.name = "mmap"};
static const struct mb_method m_read = {.name = "read"};
static const struct mb_method m_broken = {.name = "broken"};

static const struct mb_env env = {
    .os = "Linux",
    .kernel = "6.1.0-golden #1 SMP PREEMPT_DYNAMIC",
    .arch = "x86_64",
    .cpu = "Golden CPU @ 1.00GHz",
    .hostname = "golden-host",
    .num_cpus = 2,
    .fs_type = "ext4",
    .thp = "madvise",
    .readahead_kb = 128,
    .page_size = 4096,
    .alloc_granularity = 4096,
    .cpu_scaling = -1,
};

static const char *const opt_names[] = {"records", "record-size", "out"};
static const char *const opt_values[] = {"3", "20", "my results"};

static const struct mb_run_info info = {
    .version = "0.1.0",
    .git_commit = "0123456789ab",
    .build_type = "release",
    .command_line = "mmbench run --suite records --records 3 --out 'my results'",
    .date = "2024-01-02T03:04:05+0000",
    .suite = "records",
    .env = &env,
    .timer_resolution_ns = 1,
    .timer_overhead_ns = 20.5,
    .reps = 3,
    .warmup = 1,
    .seed = 42,
    .interleaved = true,
    .opt_names = opt_names,
    .opt_values = opt_values,
    .nopts = 3,
};

/* The workload the records cases describe: 3 records of 20 bytes, one page.
 * No file behind it: the fixture reports, it does not read. */
static struct mb_workload workload = {
    .path = "/golden/mmbench-records-XXXXXX",
    .file_size = 60,
    .record_size = 20,
    .nrecords = 3,
    .access = MB_ACCESS_SEQUENTIAL,
    .pass_bytes = 60,
};

static void records_case(struct mb_case *c, struct mb_read_records *rr, const struct mb_method *m,
                         enum mb_cache cache, bool ra_off)
{
    if (mb_read_records_case(c, "records", rr, m, &workload, cache, ra_off) != 0) {
        fprintf(stderr, "fixture: %s\n", mb_last_error());
        abort();
    }
}

static void set(struct mb_sample *s, enum mb_field f, double v)
{
    mb_sample_set(s, f, v);
}

/* The work of a pass and what derives from it, as the runner fills them. */
static void finish(struct mb_sample *s)
{
    set(s, MB_F_WORK_BYTES, 60);
    set(s, MB_F_WORK_ITEMS, 3);
    mb_sample_derive(s);
}

/* Every counter of the platform known; the third repetition was not cold. */
static struct mb_sample cold_sample(unsigned rep, unsigned order, double wall, bool cold)
{
    struct mb_sample s;
    memset(&s, 0, sizeof s);
    s.rep = rep;
    s.order = order;
    s.phase = -1;
    s.passes = 1;
    set(&s, MB_F_WALL, wall);
    set(&s, MB_F_CPU, 550);
    set(&s, MB_F_USER, 0);
    set(&s, MB_F_SYS, 500);
    set(&s, MB_F_OS_CALLS, 0);
    set(&s, MB_F_OS_WRITE_CALLS, 0);
    set(&s, MB_F_STORAGE_BYTES, 4096);
    set(&s, MB_F_STORAGE_WRITE_BYTES, 0);
    set(&s, MB_F_CANCELLED_WRITE_BYTES, 0);
    set(&s, MB_F_STORAGE_OPS, 8);
    set(&s, MB_F_DEVICE_READS, 1);
    set(&s, MB_F_DEVICE_WRITES, 0);
    set(&s, MB_F_MAJOR, 1);
    set(&s, MB_F_MINOR, 0);
    set(&s, MB_F_RSS_ANON, 0);
    set(&s, MB_F_RSS_FILE, 4096);
    set(&s, MB_F_RSS_SHMEM, 0);
    set(&s, MB_F_RESIDENT_BEFORE, cold ? 0 : 1);
    set(&s, MB_F_FILE_PAGES, 1);
    s.cache_ok = cold;
    s.verified = true;
    finish(&s);
    return s;
}

/* Four passes per repetition: fractional and negative per-pass values, and
 * two counters unavailable. */
static struct mb_sample warm_sample(unsigned rep, unsigned order, double wall)
{
    struct mb_sample s;
    memset(&s, 0, sizeof s);
    s.rep = rep;
    s.order = order;
    s.phase = -1;
    s.passes = 4;
    set(&s, MB_F_WALL, wall);
    set(&s, MB_F_CPU, 251.5);
    set(&s, MB_F_USER, 100);
    set(&s, MB_F_SYS, 150.5);
    set(&s, MB_F_OS_CALLS, 3);
    set(&s, MB_F_OS_WRITE_CALLS, 0);
    set(&s, MB_F_STORAGE_WRITE_BYTES, 0);
    set(&s, MB_F_CANCELLED_WRITE_BYTES, 0);
    set(&s, MB_F_STORAGE_OPS, 0);
    set(&s, MB_F_MAJOR, 0);
    set(&s, MB_F_MINOR, 0.25);
    set(&s, MB_F_RSS_ANON, -1024); /* a gauge may fall */
    set(&s, MB_F_RSS_FILE, 0);
    set(&s, MB_F_RSS_SHMEM, 0);
    set(&s, MB_F_RESIDENT_BEFORE, 1);
    set(&s, MB_F_FILE_PAGES, 1);
    /* storage_bytes, device_reads and device_writes unavailable: garbage
     * underneath with the bit clear; a reporter must print none of them */
    s.v[MB_F_STORAGE_BYTES] = 0;
    s.v[MB_F_DEVICE_READS] = NAN;
    s.v[MB_F_DEVICE_WRITES] = 12345;
    s.cache_ok = true;
    s.verified = true;
    finish(&s);
    return s;
}

/* The phased case: one pass per repetition, phases fill and drop, the
 * total their sum, the custom counter on every row (the runner gives each
 * phase the pass's whole metric). */
static struct mb_sample phased_sample(unsigned rep, unsigned order, int phase, double wall)
{
    struct mb_sample s;
    memset(&s, 0, sizeof s);
    s.rep = rep;
    s.order = order;
    s.phase = phase;
    s.passes = 1;
    set(&s, MB_F_WALL, wall);
    set(&s, MB_F_CPU, wall - 10);
    set(&s, MB_F_MINOR, phase == 0 ? 1 : 0);
    set(&s, MB_F_WORK_BYTES, 4096);
    set(&s, MB_F_WORK_ITEMS, 1);
    s.metric[0] = 7;
    s.metric_valid = 1;
    s.cache_ok = true;
    s.verified = true;
    mb_sample_derive(&s);
    return s;
}

static int no_pass(struct mb_case *c, struct mb_pass *p)
{
    (void)c, (void)p;
    return 0;
}

static const struct mb_case_ops phased_ops = {.pass = no_pass};

static void phased_case(struct mb_case *c)
{
    mb_case_init(c, "phased", &phased_ops, NULL);
    int rc = mb_case_param(c, "size_bytes", "4096", true);
    rc = rc ? rc : mb_case_phase(c, "fill");
    rc = rc ? rc : mb_case_phase(c, "drop");
    rc = rc ? rc : mb_case_metric(c, "widgets");
    rc = rc ? rc : mb_case_work(c, 4096, 1, "page");
    if (rc) {
        fprintf(stderr, "fixture: %s\n", mb_last_error());
        abort();
    }
}

/* As the runner reports a case: its samples, then the summary of each
 * phase, then the total. */
static int feed(struct mb_reporter *r, struct mb_case *c, const struct mb_sample *s, size_t n)
{
    struct mb_summary sum;
    for (size_t i = 0; i < n; i++) {
        int rc = mb_report_sample(r, 1, c, &s[i]);
        if (rc)
            return rc;
    }
    for (int p = 0; p < (int)c->nphases; p++) {
        mb_summarize(s, n, p, &sum);
        int rc = mb_report_aggregate(r, 1, c, &sum);
        if (rc)
            return rc;
    }
    mb_summarize(s, n, -1, &sum);
    return mb_report_aggregate(r, 1, c, &sum);
}

int fixture_run(struct mb_reporter *r)
{
    enum { COLD, WARM, FAILED, PHASED, NCASES };
    static struct mb_case cases[NCASES];
    static struct mb_read_records rr[NCASES];
    records_case(&cases[COLD], &rr[COLD], &m_mmap, MB_CACHE_COLD, true);
    records_case(&cases[WARM], &rr[WARM], &m_read, MB_CACHE_WARM, false);
    records_case(&cases[FAILED], &rr[FAILED], &m_broken, MB_CACHE_WARM, false);
    cases[FAILED].status = MB_EVERIFY;
    snprintf(cases[FAILED].error, sizeof cases[FAILED].error, "%s", FIXTURE_ERROR);
    phased_case(&cases[PHASED]);

    /* Interleaved: the schedule's positions of each repetition. */
    const struct mb_sample cs[3] = {cold_sample(0, 0, 1000, true), cold_sample(1, 3, 1200, true),
                                    cold_sample(2, 4, 300, false)};
    const struct mb_sample ws[3] = {warm_sample(0, 1, 250.25), warm_sample(1, 2, 260.5),
                                    warm_sample(2, 5, 255.75)};
    int rc = mb_report_begin(r, 1, &info, cases, NCASES);
    rc = rc ? rc : feed(r, &cases[COLD], cs, 3);
    rc = rc ? rc : feed(r, &cases[WARM], ws, 3);
    rc = rc ? rc : feed(r, &cases[FAILED], NULL, 0);
    const struct mb_sample ps[6] = {phased_sample(0, 6, 0, 100),  phased_sample(0, 6, 1, 300),
                                    phased_sample(0, 6, -1, 400), phased_sample(1, 7, 0, 120),
                                    phased_sample(1, 7, 1, 330),  phased_sample(1, 7, -1, 450)};
    rc = rc ? rc : feed(r, &cases[PHASED], ps, 6);
    int rc2 = r->ops->end ? r->ops->end(r->st, rc == 0) : 0;
    return rc ? rc : rc2;
}

char *fixture_read(const char *dir, const char *name)
{
    char path[4096];
    uint8_t *buf;
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (mb_file_read_all(path, &buf, &len) != 0)
        return NULL;
    char *s = realloc(buf, len + 1);
    if (!s) {
        free(buf);
        return NULL;
    }
    s[len] = '\0';
    return s;
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

bool fixture_matches_golden(const char *dir, const char *name)
{
    char *got = fixture_read(dir, name);
    if (!got) {
        fprintf(stderr, "%s/%s was not written\n", dir, name);
        return false;
    }
    char golden[4096];
    snprintf(golden, sizeof golden, "%s/%s", MB_GOLDEN_DIR, name);
    if (getenv("MB_UPDATE_GOLDEN")) {
        bool ok = write_file(golden, got);
        fprintf(stderr, "updated %s\n", golden);
        free(got);
        return ok;
    }
    char *want = fixture_read(MB_GOLDEN_DIR, name);
    if (!want) {
        fprintf(stderr, "missing %s (run with MB_UPDATE_GOLDEN=1 to create it)\n", golden);
        free(got);
        return false;
    }
    bool same = strcmp(got, want) == 0;
    if (!same) {
        /* Point at the first differing line: a golden diff is read by humans. */
        size_t i = 0, start = 0, line = 1;
        for (; got[i] && got[i] == want[i]; i++)
            if (got[i] == '\n') {
                line++;
                start = i + 1;
            }
        fprintf(stderr, "%s differs from %s at line %zu:\n  got:  %.*s\n  want: %.*s\n", name,
                golden, line, (int)strcspn(got + start, "\n"), got + start,
                (int)strcspn(want + start, "\n"), want + start);
    }
    free(got);
    free(want);
    return same;
}

int fixture_reporter(const char *name, const char *dir, struct mb_reporter *r)
{
    const struct mb_format *f = mb_format_find(name);
    if (!f)
        return mb_fail(MB_EUSAGE, "no format %s", name);
    return f->create(r, dir, stdout);
}
