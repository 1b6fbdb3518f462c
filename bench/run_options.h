/* `mmbench run`'s command line, parsed and validated as one step that
 * creates nothing, so that every usage error ends the run (exit 2) before
 * a file or directory exists, and so that a fuzzer can drive it. */
#ifndef MMBENCH_RUN_OPTIONS_H
#define MMBENCH_RUN_OPTIONS_H

#include <stdbool.h>
#include <time.h>

#include "mmbench/options.h"
#include "mmbench/result_set.h"
#include "mmbench/suite.h"

struct mb_run_request {
    const struct mb_suite *suite;  /* NULL when --help came without --suite */
    struct mb_options o;           /* every option, defaults filled in, --dir set */
    bool help;                     /* --help: print the options, run nothing */
    char out[MB_PATH_MAX];         /* --out, or results/YYYYMMDD-HHMMSS */
    bool files;                    /* csv or json requested: --out is written */
    long cpu;                      /* --cpu, or -1 for none */
};

/* Parses and validates `mmbench run` arguments (argv[0] is the first
 * option) into *rq, with `now` naming the default --out. Reads the
 * filesystem (does --dir exist, is --out free) but creates, changes and
 * locks nothing. Returns 0; MB_EUSAGE with a one-line message
 * (mb_last_error) for a command line the user must change; MB_EUNSUPPORTED
 * when the suite cannot run on this platform; MB_ENOMEM. Call
 * mb_run_request_free() in every case. */
int mb_run_parse(struct mb_run_request *rq, int argc, char **argv, time_t now);

/* Frees what mb_run_parse() allocated; safe on a zeroed request. */
void mb_run_request_free(struct mb_run_request *rq);

/* Names the suites of this build ("records, sweep") into buf. */
void mb_suite_names(char *buf, size_t len);

#endif
