/* One repetition of one case: prepare, cache state and its check, the
 * timed passes in batches (or phases) inside the fault guard, verification
 * of every pass, release. Internal to the runner. */
#ifndef MMBENCH_CORE_REPETITION_H
#define MMBENCH_CORE_REPETITION_H

#include <stdbool.h>
#include <stdint.h>

#include "bracket.h"
#include "mmbench/case.h"

struct mb_rep_env {
    const struct mb_bracket_cost *cost;
    bool drop_caches;           /* --drop-caches: fall back to dropping the whole page cache */
};

/* Runs one repetition of `passes` passes (1 for a single-pass case) into
 * out[0 .. c->nphases] (the phases, then the total; out[0] alone when the
 * case has none). Returns 0 (the samples say whether the cache state held
 * and the pass verified) or the first hook's or the environment's error. */
int mb_rep_run(struct mb_case *c, const struct mb_rep_env *env, uint64_t passes,
               struct mb_sample *out);

/* How many passes a repetition of a repeatable case needs to last
 * `min_time_ns`: set from the fastest of a few single passes (one pass
 * alone may be slowed by whatever ran before). *passes is 1 for a
 * single-pass case. Returns 0 or the repetition's error. */
int mb_rep_calibrate(struct mb_case *c, const struct mb_rep_env *env, uint64_t min_time_ns,
                     uint64_t *passes);

#endif
