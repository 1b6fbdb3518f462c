/* Brackets around timed regions, and the calibration of their own cost. */
#include <stdlib.h>
#include <string.h>

#include "bracket.h"
#include "mmbench/stats.h"

/* The raw deltas of a bracket (no cost subtracted). */
static void close_raw(const struct mb_bracket *b, const struct mb_bracket_cost *cost, double *v,
                      mb_fieldset *valid)
{
    bool cpu_clock = cost->cpu_clock;
    uint64_t cpu1 = 0, t1;
    if (cpu_clock && cost->cpu_inside)
        mb_cpu_now_ns(&cpu1);
    t1 = mb_now_ns();
    if (cpu_clock && !cost->cpu_inside)
        mb_cpu_now_ns(&cpu1);
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

/* The fields a held clock is taken off: the held work ran on the CPU in
 * user space. */
static bool held_off(int f)
{
    return f == MB_F_WALL || f == MB_F_CPU || f == MB_F_USER;
}

void mb_bracket_close(const struct mb_bracket *b, const struct mb_bracket_cost *cost, double held,
                      double *acc, mb_fieldset *valid)
{
    double v[MB_F_COUNT];
    mb_fieldset got;
    close_raw(b, cost, v, &got);
    for (int f = 0; f < MB_F_COUNT; f++) {
        /* A gauge may fall; a count or a time never goes below zero. */
        if (((got >> f) & 1u) && mb_fields[f].source != MB_SRC_GAUGE) {
            double off = cost->v[f] + (held_off(f) ? held : 0);
            v[f] = v[f] > off ? v[f] - off : 0;
        }
    }
    /* A fine CPU clock's bracket lies inside the wall bracket, so raw CPU
     * time never exceeds raw wall time; the two costs taken off are
     * medians, and on one short pass their error can exceed the little
     * off-CPU time there is (a coarse clock's tick can exceed it too). One
     * thread cannot use more CPU time than the time that passed. */
    if (((got >> MB_F_CPU) & 1u) && v[MB_F_CPU] > v[MB_F_WALL])
        v[MB_F_CPU] = v[MB_F_WALL];
    for (int f = 0; f < MB_F_COUNT; f++)
        if ((got >> f) & 1u)
            acc[f] += v[f];
    *valid = got;
}

enum { CAL_ROUNDS = 31, POLLUTE_BYTES = 1 << 20 };

/* The smallest step the process CPU clock advances by (ns), found by
 * spinning until it moves, a few times, at most ~50 ms in all. */
static uint64_t cpu_clock_step(void)
{
    uint64_t best = UINT64_MAX;
    uint64_t deadline = mb_now_ns() + 50000000ull;
    for (int i = 0; i < 5 && mb_now_ns() < deadline; i++) {
        uint64_t a, b;
        mb_cpu_now_ns(&a);
        do
            mb_cpu_now_ns(&b);
        while (b == a && mb_now_ns() < deadline);
        if (b > a && b - a < best)
            best = b - a;
    }
    return best;
}

/* Below this step a CPU clock is fine enough to time a pass with. */
#define MB_FINE_CPU_CLOCK_NS 1000u

void mb_bracket_calibrate(struct mb_bracket_cost *cost)
{
    uint64_t probe;
    memset(cost, 0, sizeof *cost);
    cost->cpu_clock = mb_cpu_now_ns(&probe) == 0;
    cost->cpu_inside = cost->cpu_clock && cpu_clock_step() <= MB_FINE_CPU_CLOCK_NS;
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
        mb_bracket_open(&b, cost);
        close_raw(&b, cost, v, &got);
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
