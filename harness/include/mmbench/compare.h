/* The regression gate's engine: reads two sets of results (mmbench's own JSON
 * or any Google Benchmark JSON), pairs the benchmarks by name and decides, per
 * benchmark, whether HEAD is slower, faster or the same as BASE, and says
 * "inconclusive" whenever the data cannot tell.
 *
 * The gate fails closed: "same" only when the bootstrap confidence interval
 * of the median ratio head/base rules a regression of the threshold out;
 * "slower" when the median ratio exceeds 1 + threshold and a one-sided rank
 * test (Mann-Whitney U; for paired rounds, Wilcoxon's signed-rank test over
 * the rounds),
 * Holm-corrected across all the benchmarks compared, is below alpha;
 * anything else is inconclusive, and missing or failed data in head is a
 * failure, never a pass.
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
    size_t failed;         /* of those, entries that say they did not run (error, skip) */
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
 * (copied); `failed` says the entry did not run at all (an error or a skip,
 * as opposed to a bad value). Returns 0, or MB_ENOMEM. */
int mb_cmp_series_exclude(struct mb_cmp_series *s, const char *reason, int failed);

/* True when `metric` is a time ("real_time", "cpu_time"), which is converted
 * to ns by the entry's time_unit and must be a normal number > 0 (a zero or
 * denormal time is a broken measurement, and a ratio over it is meaningless);
 * any other metric is a counter taken as it is (zero allowed, denormals read
 * as zero). */
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

/* mb_cmp_parse() on the contents of file `path` ("-" is standard input), read
 * with at most `max_input` bytes. A regular file is opened without blocking
 * and refused when larger than the cap; anything else that is not standard
 * input (a FIFO, a device, a directory) is refused, so the gate never waits
 * on a writer or reads an endless device; standard input is read up to the
 * cap. A missing, unreadable, oversized or irregular file is MB_EUSAGE with
 * a message naming the file in `err`. */
int mb_cmp_load(struct mb_cmp_set *set, const char *path, const char *metric, size_t max_input,
                char *err, size_t errlen);

/* ---- statistics ------------------------------------------------------- */

/* Returns the median of v[0..n) (mean of the two middle values for even n),
 * reordering v. n must be >= 1. */
double mb_cmp_median_inplace(double *v, size_t n);

/* Ratio head/base of two medians as the gate reads it: 1 when both are zero
 * (or denormal, read as zero), +infinity when only base is (a counter that
 * appeared from nothing), never NaN for numbers. */
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
    double p_min;       /* the smallest one-sided p this test can give at these sizes */
    int exact;          /* 1: exact distribution; 0: normal approximation */
};

/* Runs the test on base[0..nb) and head[0..nh) (nb, nh >= 1). Exact when one
 * side has at most 8 values and there are no ties; otherwise the normal
 * approximation with tie correction and continuity correction: the rule and
 * formulas of scipy.stats.mannwhitneyu(method="auto"), so the p-values match
 * Google Benchmark's compare.py. Returns 0, or MB_ENOMEM. */
int mb_cmp_mann_whitney(const double *base, size_t nb, const double *head, size_t nh,
                        struct mb_cmp_mwu *out);

/* Van Elteren's stratified rank-sum test for paired rounds: round k of base
 * against round k of head is stratum k, weighted 1 / (N_k + 1). Exact (a
 * convolution of the strata's exact distributions) when no stratum has ties
 * and the distribution is small enough; otherwise the normal approximation
 * with tie correction and a continuity correction of half the smallest
 * weight. u_head is the weighted statistic. Both sides must have the same
 * nrounds >= 1, each round at least one value. Returns 0, or MB_ENOMEM. */
int mb_cmp_van_elteren(const struct mb_cmp_sample *base, const struct mb_cmp_sample *head,
                       struct mb_cmp_mwu *out);

