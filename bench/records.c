/* The `records` suite (claim C5): N records of S bytes read by every method,
 * cold and warm, with readahead on and off. The article says 1,000 x 20-byte
 * records cost 1,000 I/O operations through fread/ReadFile and 5 page reads
 * through a mapping (20,000 / 4,096 rounds up to 5 pages). */
#include <stdio.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "mmbench/read_records.h"
#include "mmbench/suite.h"

/* Files above this are refused: a pass delivers a copy of every record into
 * a buffer of its own, and the workload keeps the expected bytes to verify
 * them. */
#define MAX_TOTAL (1ull << 30)

static int check_method(const char *item, char *valid, size_t vlen)
{
    if (mb_method_find(item))
        return 0;
    const char *why = mb_method_elsewhere(item);
    if (why) {
        snprintf(valid, vlen, "unsupported on this platform: %s", why);
        return MB_EUNSUPPORTED;
    }
    mb_method_names(valid, vlen);
    return MB_EUSAGE;
}

static const struct mb_opt records_opts[] = {
    {"records", MB_OPT_COUNT, "1000", "number of records", NULL, 1, 100000000, NULL},
    {"record-size", MB_OPT_SIZE, "20", "bytes per record", NULL, 1, 64ull << 20, NULL},
    {"methods", MB_OPT_LIST, NULL, "access methods to run (default: all of this platform's)",
     NULL, 0, 0, check_method},
    {"cache", MB_OPT_CHOICE, "both", "page-cache state before the timed region", "cold|warm|both",
     0, 0, NULL},
    {"readahead", MB_OPT_CHOICE, "both", "kernel readahead: as configured, or off (FADV/MADV_RANDOM)",
     "default|off|both", 0, 0, NULL},
    {"access", MB_OPT_CHOICE, "sequential", "record order; random is a seeded permutation",
     "sequential|random", 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

static int add_case(struct mb_plan *plan, const struct mb_method *m, struct mb_workload *w,
                    enum mb_cache cache, bool ra_off)
{
    struct mb_case *c = mb_plan_add_case(plan);
    struct mb_read_records *rr = mb_plan_alloc(plan, sizeof *rr);
    if (!c || !rr)
        return mb_fail(MB_ENOMEM, "out of memory");
    return mb_read_records_case(c, "records", rr, m, w, cache, ra_off);
}

/* The cases of one method: cold then warm, readahead default then off, as
 * --cache and --readahead select. */
static int add_method(struct mb_plan *plan, const struct mb_options *o, const struct mb_method *m,
                      struct mb_workload *w)
{
    const char *cache = mb_opt_str(o, "cache"), *ra = mb_opt_str(o, "readahead");
    static const enum mb_cache states[] = {MB_CACHE_COLD, MB_CACHE_WARM};
    for (size_t ci = 0; ci < 2; ci++) {
        if (strcmp(cache, "both") != 0 && strcmp(cache, mb_cache_name(states[ci])) != 0)
            continue;
        for (int off = 0; off < 2; off++) {
            if (strcmp(ra, "both") != 0 && strcmp(ra, off ? "off" : "default") != 0)
                continue;
            int rc = add_case(plan, m, w, states[ci], off == 1);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int records_build(const struct mb_options *o, struct mb_plan *plan)
{
    uint64_t n = mb_opt_num(o, "records"), size = mb_opt_num(o, "record-size");
    if (n * size > MAX_TOTAL || n > MAX_TOTAL || size > MAX_TOTAL)
        return mb_fail(MB_EUSAGE,
                       "--records %llu x --record-size %llu is %llu bytes; the records suite "
                       "takes at most 1 GiB",
                       (unsigned long long)n, (unsigned long long)size,
                       (unsigned long long)(n * size));
    const char *methods = mb_opt_str(o, "methods");
    enum mb_access access =
        strcmp(mb_opt_str(o, "access"), "random") == 0 ? MB_ACCESS_RANDOM : MB_ACCESS_SEQUENTIAL;

    struct mb_workload *w = mb_plan_add_workload(plan);
    if (!w)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = mb_workload_create(w, mb_opt_str(o, "dir"), "records", (size_t)n, (size_t)size,
                                access, mb_opt_num(o, "seed"));
    if (rc)
        return rc;

    size_t nm;
    const struct mb_method *const *all = mb_methods(&nm);
    for (size_t i = 0; i < nm && !rc; i++)
        if (!methods || mb_list_has(methods, all[i]->name))
            rc = add_method(plan, o, all[i], w);
    return rc;
}

const struct mb_suite mb_suite_records = {
    .name = "records",
    .help = "N records of S bytes through every access method, cold and warm, readahead on/off",
    .claims = "C5",
    .opts = records_opts,
    .supported = NULL,
    .build = records_build,
    .plot = "plot-records",
    .plot_outputs = (const char *const[]){"records.svg", "records.png", NULL},
};
