/* A case: one piece of timed work a suite defines (its hooks), its
 * parameters, the cache state its file must be in, and what one pass does.
 * The runner owns everything around the hooks: repetitions, warm-up,
 * interleaving, the cache state and its check, clocks, counters, fault
 * guard, statistics and reporters. */
#ifndef MMBENCH_CASE_H
#define MMBENCH_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample.h"
#include "stats.h"

/* The page-cache state a case asks for before each repetition. */
enum mb_cache {
    MB_CACHE_ANY,   /* no file, or its state does not matter: nothing is set or checked */
    MB_CACHE_COLD,  /* none of the file's pages resident */
    MB_CACHE_WARM   /* every page of the file resident */
};

struct mb_case;
struct mb_phase_clock; /* the runner's, opaque to suites */

/* Handed to a case's timed pass: which slot of the batch it fills, and the
 * phase clock. */
struct mb_pass {
    size_t slot;                /* 0 .. batch - 1: the pass's place in the current batch */
    struct mb_phase_clock *phases; /* NULL unless the case declares phases */
    double *metric;             /* the case's custom metrics; the pass adds to them */
    double *counted;            /* fields the pass counts itself (mb_pass_count) */
    mb_fieldset *counted_set;
    double *held;               /* ns the pass held its clock (mb_pass_hold); NULL: untimed */
    uint64_t hold_t0;           /* when the current hold began; 0: none */
};

/* Stops the pass's clock until mb_pass_resume, so that work which is not
 * what the pass measures (checking a buffer of delivered bytes before it
 * is reused) counts in neither its wall nor its CPU time. Only the wall
 * clock is read (a CPU clock is a system call, dearer than a small check),
 * and the held time is taken off the CPU times too: exact while the thread
 * keeps its CPU, as checking memory does. What is held must make no system
 * call and no fault, whose counts are not held. A hold outside a timed pass,
 * or a second hold before a resume, does nothing. */
void mb_pass_hold(struct mb_pass *p);

/* Restarts the clock that mb_pass_hold stopped; nothing without a hold. */
void mb_pass_resume(struct mb_pass *p);

/* Adds `v` to field `f` as counted by the pass itself: used where the
 * platform cannot count it (Win32 methods count their read calls). */
static inline void mb_pass_count(struct mb_pass *p, enum mb_field f, double v)
{
    p->counted[f] += v;
    *p->counted_set |= MB_FIELD_BIT(f);
}

/* The hooks of a case. Only `pass` is required and only `pass` is timed.
 * Each returns 0 or an MB_E* code with mb_fail(): MB_EVERIFY (wrong result),
 * MB_EENV (the OS refused), MB_EUNSUPPORTED (cannot run here), MB_ENOMEM. */
struct mb_case_ops {
    /* Once, before the case's first repetition (its file, buffers). A
     * setup that fails releases what it made: teardown runs only after a
     * setup that succeeded. */
    int (*setup)(struct mb_case *c);
    /* Before each repetition, before the cache state is set. */
    int (*prepare)(struct mb_case *c);
    /* One pass of the timed work. A warm repetition calls it up to
     * c->batch times back to back in one timed region. */
    int (*pass)(struct mb_case *c, struct mb_pass *p);
    /* After a batch, untimed, for each of its passes: checks what the pass
     * in slot p->slot delivered (MB_EVERIFY when wrong) and readies the slot
     * for reuse. A figure read after the pass (machine state, what other
     * processes did) is added to p->metric: it counts for the pass (in a
     * phased case, for its last phase). */
    int (*verify)(struct mb_case *c, struct mb_pass *p);
    /* After each repetition, even a failed one: releases what prepare() and
     * a pass that failed half-way hold. */
    void (*release)(struct mb_case *c);
    /* Once, after the last repetition or when the case is dropped. */
    void (*teardown)(struct mb_case *c);
};

#define MB_CASE_MAXPARAMS 12
#define MB_CASE_MAXPHASES 8

/* A parameter: a CSV column and a part of the JSON name ("key:value"). */
struct mb_param_kv {
    const char *key;            /* static string, snake_case: "method", "cache", "size_bytes" */
    char value[48];
    bool in_name;               /* also appended to the case name */
};