/* Wilcoxon's signed-rank test over paired rounds, for the verdict on ci/gate's
 * rounds: d_k compares round k's medians (head against base), rounds with no
 * difference are dropped, u_head is T+ (the rank sum of rounds where head is
 * larger). Exact without ties among |d_k| (p_min = 2^-rounds), else the
 * normal approximation with tie and continuity correction. The rounds, not
 * the repetitions, are the independent units: repetitions of one run share
 * its state. Both sides must have the same nrounds, each round at least one
 * value. Returns 0, or MB_ENOMEM. */
int mb_cmp_signed_rank_rounds(const struct mb_cmp_sample *base, const struct mb_cmp_sample *head,
                              struct mb_cmp_mwu *out);

/* Returns the smallest one-sided p-value the exact U test can give with nb
 * and nh values, 1 / C(nb + nh, nb). */
double mb_cmp_min_p(size_t nb, size_t nh);

/* Holm's step-down correction of m p-values: adj[i] is p[i]'s adjusted value
 * (monotone, at most 1); NaN inputs stay NaN and do not count in m. `adj`
 * may equal `p`. Returns 0, or MB_ENOMEM. */
int mb_cmp_holm(const double *p, size_t m, double *adj);

/* ---- the comparison ----------------------------------------------------- */

enum mb_cmp_verdict {
    MB_CMP_SAME,         /* the interval's upper end is at most 1 + threshold */
    MB_CMP_FASTER,       /* for counters: smaller; as conclusive as same */
    MB_CMP_SLOWER,       /* for counters: larger; a regression */
    MB_CMP_INCONCLUSIVE, /* the data cannot tell (row->why says what is missing) */
    MB_CMP_FAILED        /* ran in base, failed or missing in head: a regression */
};
#define MB_CMP_NVERDICTS 5

/* Why a row is inconclusive or failed. */
enum mb_cmp_why {
    MB_CMP_WHY_NONE,
    MB_CMP_WHY_FEW_REPS,     /* even the most extreme outcome could not reach alpha */
    MB_CMP_WHY_WIDE,         /* the interval reaches past 1 + threshold */
    MB_CMP_WHY_NOT_SIGNIFICANT, /* the estimate exceeds the threshold, the test does not */
    MB_CMP_WHY_NO_BASE,      /* no usable value in base */
    MB_CMP_WHY_ZERO_BASE,    /* the base median is zero: no ratio, and no significant change */
    MB_CMP_WHY_HEAD_FAILED,  /* head's entries say they did not run, or hold no value */
    MB_CMP_WHY_HEAD_MISSING  /* the benchmark is in base only */
};

/* Returns "same", "faster", "slower", "inconclusive" or "failed". */
const char *mb_cmp_verdict_name(enum mb_cmp_verdict v);

/* Returns a short phrase for `why` ("too few repetitions", ...), "" for NONE. */
const char *mb_cmp_why_text(enum mb_cmp_why why);

/* The default threshold: the smallest change the gate is built to catch.
 * How often it catches what on this project's CI machine is measured by
 * ci/gate-quality and the synthetic simulator, and published in README. */
#define MB_CMP_DEFAULT_THRESHOLD 0.15
#define MB_CMP_DEFAULT_ALPHA 0.02
#define MB_CMP_DEFAULT_CONFIDENCE 0.95
#define MB_CMP_DEFAULT_RESAMPLES 2000u
#define MB_CMP_DEFAULT_SEED 20240601u
#define MB_CMP_DEFAULT_MAX_INPUT ((size_t)256 << 20)

struct mb_cmp_opts {
    const char *metric;  /* "real_time", "cpu_time" or a counter name */
    double threshold;    /* smallest relative change that counts, e.g. 0.10 */
    double alpha;        /* significance level after Holm's correction */
    double confidence;   /* of the bootstrap interval, e.g. 0.95 */
    unsigned resamples;  /* bootstrap resamples */
    uint64_t seed;       /* bootstrap seed (mixed with each benchmark's name) */
    int unpaired;        /* 1: never pair rounds (see mb_cmp_compare) */
    size_t max_input;    /* largest input file read, in bytes */
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
    struct mb_cmp_mwu mwu;           /* the verdict's test; p-values NaN if n is 0 */
    struct mb_cmp_mwu strata;        /* paired rows: van Elteren on the repetitions, for
                                      * reference (NaN when unpaired) */
    double p_slower, p_faster;       /* one-sided p-values after Holm */
    double p_min_holm;               /* the test's smallest p times Holm's largest factor */
    size_t rounds_base, rounds_head; /* rounds (files) with usable values */
    size_t pairs;                    /* paired rounds used, 0 when unpaired */
    size_t failed_base, failed_head; /* of the excluded, entries that did not run */
    int identical;                   /* every value of both sides is the same number */
    enum mb_cmp_verdict verdict;
    enum mb_cmp_why why;             /* for INCONCLUSIVE and FAILED */
    size_t reps_needed;              /* FEW_REPS / WIDE: repetitions per side estimated to decide */
};

