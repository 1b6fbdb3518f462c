/* The regression gate's engine: reads two sets of results (mmbench's own JSON
 * or any Google Benchmark JSON), pairs the benchmarks by name and decides, per
 * benchmark, whether HEAD is slower, faster or the same as BASE, or whether
 * there are too few repetitions to say.
 *
 * The decision needs two things at once, because either alone fails on a
 * noisy machine: an effect large enough to matter (the bootstrap confidence
 * interval of the median ratio head/base lies beyond 1 + threshold) and a
 * difference unlikely to be chance (a one-sided Mann-Whitney U test, Holm-
 * corrected across all the benchmarks compared, below alpha).
 *
 * Nothing here prints except the mb_cmp_print_* functions, and nothing exits. */
#ifndef MMBENCH_COMPARE_H
#define MMBENCH_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- input: per-benchmark series ------------------------------------- */

/* The values of one metric for one benchmark, gathered from every iteration
 * entry with that name (in every file merged into the set). */
struct mb_cmp_series {
    char *name;            /* run_name, else name (owned) */
    double *v;             /* usable values; times converted to ns (owned) */
    size_t n, cap;
    size_t excluded;       /* entries left out (errored, NaN, zero or missing time) */
    char *excluded_reason; /* why the first one was left out (owned), or NULL */
    /* Rounds: v[blk[k] .. blk[k+1] or n) came from file number blk_file[k]
     * of the set (owned; values of one file are contiguous). */
    size_t *blk, *blk_file;
    size_t nblk, blkcap;
    size_t last_file;      /* 1 + number of the file that pushed last, 0 = none */
};

/* All the series of one side (BASE or HEAD), in order of first appearance. */
struct mb_cmp_set {
    struct mb_cmp_series *s;
    size_t n, cap;
    size_t *slot;          /* open-addressing index: series number + 1, 0 = empty */
    size_t nslot;
    size_t files;          /* documents merged into the set */
    size_t with_metric;    /* iteration entries that had the metric field at all */
};

/* Makes an empty set. Never fails (nothing is allocated until the first add). */
void mb_cmp_set_init(struct mb_cmp_set *set);

/* Frees everything the set owns and leaves it empty (reusable after init). */
void mb_cmp_set_free(struct mb_cmp_set *set);

/* Returns the series named `name` in `set`, or NULL. The pointer stays valid
 * until the set gains a new series or is freed. */
struct mb_cmp_series *mb_cmp_set_find(const struct mb_cmp_set *set, const char *name);

/* Returns the series named `name`, creating an empty one if needed, or NULL
 * when out of memory. The pointer is valid until the next call that adds. */
struct mb_cmp_series *mb_cmp_set_get(struct mb_cmp_set *set, const char *name);

/* Appends value `x`, read from file number `file` of the set, to `s`; the
 * first value from a new file starts a new round. Returns 0, or MB_ENOMEM. */
int mb_cmp_series_push(struct mb_cmp_series *s, double x, size_t file);

/* Records one entry of `s` left out of the verdict, keeping the first reason
 * (copied). Returns 0, or MB_ENOMEM. */
int mb_cmp_series_exclude(struct mb_cmp_series *s, const char *reason);

/* True when `metric` is a time ("real_time", "cpu_time"), which is converted
 * to ns by the entry's time_unit and must be > 0; any other metric is a counter
 * taken as it is (zero allowed). */
int mb_cmp_metric_is_time(const char *metric);

/* Returns the factor that converts a Google Benchmark time_unit ("ns", "us",
 * "ms", "s") to nanoseconds, or 0 for anything else. */
double mb_cmp_unit_to_ns(const char *unit);

/* Copies `len` bytes of JSON text into a new NUL-terminated buffer in which
 * every bare NaN, Infinity and -Infinity token outside strings (Google
 * Benchmark writes them; JSON has no such literals) is replaced by null, so
 * that a strict parser reads the document and the entry can be named as
 * non-finite. Returns the buffer (caller frees) or NULL when out of memory;
 * `*out_len` receives its length. Text that is not JSON is copied unchanged. */
char *mb_cmp_json_nonfinite_to_null(const char *text, size_t len, size_t *out_len);

/* Reads one results document from `text` (`len` bytes, need not be NUL-
 * terminated) and adds the `metric` of each iteration entry to `set`: entries
 * with run_type "aggregate" are skipped; entries without run_type (older
 * Google Benchmark) count as iterations. An errored or skipped entry, or one
 * whose metric is null / NaN / missing (or, for a time, not > 0), is counted
 * in its series' `excluded` with the reason. `label` names the document in
 * messages. Returns 0; MB_EUSAGE for unusable input (not JSON, no
 * "benchmarks" array, an entry or a field of the wrong type, an unknown time
 * unit) with a one-line message in `err`; MB_ENOMEM. On error, series already
 * added from this document stay in the set. */
int mb_cmp_parse(struct mb_cmp_set *set, const char *text, size_t len, const char *label,
                 const char *metric, char *err, size_t errlen);

