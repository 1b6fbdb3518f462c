/* One measured repetition of one case (or of one phase of it), and the
 * table of its fields, expanded from fields.def. */
#ifndef MMBENCH_SAMPLE_H
#define MMBENCH_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mb_field {
#define MB_FIELD(id, name, unit, source, stats, console, derive, help) MB_F_##id,
#include "fields.def"
#undef MB_FIELD
    MB_F_COUNT
};

/* Where a field's value comes from (fields.def explains each). */
enum mb_field_source {
    MB_SRC_TIMER,
    MB_SRC_COUNTER,
    MB_SRC_GAUGE,
    MB_SRC_WORK,
    MB_SRC_CACHE,
    MB_SRC_DERIVED
};

/* Which statistics a summary keeps for a field. */
enum mb_field_stats { MB_STATS_ALL, MB_STATS_MEDIAN };

struct mb_field_info {
    const char *name;           /* CSV column / JSON key, unit in the name */
    const char *unit;
    enum mb_field_source source;
    enum mb_field_stats stats;
    const char *console;        /* console column header, or NULL */
    int num, den;               /* DERIVED: scale * v[num] / v[den]; else -1 */
    double scale;
    const char *help;           /* one line for README, --help and list */
};

/* The table, indexed by enum mb_field. */
extern const struct mb_field_info mb_fields[MB_F_COUNT];

/* A bit set of fields (MB_F_COUNT <= 64). */
typedef uint64_t mb_fieldset;
#define MB_FIELD_BIT(f) ((mb_fieldset)1 << (f))

/* The most custom metrics (suite-defined values, named by the case) a case
 * may declare. */
#define MB_MAX_METRICS 4

/* A repetition's values are per pass: a warm repetition may repeat the
 * case's pass `passes` times to last long enough to time (as Google
 * Benchmark's iterations do), and every figure is divided by that count.
 * A phased case yields one sample per phase and one for its total
 * (phase == -1); an unphased case yields one sample with phase == -1. */
struct mb_sample {
    unsigned rep;               /* 0-based index among the case's measured repetitions */
    unsigned order;             /* 0-based position of the repetition in the run's schedule */
    int phase;                  /* index into the case's phases, or -1 for the whole pass */
    uint64_t passes;
    double v[MB_F_COUNT];       /* per-pass values */
    mb_fieldset valid;          /* bit set when v[field] is known */
    double metric[MB_MAX_METRICS]; /* the case's custom metrics, per pass */
    unsigned metric_valid;      /* bit k set when metric[k] is known */
    bool cache_ok;              /* the requested cache state was verified */
    bool verified;              /* the case verified what every pass delivered */
};

/* True if field `f` of `s` holds a measured value. */
static inline bool mb_sample_has(const struct mb_sample *s, enum mb_field f)
{
    return (s->valid >> f) & 1u;
}

/* Sets field `f` of `s` to `v` and marks it known. */
static inline void mb_sample_set(struct mb_sample *s, enum mb_field f, double v)
{
    s->v[f] = v;
    s->valid |= MB_FIELD_BIT(f);
}

/* Computes every DERIVED field of `s` whose inputs are known (and whose
 * denominator is not 0). */
void mb_sample_derive(struct mb_sample *s);

/* Returns the field named `name`, or -1. */
int mb_field_find(const char *name);

#endif
