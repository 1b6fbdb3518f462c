/* The runner: executes the cases of a plan (warm-up + N repetitions each,
 * interleaved in a seeded random order), sets and checks each case's cache
 * state, reads the clocks and counters around the timed region, has every
 * pass verified, and hands samples and summaries to the reporters. */
#ifndef MMBENCH_RUNNER_H
#define MMBENCH_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "report.h"

/* Where a run stands, for a progress display. */
struct mb_progress {
    size_t done, total;         /* measured repetitions finished / scheduled */
    const struct mb_case *c;    /* the case of the repetition just finished */
    size_t case_index, ncases;  /* its place in the plan */
    unsigned rep, reps;         /* its repetition, of its count */
    bool case_finished;         /* this was the case's last repetition (or it failed) */
    uint64_t elapsed_ns;        /* since the schedule started */
};

struct mb_run_config {
    unsigned reps;              /* measured repetitions per case (>= 1) */
    unsigned warmup;            /* discarded repetitions before each measured one */
    /* Untimed repetitions of the repeatable cases before the first measured
     * one, for at least this long: the first repetitions of a run were
     * otherwise up to twice as slow (CPU clock and caches coming up). */
    uint64_t warmup_run_ns;
    uint64_t min_time_ns;       /* a repeatable repetition runs passes until it lasts this long */
    bool drop_caches;           /* fall back to dropping the whole page cache for cold reps */
    bool interleave;            /* run the repetitions of all cases in a seeded random order */
    uint64_t seed;              /* of that order */
    /* Called after each measured repetition; NULL for none. */
    void (*progress)(void *arg, const struct mb_progress *p);
    void *progress_arg;
};

/* Measures what one mb_now_ns() call costs (median of many back-to-back
 * calls), in ns. */
double mb_timer_overhead_ns(void);

/* Runs every case of cases[0..n), sends its samples (in case, then
 * repetition, then phase order) and summaries to every reporter, and
 * tears every case down. A failing case (verification, environment) is
 * recorded in case->status and the run goes on; so is a case the platform
 * cannot run (MB_EUNSUPPORTED), which does not count as failed. A case
 * whose status is already set when called is not run, only reported with
 * that status and error (an unsupported one does not fail). Returns 0
 * when every case passed or was unsupported, 1 when some failed, MB_EINTR
 * when interrupted (nothing reported), MB_ENOMEM, or a reporter's error. */
int mb_run_cases(struct mb_case *cases, size_t n, const struct mb_run_config *cfg,
                 const struct mb_reporter *reporters, size_t nrep);

#endif
