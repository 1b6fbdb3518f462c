/* The gate's quality on synthetic data whose truth is known: many trials of
 * the real comparison (mb_cmp_compare, the code `mmbench compare` runs) on
 * generated rounds, and how often each verdict comes out, with Wilson 95%
 * intervals. Each trial is a suite of `family` benchmarks; benchmark 0 is
 * slowed by the cell's true ratio, the others are unchanged.
 *
 * Designs:
 *   u12  one run of 12 repetitions per side, one `mmbench compare` with its
 *        default options (unpaired);
 *   p3   ci/gate with rounds of 3 repetitions: ABBA rounds, paired, start
 *        with --start rounds, add half as many again (rounded down to even,
 *        at least 2) while inconclusive, up to --max; alpha (0.05) and the
 *        interval's 5% are split evenly over the looks this schedule can
 *        take: ci/gate's schedule and options, computed the same way;
 *   p6   the same with rounds of 6 repetitions (ci/gate's default).
 * Noise models:
 *   ln5    every value lognormal, sd 5% (of the log);
 *   heavy  lognormal 15%, and 5% of the values 3x slower (outliers);
 *   drift  lognormal 5%, and before every run the machine's speed takes a
 *          random-walk step of 2% (lognormal sd), so runs differ.
 * Outcome for ratio 1.00: the gate's exit (regression = exit 1 for any
 * benchmark, same = exit 0, inconclusive = exit 3). For a ratio above 1: the
 * slowed benchmark's verdict at the end (regression = slower, same = same or
 * faster, inconclusive = anything else). The inconclusive outcomes are broken
 * down by the reason compare gives (for ratio 1.00: of any benchmark): the
 * interval reaching past the threshold, an estimate above the threshold
 * without a significant test, or too few rounds for the test to reach alpha.
 * The last column is the share of trials found slower by the end of each
 * look: what the gate reports when its time budget stops it after that look.
 * --start and --max default to ci/gate's 12 and 40.
 * Every cell draws from a generator seeded by --seed and the cell itself, so
 * a cell's figures do not depend on which other cells the same process ran:
 * cells can be split over processes.
 *
 * usage: compare_gate_sim [--trials N] [--seed S] [--threshold T]
 *          [--family M] [--start R] [--max R] [--designs u12,p3,p6]
 *          [--noises ln5,heavy,drift] [--ratios 1,1.1,...] */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/compare.h"

/* ci/gate's error budget over all its looks (alpha, and 1 - confidence). */
#define GATE_ALPHA 0.05

struct cfg {
    unsigned trials;
    uint64_t seed;
    double threshold;
    unsigned family, start, max;
    const char *designs, *noises, *ratios;
};

static uint64_t rng_state;

