/* The runner: executes cases (warm-up + N repetitions each), sets and checks
 * the cache state, reads counters around the timed region, verifies what
 * each method delivered, and feeds samples and aggregates to the reporters. */
#ifndef MMBENCH_RUNNER_H
#define MMBENCH_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "report.h"

struct mb_run_config {
    unsigned reps;          /* measured repetitions per case (>= 1) */
    unsigned warmup;        /* discarded repetitions before them */
    uint64_t min_time_ns;   /* a warm repetition runs passes until it lasts this long */
    bool drop_caches;       /* fall back to dropping the whole page cache for cold reps */
};

/* Measures what one mb_now_ns() call costs (median of many back-to-back
 * calls), in ns. */
double mb_timer_overhead_ns(void);

/* Runs every case in order, sending each sample and summary to every
 * reporter. A failing case (verification, environment) is recorded in
 * case->status and the run goes on; so is a case the platform cannot run
 * (MB_EUNSUPPORTED: e.g. cold where residency cannot be checked), which does
 * not count as failed. Returns 0 when every case passed or was unsupported, 1
 * when some failed, MB_EINTR when interrupted, or an MB_E* code when a
 * reporter failed. */
int mb_run_cases(struct mb_case *cases, size_t n, const struct mb_run_config *cfg,
                 struct mb_reporter *const *reporters, size_t nrep);

/* Computes the summary of `n` samples of case `c` (pure; exposed for tests). */
void mb_summarize(const struct mb_case *c, const struct mb_sample *samples, size_t n,
                  struct mb_summary *out);

#endif
