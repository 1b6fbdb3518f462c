/* A bracket: the clocks and counters read around one timed region, nested
 * so that each measures as little of the others as possible:
 *   counters (CPU times last) | wall clock | CPU clock | timed region |
 *   CPU clock | wall clock | counters (CPU times first)
 * What the readings themselves add to each field is measured once per run
 * (mb_bracket_calibrate) and subtracted. Internal to the runner. */
#ifndef MMBENCH_CORE_BRACKET_H
#define MMBENCH_CORE_BRACKET_H

#include <stdbool.h>
#include <stdint.h>

#include "mmbench/platform.h"
#include "mmbench/sample.h"

struct mb_bracket {
    struct mb_counters c0;
    uint64_t t0, cpu0;
};

/* The part of each TIMER, COUNTER and GAUGE field a bracket adds by itself
 * (medians over many empty brackets taken between cache-polluting work). */
struct mb_bracket_cost {
    double v[MB_F_COUNT];
    bool cpu_clock;             /* the platform has a process CPU clock */
    /* The CPU clock is read inside the wall clock's bracket (it is fine,
     * as on Linux), or outside it (it advances in coarse ticks, as
     * GetProcessTimes does, and its slow reads would only blur short
     * wall times). */
    bool cpu_inside;
};

/* Measures what an empty bracket reads into *cost. */
void mb_bracket_calibrate(struct mb_bracket_cost *cost);

/* Reads counters, then the clocks (the finer one last): the timed region
 * starts on return. */
static inline void mb_bracket_open(struct mb_bracket *b, const struct mb_bracket_cost *cost)
{
    mb_counters_read(&b->c0, MB_COUNTERS_BEFORE);
    if (cost->cpu_clock && !cost->cpu_inside)
        mb_cpu_now_ns(&b->cpu0);
    b->t0 = mb_now_ns();
    if (cost->cpu_clock && cost->cpu_inside)
        mb_cpu_now_ns(&b->cpu0);
}

/* Ends the timed region opened in *b and adds what it measured, less the
 * bracket's own cost and `held` ns the region held its clock (taken off
 * its wall and CPU times), to acc[] (marking the fields known in *valid).
 * Fields that are not known on both sides stay unknown. */
void mb_bracket_close(const struct mb_bracket *b, const struct mb_bracket_cost *cost, double held,
                      double *acc, mb_fieldset *valid);

#endif
