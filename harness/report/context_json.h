/* Internal to the JSON reporter. */
#ifndef MMBENCH_REPORT_CONTEXT_JSON_H
#define MMBENCH_REPORT_CONTEXT_JSON_H

#include <jansson.h>

#include "mmbench/report.h"

/* Returns a new JSON object (caller owns the reference) with every field
 * Google Benchmark's context carries and mmbench's own: version, commit,
 * command line, machine, filesystem, page size and allocation granularity,
 * THP, readahead, timer, options. */
json_t *mb_json_context(const struct mb_run_info *in);

#endif
