/* Summaries: the statistics of one case's (or phase's) counted samples. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/case.h"

double mb_summary_get(const struct mb_summary *s, enum mb_field f, const char *stat)
{
    if (!s->n || !((s->valid >> f) & 1u))
        return NAN;
    for (size_t k = 0; k < MB_MAX_STATS; k++)
        if (strcmp(mb_stats[k].name, stat) == 0)
            return s->stat[f][k];
    return NAN;
}

static bool counts(const struct mb_sample *s)
{
    return s->cache_ok && s->verified;
}

/* Sorted values of field f (metric k when f < 0) over the counted samples
 * of `phase` into vals; returns how many. */
static size_t gather(const struct mb_sample *samples, size_t n, int phase, int f, int k,
                     double *vals)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const struct mb_sample *s = &samples[i];
        if (s->phase != phase || !counts(s))
            continue;
        if (f >= 0 ? mb_sample_has(s, (enum mb_field)f) : ((s->metric_valid >> k) & 1u))
            vals[m++] = f >= 0 ? s->v[f] : s->metric[k];
    }
    mb_sort(vals, m);
    return m;
}

void mb_summarize(const struct mb_sample *samples, size_t n, int phase, struct mb_summary *out)
{
    memset(out, 0, sizeof *out);
    out->phase = phase;
    mb_fieldset valid = ~(mb_fieldset)0;
    unsigned mvalid = ~0u;
    for (size_t i = 0; i < n; i++) {
        if (samples[i].phase != phase)
            continue;
        out->reps++;
        if (!samples[i].cache_ok)
            out->cache_misses++;
        if (counts(&samples[i])) {
            valid &= samples[i].valid;
            mvalid &= samples[i].metric_valid;
            out->n++;
        }
    }
    if (!out->n)
        return;
    out->valid = valid;
    out->metric_valid = mvalid & ((1u << MB_MAX_METRICS) - 1);
    double *vals = malloc(out->n * sizeof *vals);
    if (!vals) {
        out->valid = 0;
        out->metric_valid = 0;
        return;
    }
    for (int f = 0; f < MB_F_COUNT; f++) {
        if (!((valid >> f) & 1u))
            continue;
        size_t m = gather(samples, n, phase, f, 0, vals);
        for (size_t k = 0; k < MB_MAX_STATS; k++)
            out->stat[f][k] = mb_stats[k].fn(vals, m);
    }
    for (int k = 0; k < MB_MAX_METRICS; k++)
        if ((out->metric_valid >> k) & 1u)
            out->metric_median[k] = mb_stat_median(vals, gather(samples, n, phase, -1, k, vals));
    out->unstable = mb_summary_get(out, MB_F_WALL, "cv") > MB_CV_WARN;
    free(vals);
}
