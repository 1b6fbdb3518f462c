/* A case: one method on one workload in one cache and readahead state, run
 * for warm-up + N repetitions. Suites build cases; the runner fills results. */
#ifndef MMBENCH_CASE_H
#define MMBENCH_CASE_H

#include <stdbool.h>
#include <stddef.h>

#include "method.h"
#include "sample.h"
#include "stats.h"
#include "workload.h"

enum mb_cache { MB_CACHE_COLD, MB_CACHE_WARM };

#define MB_CASE_MAXPARAMS 8

/* A parameter that names the case's place in a series (a CSV column). */
struct mb_param_kv {
    const char *key;          /* static string: "access", "records", ... */
    char value[48];
};

struct mb_case {
    char name[192];           /* "records/mmap/cache:cold/readahead:off" */
    const char *suite;
    const struct mb_method *method;
    const struct mb_workload *w;
    enum mb_cache cache;
    bool readahead_off;
    struct mb_param_kv params[MB_CASE_MAXPARAMS];
    size_t nparams;
    /* filled by the runner */
    int status;               /* 0, MB_EVERIFY, MB_EENV, ... */
    char error[256];          /* what went wrong when status != 0 */
};

/* Aggregates of one case over its measured repetitions. stat[f][k] is
 * mb_stats[k] applied to field f over the `n` samples that count (checksum ok
 * and cache state verified). */
struct mb_summary {
    size_t n;                 /* samples that count */
    size_t reps;              /* measured repetitions run */
    size_t cache_misses;      /* repetitions not in the requested cache state */
    unsigned valid;           /* fields known in every counted sample */
    double stat[MB_F_COUNT][16];
    double resident_before_median; /* pages; -1 unknown */
    int64_t file_pages;
    bool unstable;            /* cv of wall_ns above MB_CV_WARN */
};

/* Returns the value of case parameter `key`, or NULL. */
const char *mb_case_param(const struct mb_case *c, const char *key);

/* Appends a parameter; returns 0 or MB_EUSAGE when full. */
int mb_case_set_param(struct mb_case *c, const char *key, const char *value);

/* "cold" / "warm". */
const char *mb_cache_name(enum mb_cache c);

/* Looks up stat `name` ("median", ...) of field f in s; NAN if unknown. */
double mb_summary_get(const struct mb_summary *s, enum mb_field f, const char *stat);

#endif