struct mb_case {
    char name[192];             /* "suite/part/key:value/..." */
    const char *suite;
    const struct mb_case_ops *ops;
    void *data;                 /* the suite's, handed back to every hook */
    struct mb_param_kv params[MB_CASE_MAXPARAMS];
    size_t nparams;
    /* The cache state the runner sets and checks before each repetition,
     * on `cache_path` (which the case does not own; a case whose file is
     * made in setup() sets it there). */
    enum mb_cache cache;
    const char *cache_path;
    /* A pass reads no file in its timed region (the in-memory floor), so a
     * cold or warm label holds by construction where residency cannot be
     * checked. */
    bool cache_irrelevant;
    /* Set by prepare() when a pass reads around the OS cache where the
     * platform cannot check residency (Win32 FILE_FLAG_NO_BUFFERING): cold
     * by construction. */
    bool uncached;
    /* Named phases of a pass, timed each on its own (mb_phase_next); 0 for
     * one timed region. A phased case runs one pass per repetition. */
    const char *phases[MB_CASE_MAXPHASES];
    size_t nphases;
    /* Custom metrics the pass adds to (p->metric[k]): suite-defined values
     * reported per pass next to the counters ("lost_entries"). */
    const char *metrics[MB_MAX_METRICS];
    size_t nmetrics;
    /* How many passes may run back to back before verify() must see them
     * (slots of the case's delivery buffer); 0 or 1: one. */
    size_t batch;
    /* Always one pass per repetition (a cold cache state implies it). */
    bool single_pass;
    /* The pass's work runs in other processes (a program started and timed
     * by another tool), which the runner's clocks and counters do not see:
     * only what the pass counts (mb_pass_count, wall_ns included) is
     * reported. Set single_pass with it. */
    bool measured_by_pass;
    /* What one pass does, for throughput and cost per item; < 0 unknown. */
    double work_bytes, work_items;
    /* What the case observed that its figures do not say, in words, set by
     * its own hooks (a fault it provoked and caught); the console prints it
     * under the case's row, summary.csv's note column and the JSON entries'
     * "label" carry it. Empty for none. */
    char note[160];
    /* Filled by the runner. */
    int status;                 /* 0, MB_EVERIFY, MB_EENV, MB_EUNSUPPORTED, ... */
    char error[256];            /* what went wrong when status != 0 */
};

/* Ends the current phase of a phased pass and starts the next one; phase 0
 * starts with the pass and the last one ends with it. A pass that calls it
 * more or fewer times than its case has phases, less one, fails. */
void mb_phase_next(struct mb_pass *p);

/* Resets `c` to an empty case of `suite` whose timed work is `ops` (with
 * `data` handed to each hook), no parameters, MB_CACHE_ANY and unknown work. */
void mb_case_init(struct mb_case *c, const char *suite, const struct mb_case_ops *ops, void *data);

/* Appends parameter key=value; when `in_name`, "/key:value" (or "/value"
 * for key "method") is appended to the name as well. Returns 0, or MB_EUSAGE
 * when the table is full or the value or name would be cut. */
int mb_case_param(struct mb_case *c, const char *key, const char *value, bool in_name);

/* Returns the value of parameter `key`, or NULL. */
const char *mb_case_get(const struct mb_case *c, const char *key);

/* Asks for cache state `state` of the file at `path` before each
 * repetition and adds the "cache" parameter (in the name). Returns as
 * mb_case_param(). */
int mb_case_cache(struct mb_case *c, enum mb_cache state, const char *path);

/* Declares what one pass does: `bytes` useful bytes and `items` items named
 * `item` ("record", "page"), which adds the "item" parameter. Returns as
 * mb_case_param(). */
int mb_case_work(struct mb_case *c, double bytes, double items, const char *item);

/* Declares phase `name` (static) as the next phase. Returns 0 or MB_EUSAGE. */
int mb_case_phase(struct mb_case *c, const char *name);

/* Declares custom metric `name` (static, snake_case with its unit) as the
 * next metric. Returns 0 or MB_EUSAGE. */
int mb_case_metric(struct mb_case *c, const char *name);

/* "any" / "cold" / "warm". */
const char *mb_cache_name(enum mb_cache c);

/* Aggregates of one case (or one phase of it) over its measured
 * repetitions. stat[f][k] is mb_stats[k] of field f over the `n` samples
 * that count (verified and in the requested cache state). */
struct mb_summary {
    int phase;                  /* as in mb_sample */
    size_t n;                   /* samples that count */
    size_t reps;                /* measured repetitions run */
    size_t cache_misses;        /* repetitions not in the requested cache state */
    mb_fieldset valid;          /* fields known in every counted sample */
    double stat[MB_F_COUNT][MB_MAX_STATS];
    double metric_median[MB_MAX_METRICS];
    unsigned metric_valid;
    bool unstable;              /* cv of wall_ns above MB_CV_WARN */
};

/* Looks up stat `name` ("median", ...) of field f in s; NAN if unknown. */
double mb_summary_get(const struct mb_summary *s, enum mb_field f, const char *stat);

/* Computes the summary of phase `phase` from the `n` samples of one case
 * (samples of other phases are skipped). Pure; exposed for tests. */
void mb_summarize(const struct mb_sample *samples, size_t n, int phase, struct mb_summary *out);

#endif