struct mb_cmp_report {
    struct mb_cmp_opts opts;
    int metric_is_time;
    const char *base_label, *head_label; /* borrowed, for the headers */
    struct mb_cmp_row *rows;
    size_t nrows;
    size_t family;                   /* benchmarks in Holm's family (usable on both sides) */
    const char **only_head;          /* names in head only: new, not compared (borrowed) */
    size_t n_only_head;
    size_t n_only_base;              /* names in base only: rows with verdict FAILED */
    size_t count[MB_CMP_NVERDICTS];  /* rows per verdict, indexed by enum mb_cmp_verdict */
};

/* Compares every benchmark kept by o->keep that both sets hold and fills `r`
 * (freed with mb_cmp_report_free). Names borrowed from the sets, which must
 * outlive the report. A benchmark in base only becomes a row with verdict
 * FAILED (head lost it). When both sets merged the same number of files
 * (>= 2) and o->unpaired is 0, file k of base and file k of head are taken
 * as a pair of adjacent rounds: a benchmark with at least two such pairs
 * gets the paired bootstrap and the signed-rank test over rounds (van
 * Elteren's test on the repetitions is reported beside it); otherwise the
 * pooled U test and the per-side (two-stage when several rounds) bootstrap.
 * Returns 0, or MB_ENOMEM. */
int mb_cmp_compare(const struct mb_cmp_set *base, const struct mb_cmp_set *head,
                   const struct mb_cmp_opts *o, struct mb_cmp_report *r);

/* Frees what mb_cmp_compare allocated. */
void mb_cmp_report_free(struct mb_cmp_report *r);

/* The gate's exit codes (mmbench compare, ci/gate). */
#define MB_CMP_EXIT_PASS 0         /* every benchmark conclusively same or faster */
#define MB_CMP_EXIT_REGRESSION 1   /* at least one slower, or failed / missing in head */
#define MB_CMP_EXIT_USAGE 2        /* usage error or unusable input */
#define MB_CMP_EXIT_INCONCLUSIVE 3 /* no regression found, but not all ruled out */

/* Returns MB_CMP_EXIT_REGRESSION when any row is slower or failed, else
 * MB_CMP_EXIT_INCONCLUSIVE when any row is inconclusive, else
 * MB_CMP_EXIT_PASS (which needs at least one row). */
int mb_cmp_exit_code(const struct mb_cmp_report *r);

/* ---- output ------------------------------------------------------------- */

/* Fixed-width text for a terminal or a CI log; names with control characters
 * or invalid UTF-8 are printed with C escapes (\n, \x1b), never raw. */
void mb_cmp_print_table(FILE *out, const struct mb_cmp_report *r);

/* GitHub-flavoured markdown, sized for a pull-request comment; names are
 * HTML- and markdown-escaped, so input can never inject markup. */
void mb_cmp_print_markdown(FILE *out, const struct mb_cmp_report *r);

/* Machine-readable JSON: every figure of every row (non-finite numbers left
 * out, never written as NaN). Returns 0, or MB_ENOMEM. */
int mb_cmp_print_json(FILE *out, const struct mb_cmp_report *r);

/* Writes `ns` with a unit chosen for readability ("812 ns", "12.3 us",
 * "1.25 ms", "2.00 s") into buf. Returns buf. */
char *mb_cmp_format_ns(double ns, char *buf, size_t len);

#endif