/* mb_cmp_parse() on the contents of file `path` ("-" is standard input).
 * A missing or unreadable file is MB_EUSAGE with the OS reason in `err`. */
int mb_cmp_load(struct mb_cmp_set *set, const char *path, const char *metric, char *err,
                size_t errlen);

/* ---- statistics ------------------------------------------------------- */

/* Returns the median of v[0..n) (mean of the two middle values for even n),
 * reordering v. n must be >= 1. */
double mb_cmp_median_inplace(double *v, size_t n);

/* Ratio head/base of two medians as the gate reads it: 1 when both are 0,
 * +infinity when only base is 0 (a counter that appeared from nothing). */
double mb_cmp_ratio(double head, double base);

/* The values of one side, in rounds: round k is v[start[k] .. end[k]).
 * start == NULL means one round holding all n values. */
struct mb_cmp_sample {
    const double *v;
    size_t n;
    const size_t *start, *end;
    size_t nrounds;
};

/* Bootstrap percentile confidence interval of median(head)/median(base):
 * `resamples` times, resamples each side and takes the ratio of the medians,
 * then the (1-conf)/2 and (1+conf)/2 quantiles of the ratios.
 *  - A side of one round is resampled value by value.
 *  - A side of several rounds (merged runs) is resampled in two stages,
 *    rounds with replacement and then values within each drawn round, so
 *    that run-to-run variation widens the interval instead of passing for an
 *    effect.
 *  - `paired` (both sides with the same nrounds >= 2, round k of base run
 *    next to round k of head, as ci/gate's A B A B ... does): the same round
 *    numbers are drawn for both sides, so a slow stretch of the machine that
 *    hit one pair moves both medians alike instead of widening the interval.
 * Every round must hold at least one value. The generator is seeded with
 * `seed`: the same input gives the same interval. resamples >= 1. Returns 0
 * and sets *lo, *hi, or MB_ENOMEM. */
int mb_cmp_bootstrap_ratio_ci(const struct mb_cmp_sample *base, const struct mb_cmp_sample *head,
                              int paired, unsigned resamples, double conf, uint64_t seed,
                              double *lo, double *hi);

/* The Mann-Whitney U test of HEAD against BASE. */
struct mb_cmp_mwu {
    double u_head;      /* U of head: pairs (head, base) with head > base, ties count 1/2 */
    double p_greater;   /* one-sided p: head tends to be larger (slower, for times) */
    double p_less;      /* one-sided p: head tends to be smaller */
    double p_two_sided; /* min(1, 2 * min(p_greater, p_less)), as scipy computes it */
    int exact;          /* 1: exact distribution; 0: normal approximation */
};

/* Runs the test on base[0..nb) and head[0..nh) (nb, nh >= 1). Exact when one
 * side has at most 8 values and there are no ties; otherwise the normal
 * approximation with tie correction and continuity correction: the rule and
 * formulas of scipy.stats.mannwhitneyu(method="auto"), so the p-values match
 * Google Benchmark's compare.py. Returns 0, or MB_ENOMEM. */
int mb_cmp_mann_whitney(const double *base, size_t nb, const double *head, size_t nh,
                        struct mb_cmp_mwu *out);

/* The stratified test for paired rounds (van Elteren's rank-sum test with
 * equal weights): U and its variance summed over strata, round k of base
 * against round k of head, so a change in machine speed between rounds is
 * not mistaken for a difference. Normal approximation with tie and continuity
 * correction. Both sides must have the same nrounds >= 1, each round at
 * least one value. Returns 0, or MB_ENOMEM. */
int mb_cmp_mann_whitney_strata(const struct mb_cmp_sample *base,
                               const struct mb_cmp_sample *head, struct mb_cmp_mwu *out);

/* Returns the smallest one-sided p-value any outcome can give with nb and nh
 * values, 1 / C(nb + nh, nb). */
double mb_cmp_min_p(size_t nb, size_t nh);

/* Holm's step-down correction of m p-values: adj[i] is p[i]'s adjusted value
 * (monotone, at most 1); NaN inputs stay NaN and do not count in m. `adj`
 * may equal `p`. Returns 0, or MB_ENOMEM. */
int mb_cmp_holm(const double *p, size_t m, double *adj);

/* ---- the comparison ----------------------------------------------------- */

enum mb_cmp_verdict {
    MB_CMP_SAME,
    MB_CMP_FASTER,     /* for counters: smaller */
    MB_CMP_SLOWER,     /* for counters: larger; the only verdict that fails the gate */
    /* Too few repetitions to decide: either the test could not reach alpha
     * with so few values, or the values are so noisy that the interval
     * reaches past 1 + threshold while being wider than that whole band. */
    MB_CMP_UNRELIABLE
};

/* Returns "same", "faster", "slower" or "unreliable". */
const char *mb_cmp_verdict_name(enum mb_cmp_verdict v);

