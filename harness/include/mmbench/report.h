/* Reporters: every output format receives the same cases, samples and
 * summaries, in the same order. No reporter measures anything. */
#ifndef MMBENCH_REPORT_H
#define MMBENCH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "case.h"
#include "platform.h"

/* What a run was, for the context / preamble of every output. */
struct mb_run_info {
    const char *version;        /* "0.1.0" */
    const char *git_commit;     /* "" when unknown */
    const char *build_type;     /* CMAKE_BUILD_TYPE of this binary */
    const char *command_line;
    const char *date;           /* ISO 8601, local time with offset */
    const char *suite;
    const struct mb_env *env;
    uint64_t timer_resolution_ns;
    double timer_overhead_ns;   /* median cost of one mb_now_ns() */
    unsigned reps, warmup;
    uint64_t seed;
    bool interleaved;
    const char *const *opt_names;   /* effective options, for reproduction */
    const char *const *opt_values;
    size_t nopts;
};

/* The hooks of one output format. Every hook but destroy is optional (NULL);
 * each returns 0 or an MB_E* code with mb_fail(). */
struct mb_reporter_ops {
    const char *name;
    /* Before anything else, with every case the run will report. */
    int (*begin)(void *st, const struct mb_run_info *info, const struct mb_case *cases,
                 size_t ncases);
    /* One sample of case c (cases in plan order, then repetition, then phase). */
    int (*sample)(void *st, const struct mb_case *c, const struct mb_sample *s);
    /* The summary of one phase (or the total, s->phase == -1) of case c,
     * after its samples; c->status != 0 and s->n == 0 when it failed. */
    int (*aggregate)(void *st, const struct mb_case *c, const struct mb_summary *s);
    /* Finishes the output: writes it into place when `ok`, discards it when not. */
    int (*end)(void *st, bool ok);
    /* Frees the state, removing any temporary file left. Required. */
    void (*destroy)(void *st);
};

struct mb_reporter {
    const struct mb_reporter_ops *ops;
    void *st;
};

/* An output format --format can name: whether it writes files into the
 * results directory, and how to make one. create() returns 0 and fills *r,
 * or MB_ENOMEM. `dir` is the results directory, `console` the stream a
 * console format writes to. */
struct mb_format {
    const char *name;
    bool writes_files;
    int (*create)(struct mb_reporter *r, const char *dir, FILE *console);
};

/* The formats of this build, in --format order; *n receives the count. */
const struct mb_format *mb_formats(size_t *n);

/* Returns the format named `name`, or NULL. */
const struct mb_format *mb_format_find(const char *name);

/* Calls ops->begin (etc.) of every reporter in r[0..n) that has the hook,
 * stopping at the first error, which is returned. */
int mb_report_begin(const struct mb_reporter *r, size_t n, const struct mb_run_info *info,
                    const struct mb_case *cases, size_t ncases);
int mb_report_sample(const struct mb_reporter *r, size_t n, const struct mb_case *c,
                     const struct mb_sample *s);
int mb_report_aggregate(const struct mb_reporter *r, size_t n, const struct mb_case *c,
                        const struct mb_summary *s);

/* The name of a case's entry for phase `phase` (-1: the case's own name) in
 * buf: "<case name>/phase:<phase name>". Returns buf. */
char *mb_entry_name(const struct mb_case *c, int phase, char *buf, size_t len);

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
