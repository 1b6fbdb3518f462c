/* Brackets around timed regions, and the calibration of their own cost. */
#include <stdlib.h>
#include <string.h>

#include "bracket.h"
#include "mmbench/stats.h"

/* The raw deltas of a bracket (no cost subtracted). */
static void close_raw(const struct mb_bracket *b, bool cpu_clock, double *v, mb_fieldset *valid)
{
    uint64_t cpu1 = 0;
    if (cpu_clock)
        mb_cpu_now_ns(&cpu1);
    uint64_t t1 = mb_now_ns();
    struct mb_counters c1;
    mb_counters_read(&c1, MB_COUNTERS_AFTER);

    *valid = MB_FIELD_BIT(MB_F_WALL) | (cpu_clock ? MB_FIELD_BIT(MB_F_CPU) : 0);
    v[MB_F_WALL] = (double)(t1 - b->t0);
    v[MB_F_CPU] = cpu_clock ? (double)(cpu1 - b->cpu0) : 0;
    mb_fieldset both = b->c0.valid & c1.valid;
    for (int f = 0; f < MB_F_COUNT; f++) {
        enum mb_field_source src = mb_fields[f].source;
        if ((src != MB_SRC_COUNTER && src != MB_SRC_GAUGE) || !((both >> f) & 1u))
            continue;
        v[f] = c1.v[f] - b->c0.v[f];
        *valid |= MB_FIELD_BIT(f);
    }
}

void mb_bracket_close(const struct mb_bracket *b, const struct mb_bracket_cost *cost, double *acc,
                      mb_fieldset *valid)
{
    double v[MB_F_COUNT];
    mb_fieldset got;
    close_raw(b, cost->cpu_clock, v, &got);
    for (int f = 0; f < MB_F_COUNT; f++) {
        /* A gauge may fall; a count or a time never goes below zero. */
        if (((got >> f) & 1u) && mb_fields[f].source != MB_SRC_GAUGE)
            v[f] = v[f] > cost->v[f] ? v[f] - cost->v[f] : 0;
    }
    /* The CPU bracket lies inside the wall bracket, so raw CPU time never
     * exceeds raw wall time; the two costs taken off are medians, and on one
     * short pass their error can exceed the little off-CPU time there is.
     * One thread cannot use more CPU time than the time that passed. */
    if (((got >> MB_F_CPU) & 1u) && v[MB_F_CPU] > v[MB_F_WALL])
        v[MB_F_CPU] = v[MB_F_WALL];
    for (int f = 0; f < MB_F_COUNT; f++)
        if ((got >> f) & 1u)
            acc[f] += v[f];
    *valid = got;
}

enum { CAL_ROUNDS = 31, POLLUTE_BYTES = 1 << 20 };

void mb_bracket_calibrate(struct mb_bracket_cost *cost)
{
    uint64_t probe;
    memset(cost, 0, sizeof *cost);
    cost->cpu_clock = mb_cpu_now_ns(&probe) == 0;
    /* Realistic conditions: between brackets a timed body runs and evicts
     * what the readings keep in the caches, so the bracket is measured cold
     * in the same way, and the median, not the luckiest reading, is kept. */
    volatile unsigned char *junk = malloc(POLLUTE_BYTES);
    static double d[MB_F_COUNT][CAL_ROUNDS];
    mb_fieldset known = ~(mb_fieldset)0;
    for (int r = 0; r < CAL_ROUNDS; r++) {
        for (size_t i = 0; junk && i < POLLUTE_BYTES; i += 64)
            junk[i] = (unsigned char)(junk[i] + 1);
        struct mb_bracket b;
        double v[MB_F_COUNT];
        mb_fieldset got;
        mb_bracket_open(&b, cost->cpu_clock);
        close_raw(&b, cost->cpu_clock, v, &got);
        known &= got;
        for (int f = 0; f < MB_F_COUNT; f++)
            d[f][r] = v[f];
    }
    free((void *)junk);
    for (int f = 0; f < MB_F_COUNT; f++) {
        if (!((known >> f) & 1u) || mb_fields[f].source == MB_SRC_GAUGE)
            continue;
        mb_sort(d[f], CAL_ROUNDS);
        cost->v[f] = mb_stat_median(d[f], CAL_ROUNDS);
    }
}