static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double uniform(void)
{
    return ((double)(next_u64() >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
    return sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());
}

struct noise {
    const char *name;
    double sd, outlier_p, outlier_x, drift;
};

static const struct noise noises[] = {
    {"ln5", 0.05, 0, 1, 0},
    {"heavy", 0.15, 0.05, 3, 0},
    {"drift", 0.05, 0, 1, 0.02},
};

static double draw(const struct noise *n)
{
    double x = exp(n->sd * normal());
    return uniform() < n->outlier_p ? x * n->outlier_x : x;
}

/* One run of one side: `reps` values of every benchmark, into file `file`. */
static void run(struct mb_cmp_set *s, const struct cfg *c, const struct noise *n, double ratio,
                unsigned reps, size_t file, double speed)
{
    for (unsigned k = 0; k < c->family; k++) {
        char name[16];
        snprintf(name, sizeof name, "bm%03u", k);
        struct mb_cmp_series *x = mb_cmp_set_get(s, name);
        double level = 1000.0 * (1 + k) * speed * (k == 0 ? ratio : 1);
        for (unsigned i = 0; i < reps; i++)
            if (!x || mb_cmp_series_push(x, level * draw(n), file)) {
                fprintf(stderr, "gate_sim: out of memory\n");
                exit(2);
            }
    }
    s->files = file + 1;
}

enum outcome { REGRESSION, SAME, INCONCLUSIVE };

/* Reasons counted for inconclusive outcomes. */
enum reason { WHY_WIDE, WHY_NOT_SIGNIFICANT, WHY_FEW_REPS, NREASONS };

struct trial {
    enum outcome out;
    unsigned rounds;
    unsigned other_slower; /* unslowed benchmarks called slower or failed */
    unsigned why;          /* inconclusive: bit per reason (enum reason) */
};

/* The rounds after which the gate looks, exactly as ci/gate's next_target:
 * half as many again, rounded down to even, at least 2, up to max. */
static unsigned next_target(const struct cfg *c, unsigned done)
{
    unsigned add = done / 2 / 2 * 2;
    if (add < 2)
        add = 2;
    return done + add > c->max ? c->max : done + add;
}

static unsigned looks(const struct cfg *c)
{
    unsigned n = 1;
    for (unsigned r = c->start; r < c->max; r = next_target(c, r))
        n++;
    return n;
}

static unsigned why_bit(enum mb_cmp_why why)
{
    switch (why) {
    case MB_CMP_WHY_WIDE: return 1u << WHY_WIDE;
    case MB_CMP_WHY_NOT_SIGNIFICANT: return 1u << WHY_NOT_SIGNIFICANT;
    case MB_CMP_WHY_FEW_REPS: return 1u << WHY_FEW_REPS;
    default: return 0;
    }
}

/* The outcome of one compare: for ratio 1.00 the exit code, else the slowed
 * benchmark's verdict, and the reasons behind an inconclusive one. */
static void score(const struct mb_cmp_report *r, double ratio, struct trial *t)
{
    int code = mb_cmp_exit_code(r);
    t->other_slower = 0;
    t->why = 0;
    for (size_t i = 1; i < r->nrows; i++)
        t->other_slower += r->rows[i].verdict == MB_CMP_SLOWER || r->rows[i].verdict == MB_CMP_FAILED;
    if (ratio == 1.0) {
        t->out = code == MB_CMP_EXIT_REGRESSION ? REGRESSION
                 : code == MB_CMP_EXIT_PASS     ? SAME
                                                : INCONCLUSIVE;
        if (t->out == INCONCLUSIVE)
            for (size_t i = 0; i < r->nrows; i++)
                t->why |= why_bit(r->rows[i].why);
    } else {
        enum mb_cmp_verdict v = r->rows[0].verdict;
        t->out = v == MB_CMP_SLOWER ? REGRESSION
                 : (v == MB_CMP_SAME || v == MB_CMP_FASTER) ? SAME
                                                            : INCONCLUSIVE;
        if (t->out == INCONCLUSIVE)
            t->why = why_bit(r->rows[0].why);
    }
    /* The gate stops adding rounds once compare is conclusive (exit 0 or 1). */
    t->rounds = code == MB_CMP_EXIT_INCONCLUSIVE ? 0 : 1;
}

static void compare(struct mb_cmp_set *b, struct mb_cmp_set *h, const struct cfg *c, int paired,
                    double ratio, struct trial *t)
{
    struct mb_cmp_opts o;
    mb_cmp_opts_default(&o);
    o.threshold = c->threshold;
    if (paired) {
        /* ci/gate's options: alpha and the interval's error split over its
         * looks, so that looking again after "inconclusive" cannot inflate
         * either error. */
        unsigned l = looks(c);
        o.alpha = GATE_ALPHA / l;
        o.confidence = 1 - GATE_ALPHA / l;
    }
    o.unpaired = !paired;
    struct mb_cmp_report r;
    if (mb_cmp_compare(b, h, &o, &r)) {
        fprintf(stderr, "gate_sim: out of memory\n");
        exit(2);
    }
    score(&r, ratio, t);
    mb_cmp_report_free(&r);
}

static void one_trial(const struct cfg *c, const char *design, const struct noise *n, double ratio,
                      struct trial *t)
{
    struct mb_cmp_set b, h;
    mb_cmp_set_init(&b);
    mb_cmp_set_init(&h);
    double speed = 1;
    if (strcmp(design, "u12") == 0) {
        speed *= exp(n->drift * normal());
        run(&b, c, n, 1, 12, 0, speed);
        speed *= exp(n->drift * normal());
        run(&h, c, n, ratio, 12, 0, speed);
        compare(&b, &h, c, 0, ratio, t);
        t->rounds = 1;
    } else {
        unsigned reps = strcmp(design, "p3") == 0 ? 3 : 6, done = 0, target = c->start;
        for (;;) {
            for (; done < target; done++) {
                /* ABBA: odd rounds (1-based) run A first, even rounds B first. */
                int a_first = done % 2 == 0;
                for (int side = 0; side < 2; side++) {
                    speed *= exp(n->drift * normal());
                    if ((side == 0) == a_first)
                        run(&b, c, n, 1, reps, done, speed);
                    else
                        run(&h, c, n, ratio, reps, done, speed);
                }
            }
            compare(&b, &h, c, 1, ratio, t);
            if (t->rounds || done >= c->max)
                break;
            target = next_target(c, done);
        }
        t->rounds = done;
    }
    mb_cmp_set_free(&b);
    mb_cmp_set_free(&h);
}

/* Wilson score interval for k of n at 95%. */
static void wilson(unsigned k, unsigned n, double *lo, double *hi)
{
    double z = 1.959963984540054, p = (double)k / n, z2n = z * z / n;
    double mid = (p + z2n / 2) / (1 + z2n);
    double half = z * sqrt(p * (1 - p) / n + z2n / (4.0 * n)) / (1 + z2n);
    *lo = mid - half < 0 ? 0 : mid - half;
    *hi = mid + half > 1 ? 1 : mid + half;
}

/* A generator state for one cell, from the seed and the cell's identity. */
static uint64_t cell_seed(uint64_t seed, const char *design, const char *noise, double ratio)
{
    char id[64];
    snprintf(id, sizeof id, "%s/%s/%.6f", design, noise, ratio);
    uint64_t h = 1469598103934665603u ^ seed;
    for (const char *p = id; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211u;
    }
    return h;
}

static void print_share(unsigned k, unsigned n)
{
    double lo, hi;
    wilson(k, n, &lo, &hi);
    printf(" %.1f%% [%.1f, %.1f] |", 100.0 * k / n, 100 * lo, 100 * hi);
}

#define MAX_LOOKS 64

/* The gate's cumulative regression rate after each look ("a / b / ..." in
 * % of trials), from the trials' regressions counted by the rounds they
 * took: what a time budget that stops the gate after that look would see. */
static void print_by_look(const struct cfg *c, const unsigned *found_at, unsigned trials)
{
    unsigned sum = 0, look = 0;
    for (unsigned r = c->start;; r = next_target(c, r), look++) {
        sum += found_at[r];
        printf("%s%.1f", look ? " / " : " ", 100.0 * sum / trials);
        if (r >= c->max || look + 1 >= MAX_LOOKS)
            break;
    }
    printf(" |");
}

static void cell(const struct cfg *c, const char *design, const struct noise *n, double ratio)
{
    unsigned count[3] = {0}, why[NREASONS] = {0}, rounds = 0, others = 0;
    unsigned *found_at = calloc(c->max + 1, sizeof *found_at);
    if (!found_at) {
        fprintf(stderr, "gate_sim: out of memory\n");
        exit(2);
    }
    rng_state = cell_seed(c->seed, design, n->name, ratio);
    for (unsigned i = 0; i < c->trials; i++) {
        struct trial t;
        one_trial(c, design, n, ratio, &t);
        count[t.out]++;
        rounds += t.rounds;
        others += t.other_slower;
        if (t.out == REGRESSION && t.rounds <= c->max)
            found_at[t.rounds]++;
        for (int k = 0; k < NREASONS; k++)
            why[k] += (t.why >> k) & 1;
    }
    printf("| %s | %s | %.3f | %u |", design, n->name, ratio, c->trials);
    for (int k = 0; k < 3; k++)
        print_share(count[k], c->trials);
    printf(" %.1f | %.4f | %.1f / %.1f / %.1f |", (double)rounds / c->trials,
           (double)others / c->trials / (c->family - 1), 100.0 * why[WHY_WIDE] / c->trials,
           100.0 * why[WHY_NOT_SIGNIFICANT] / c->trials, 100.0 * why[WHY_FEW_REPS] / c->trials);
    if (strcmp(design, "u12") == 0)
        printf(" - |");
    else
        print_by_look(c, found_at, c->trials);
    printf("\n");
    free(found_at);
    fflush(stdout);
}

static int in_list(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0)
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static int parse(int argc, char **argv, struct cfg *c)
{
    *c = (struct cfg){2000, 1, MB_CMP_DEFAULT_THRESHOLD, 24, 12, 40,
                      "u12,p3,p6", "ln5,heavy,drift", "1,1.1,1.15,1.2,1.225,1.3,1.5"};
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--trials")) c->trials = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--seed")) c->seed = strtoull(v, NULL, 10);
        else if (!strcmp(k, "--threshold")) c->threshold = strtod(v, NULL);
        else if (!strcmp(k, "--family")) c->family = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--start")) c->start = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--max")) c->max = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(k, "--designs")) c->designs = v;
        else if (!strcmp(k, "--noises")) c->noises = v;
        else if (!strcmp(k, "--ratios")) c->ratios = v;
        else return -1;
    }
    if (argc % 2 == 0 || !c->trials || c->family < 2 || c->start < 2 ||
        c->max < c->start || !(c->threshold > 0))
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    struct cfg c;
    if (parse(argc, argv, &c)) {
        fprintf(stderr, "usage: compare_gate_sim [--trials N] [--seed S] [--threshold T] "
                        "[--family M] [--start R] [--max R] [--designs u12,p3,p6] "
                        "[--noises ln5,heavy,drift] [--ratios 1,1.1,...]\n");
        return 2;
    }
    struct mb_cmp_opts d;
    mb_cmp_opts_default(&d);
    printf("gate simulation: threshold %.1f%%, %u benchmarks; u12: alpha %.4g, interval %.4g; "
           "p3, p6: %u rounds, more (+50%%, even, at least 2) while inconclusive, up to %u "
           "(%u looks: alpha %.4g and interval %.4g per look); seed %llu\n\n",
           c.threshold * 100, c.family, d.alpha, d.confidence, c.start, c.max, looks(&c),
           GATE_ALPHA / looks(&c), 1 - GATE_ALPHA / looks(&c), (unsigned long long)c.seed);
    printf("| design | noise | true ratio | trials | P(regression) [95%% CI] | P(same) [95%% CI] "
           "| P(inconclusive) [95%% CI] | mean rounds | false alarms per unslowed benchmark "
           "| inconclusive: wide / not significant / too few rounds (%% of trials) "
           "| P(regression) by look, after");
    for (unsigned r = c.start, look = 0;; r = next_target(&c, r), look++) {
        printf("%s%u", look ? " / " : " ", r);
        if (r >= c.max || look + 1 >= MAX_LOOKS)
            break;
    }
    printf(" rounds (%%) |\n|---|---|---:|---:|---|---|---|---:|---:|---|---|\n");
    static const char *const designs[] = {"u12", "p3", "p6"};
    for (size_t d = 0; d < 3; d++) {
        if (!in_list(c.designs, designs[d]))
            continue;
        for (size_t k = 0; k < sizeof noises / sizeof noises[0]; k++) {
            if (!in_list(c.noises, noises[k].name))
                continue;
            for (const char *p = c.ratios; p && *p;) {
                cell(&c, designs[d], &noises[k], strtod(p, NULL));
                p = strchr(p, ',');
                p = p ? p + 1 : NULL;
            }
        }
    }
    return 0;
}
