/* Reporters: every output format receives the same samples and aggregates.
 * No reporter measures anything. */
#ifndef MMBENCH_REPORT_H
#define MMBENCH_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "case.h"
#include "platform.h"

/* What a run was, for the context / preamble of every output. */
struct mb_run_info {
    const char *version;        /* "0.1.0" */
    const char *git_commit;     /* "" when unknown */
    const char *command_line;
    const char *date;           /* ISO 8601, local time with offset */
    const char *suite;
    const struct mb_env *env;
    uint64_t timer_resolution_ns;
    double timer_overhead_ns;   /* median cost of one mb_now_ns() */
    unsigned reps, warmup;
    uint64_t seed;
    const char *const *opt_names;   /* effective options, for reproduction */
    const char *const *opt_values;
    size_t nopts;
};

struct mb_reporter {
    const char *name;
    void *state;
    /* Each returns 0 or an MB_E* code (with mb_fail). */
    int (*begin)(struct mb_reporter *r, const struct mb_run_info *info);
    int (*sample)(struct mb_reporter *r, const struct mb_case *c, const struct mb_sample *s);
    /* Called once per case after its samples; s->n == 0 and c->status != 0
     * when the case failed. */
    int (*aggregate)(struct mb_reporter *r, const struct mb_case *c, const struct mb_summary *s);
    /* Finishes: writes files to their temporary names and renames them into
     * place when `ok`; removes them when not. */
    int (*end)(struct mb_reporter *r, bool ok);
    /* Frees the reporter (and removes any temporary file left). */
    void (*destroy)(struct mb_reporter *r);
};

/* An aligned table on `out`, one row per case as it completes. */
struct mb_reporter *mb_reporter_console(FILE *out);

/* samples.csv (one row per measured repetition) and summary.csv (one row per
 * case) in directory `dir`. */
struct mb_reporter *mb_reporter_csv(const char *dir);

/* results.json in directory `dir`, Google Benchmark schema. */
struct mb_reporter *mb_reporter_json(const char *dir);

/* Formats a double for CSV / console: integers without a fraction, otherwise
 * up to 6 significant digits, always '.' decimals. Returns buf. */
char *mb_fmt_num(char *buf, size_t len, double v);

/* Opens `final_path`.tmp.<pid> for writing and registers it for cleanup.
 * On success *tmp_out is a malloc'd name. Returns the stream or NULL
 * (mb_fail set). Used by every file reporter. */
FILE *mb_report_open_tmp(const char *final_path, char **tmp_out);

/* Closes `f`; when `ok`, renames tmp into final_path, otherwise removes tmp.
 * Frees tmp. Returns 0 or MB_EENV. */
int mb_report_close_tmp(FILE *f, char *tmp, const char *final_path, bool ok);

#endif