/* The default threshold, chosen from measurements on a 2-core VM (README):
 * in 20 A/A trials of ci/gate-quality (10 rounds x 12 reps, same build) the
 * largest lower CI bound was +1.4%; rebuilding with one unused function
 * added (code layout only) moved the 5 us `floor` case by up to +12% (lower
 * bound +10.5%); 20 A/B trials with mmap slowed by 25% alarmed 19 times at
 * 15% (median largest lower bound +24.6%). 15% sits above layout noise and
 * below the slowdown to detect. */
#define MB_CMP_DEFAULT_THRESHOLD 0.15
#define MB_CMP_DEFAULT_ALPHA 0.05
#define MB_CMP_DEFAULT_CONFIDENCE 0.95
#define MB_CMP_DEFAULT_RESAMPLES 2000u
#define MB_CMP_DEFAULT_SEED 20240601u

struct mb_cmp_opts {
    const char *metric;  /* "real_time", "cpu_time" or a counter name */
    double threshold;    /* smallest relative change that counts, e.g. 0.10 */
    double alpha;        /* significance level after Holm's correction */
    double confidence;   /* of the bootstrap interval, e.g. 0.95 */
    unsigned resamples;  /* bootstrap resamples */
    uint64_t seed;       /* bootstrap seed (mixed with each benchmark's name) */
    int unpaired;        /* 1: never pair rounds (see mb_cmp_compare) */
    /* Benchmarks to compare: NULL keeps all; else kept when it returns true. */
    int (*keep)(const char *name, void *ctx);
    void *keep_ctx;
};

/* Fills `o` with the defaults above and metric "real_time". */
void mb_cmp_opts_default(struct mb_cmp_opts *o);

/* One benchmark present on both sides. */
struct mb_cmp_row {
    const char *name;                /* borrowed from the base set */
    size_t n_base, n_head;           /* usable values */
    size_t excl_base, excl_head;     /* entries left out */
    const char *why_base, *why_head; /* first reason they were left out, or NULL (borrowed) */
    double med_base, med_head;       /* medians (ns for times); NaN when n is 0 */
    double ratio, ci_lo, ci_hi;      /* median head/base and its bootstrap CI; NaN if n is 0 */
    struct mb_cmp_mwu mwu;           /* raw test; p-values NaN if n is 0 */
    double p_slower, p_faster;       /* one-sided p-values after Holm */
    size_t rounds_base, rounds_head; /* rounds (files) with usable values */
    size_t pairs;                    /* paired rounds used, 0 when unpaired */
    enum mb_cmp_verdict verdict;
    size_t reps_needed;              /* for UNRELIABLE: repetitions per side estimated to decide */
    int noisy;                       /* for UNRELIABLE: 1 noise, 0 too few values for the test */
};

struct mb_cmp_report {
    struct mb_cmp_opts opts;
    int metric_is_time;
    const char *base_label, *head_label; /* borrowed, for the headers */
    struct mb_cmp_row *rows;
    size_t nrows;
    size_t family;                   /* benchmarks in Holm's family (usable on both sides) */
    const char **only_base, **only_head; /* names on one side only (borrowed) */
    size_t n_only_base, n_only_head;
    size_t count[4];                 /* rows per verdict, indexed by enum mb_cmp_verdict */
};

/* Compares every benchmark kept by o->keep that both sets hold and fills `r`
 * (freed with mb_cmp_report_free). Names borrowed from the sets, which must
 * outlive the report. When both sets merged the same number of files (>= 2)
 * and o->unpaired is 0, file k of base and file k of head are taken as a
 * pair of adjacent rounds: a benchmark with at least two such pairs gets the
 * paired bootstrap and the stratified U test; otherwise the pooled U test and
 * the per-side (two-stage when several rounds) bootstrap. Returns 0, or
 * MB_ENOMEM. */
int mb_cmp_compare(const struct mb_cmp_set *base, const struct mb_cmp_set *head,
                   const struct mb_cmp_opts *o, struct mb_cmp_report *r);

/* Frees what mb_cmp_compare allocated. */
void mb_cmp_report_free(struct mb_cmp_report *r);

/* The gate's exit code: 1 when at least one benchmark is slower, else 0. */
int mb_cmp_exit_code(const struct mb_cmp_report *r);

/* ---- output ------------------------------------------------------------- */

/* Fixed-width text for a terminal or a CI log. */
void mb_cmp_print_table(FILE *out, const struct mb_cmp_report *r);

/* GitHub-flavoured markdown, sized for a pull-request comment. */
void mb_cmp_print_markdown(FILE *out, const struct mb_cmp_report *r);

/* Machine-readable JSON: every figure of every row (non-finite numbers left
 * out, never written as NaN). Returns 0, or MB_ENOMEM. */
int mb_cmp_print_json(FILE *out, const struct mb_cmp_report *r);

/* Writes `ns` with a unit chosen for readability ("812 ns", "12.3 us",
 * "1.25 ms", "2.00 s") into buf. Returns buf. */
char *mb_cmp_format_ns(double ns, char *buf, size_t len);

#endif
