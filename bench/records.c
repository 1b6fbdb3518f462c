/* The `records` suite (claim C5): N records of S bytes read by every method,
 * cold and warm, with readahead on and off. The article says 1,000 x 20-byte
 * records cost 1,000 I/O operations through fread/ReadFile and 5 page reads
 * through a mapping (20,000 / 4,096 rounds up to 5 pages). */
#include <stdio.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "mmbench/suite.h"

/* Files above this are refused: every pass also keeps a copy of every record
 * it delivered, to verify it. */
#define MAX_TOTAL (1ull << 30)

static int check_method(const char *item, char *valid, size_t vlen)
{
    if (mb_method_find(item))
        return 0;
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

static int add_case(struct mb_plan *plan, const struct mb_method *m, const struct mb_workload *w,
                    enum mb_cache cache, bool ra_off)
{
    struct mb_case *c = mb_plan_add_case(plan);
    if (!c)
        return mb_fail(MB_ENOMEM, "out of memory");
    c->suite = "records";
    c->method = m;
    c->w = w;
    c->cache = cache;
    c->readahead_off = ra_off;
    snprintf(c->name, sizeof c->name, "records/%s/cache:%s/readahead:%s%s", m->name,
             mb_cache_name(cache), ra_off ? "off" : "default",
             w->access == MB_ACCESS_RANDOM ? "/access:random" : "");
    char num[32];
    int rc = mb_case_set_param(c, "access", w->access == MB_ACCESS_RANDOM ? "random" : "sequential");
    snprintf(num, sizeof num, "%zu", w->nrecords);
    rc = rc ? rc : mb_case_set_param(c, "records", num);
    snprintf(num, sizeof num, "%zu", w->record_size);
    rc = rc ? rc : mb_case_set_param(c, "record_size_bytes", num);
    return rc;
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
    const char *cache = mb_opt_str(o, "cache"), *ra = mb_opt_str(o, "readahead");
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
    for (size_t i = 0; i < nm; i++) {
        if (methods && !mb_list_has(methods, all[i]->name))
            continue;
        for (int ci = 0; ci < 2; ci++) {
            enum mb_cache cs = ci == 0 ? MB_CACHE_COLD : MB_CACHE_WARM;
            if (strcmp(cache, "both") != 0 && strcmp(cache, mb_cache_name(cs)) != 0)
                continue;
            for (int ri = 0; ri < 2; ri++) {
                if (strcmp(ra, "both") != 0 && strcmp(ra, ri ? "off" : "default") != 0)
                    continue;
                if ((rc = add_case(plan, all[i], w, cs, ri == 1)) != 0)
                    return rc;
            }
        }
    }
    return 0;
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
