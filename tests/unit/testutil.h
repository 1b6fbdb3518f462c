/* Helpers shared by the unit tests: private temporary directories, the
 * filesystem check that decides whether "cold" can be tested at all, a
 * reporter that records what the runner sends it, and a run through the
 * real file reporters. */
#ifndef MB_TESTUTIL_H
#define MB_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "mmbench/report.h"
#include "mmbench/runner.h"

/* ctest reads this exit code as "skipped" (SKIP_RETURN_CODE). */
#define MB_TEST_SKIP 77

/* Creates a new private directory "<parent>/mbtest-<tag>-XXXXXX" and returns
 * it (malloc'd), or NULL. */
char *tu_mkdtemp(const char *parent, const char *tag);

/* A private directory for a whole test group: tu_dir_setup makes it
 * (tu_dir, under the default scratch directory) and returns 0, or -1;
 * tu_dir_teardown removes it. Pass both to cmocka_run_group_tests. */
extern char *tu_dir;
int tu_dir_setup(void **state);
int tu_dir_teardown(void **state);

/* Removes the regular files directly inside `dir`, then `dir` itself. */
void tu_rmtree(const char *dir);

/* Number of entries in `dir` other than "." and ".."; -1 if unreadable. */
int tu_count_entries(const char *dir);

/* True if `dir` is on tmpfs or ramfs, where pages cannot be evicted. */
bool tu_is_memory_fs(const char *dir);

/* A reporter that keeps a copy of every case, sample and summary it gets. */
#define TU_MAX_CASES 16
#define TU_MAX_SAMPLES 64
struct tu_case_log {
    const struct mb_case *c;
    struct mb_sample s[TU_MAX_SAMPLES];
    size_t ns;
    struct mb_summary sum;                         /* the total (phase -1) */
    struct mb_summary phase_sum[MB_CASE_MAXPHASES]; /* by phase index */
    int aggregates;     /* how many times aggregate() was called */
    int status;         /* c->status when aggregate() was called */
};
struct tu_capture {
    struct mb_reporter r;
    struct tu_case_log log[TU_MAX_CASES];
    size_t n;
    bool began;         /* begin() was called */
    size_t begin_cases; /* with this many cases */
};

/* Initialises `cap` and returns its reporter (its state is `cap`). */
struct mb_reporter *tu_capture_init(struct tu_capture *cap);

/* The log of case `c`, or NULL if the reporter never heard of it. */
const struct tu_case_log *tu_capture_find(const struct tu_capture *cap, const struct mb_case *c);

/* A fixed description of a test run (its environment probed on `dir`),
 * for the reporters' begin(). Static storage. */
const struct mb_run_info *tu_run_info(const char *dir, const struct mb_run_config *cfg);

/* Runs cases[0..n) as `mmbench run` does: makes a reporter of every format
 * named in the comma-separated `formats` writing into `out`, begin(),
 * mb_run_cases, end(ok), destroy. Returns mb_run_cases' result, or a
 * reporter's error. */
int tu_run_with_formats(struct mb_case *cases, size_t n, const struct mb_run_config *cfg,
                        const char *formats, const char *out);

#endif
