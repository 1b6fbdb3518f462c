/* The fixed run behind the golden-file tests (see report_fixture.h). Values
 * are chosen to reach every branch a reporter has: a counter that is
 * unavailable (NaN underneath, must come out empty / absent), a repetition
 * that missed its cache state, fractional per-pass values, and a failed case. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/runner.h"
#include "report_fixture.h"

#ifndef MB_GOLDEN_DIR
#error "MB_GOLDEN_DIR must name tests/golden"
#endif

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
};

static const char *const opt_names[] = {"records", "record-size", "out"};
static const char *const opt_values[] = {"3", "20", "my results"};

static const struct mb_run_info info = {
    .version = "0.1.0",
    .git_commit = "0123456789ab",
    .command_line = "mmbench run --suite records --records 3 --out 'my results'",
    .date = "2024-01-02T03:04:05+0000",
    .suite = "records",
    .env = &env,
    .timer_resolution_ns = 1,
    .timer_overhead_ns = 20.5,
    .reps = 3,
    .warmup = 1,
    .seed = 42,
    .opt_names = opt_names,
    .opt_values = opt_values,
    .nopts = 3,
};

static void init_case(struct mb_case *c, const struct mb_method *m, enum mb_cache cache,
                      bool ra_off)
{
    memset(c, 0, sizeof *c);
    c->suite = "records";
    c->method = m;
    c->cache = cache;
    c->readahead_off = ra_off;
    snprintf(c->name, sizeof c->name, "records/%s/cache:%s/readahead:%s", m->name,
             mb_cache_name(cache), ra_off ? "off" : "default");
    mb_case_set_param(c, "access", "sequential");
    mb_case_set_param(c, "records", "3");
    mb_case_set_param(c, "record_size_bytes", "20");
}

static struct mb_sample cold_sample(unsigned rep, double wall, bool cold)
{
    struct mb_sample s;
    memset(&s, 0, sizeof s);
    s.rep = rep;
    s.passes = 1;
    s.v[MB_F_WALL] = wall;
    s.v[MB_F_CPU] = 550;
    s.v[MB_F_USER] = 0;
    s.v[MB_F_SYS] = 500;
    s.v[MB_F_OS_CALLS] = 0;
    s.v[MB_F_STORAGE_BYTES] = 4096;
    s.v[MB_F_STORAGE_OPS] = 8;
    s.v[MB_F_DEVICE_READS] = 1;
    s.v[MB_F_MAJOR] = 1;
    s.v[MB_F_MINOR] = 0;
    s.valid = (1u << MB_F_COUNT) - 1;
    s.resident_before = cold ? 0 : 1;
    s.file_pages = 1;
    s.cache_ok = cold;
    s.checksum_ok = true;
    return s;
}

static struct mb_sample warm_sample(unsigned rep, double wall)
{
    struct mb_sample s;
    memset(&s, 0, sizeof s);
    s.rep = rep;
    s.passes = 4;
    s.v[MB_F_WALL] = wall;
    s.v[MB_F_CPU] = 251.5;
    s.v[MB_F_USER] = 100;
    s.v[MB_F_SYS] = 150.5;
    s.v[MB_F_OS_CALLS] = 3;
    s.v[MB_F_STORAGE_OPS] = 0;
    s.v[MB_F_MAJOR] = 0;
    s.v[MB_F_MINOR] = 0.25;
    /* storage_bytes and device_reads unavailable: 0 underneath (as the
     * runner leaves it) and garbage; a reporter must print neither */
    s.v[MB_F_STORAGE_BYTES] = 0;
    s.v[MB_F_DEVICE_READS] = NAN;
    s.valid = ((1u << MB_F_COUNT) - 1) & ~(1u << MB_F_STORAGE_BYTES) & ~(1u << MB_F_DEVICE_READS);
    s.resident_before = 1;
    s.file_pages = 1;
    s.cache_ok = true;
    s.checksum_ok = true;
    return s;
}

static int feed(struct mb_reporter *r, struct mb_case *c, const struct mb_sample *s, size_t n)
{
    struct mb_summary sum;
    mb_summarize(c, s, n, &sum);
    for (size_t i = 0; i < n; i++) {
        int rc = r->sample(r, c, &s[i]);
        if (rc)
            return rc;
    }
    return r->aggregate(r, c, &sum);
}

int fixture_run(struct mb_reporter *r)
{
    struct mb_case cold, warm, failed;
    init_case(&cold, &m_mmap, MB_CACHE_COLD, true);
    init_case(&warm, &m_read, MB_CACHE_WARM, false);
    init_case(&failed, &m_broken, MB_CACHE_WARM, false);
    failed.status = MB_EVERIFY;
    snprintf(failed.error, sizeof failed.error, "%s", FIXTURE_ERROR);

    const struct mb_sample cs[3] = {cold_sample(0, 1000, true), cold_sample(1, 1200, true),
                                    cold_sample(2, 300, false)};
    const struct mb_sample ws[3] = {warm_sample(0, 250.25), warm_sample(1, 260.5),
                                    warm_sample(2, 255.75)};
    int rc = r->begin(r, &info);
    rc = rc ? rc : feed(r, &cold, cs, 3);
    rc = rc ? rc : feed(r, &warm, ws, 3);
    rc = rc ? rc : feed(r, &failed, NULL, 0);
    int rc2 = r->end(r, rc == 0);
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
