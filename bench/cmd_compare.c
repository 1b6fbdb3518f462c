/* `mmbench compare`: the CLI glue around the comparison engine in
 * harness/compare (the option table, the --filter regex, output selection and
 * the exit code). Every bad input ends in one line on stderr and exit 2. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_compare.h"
#include "mmbench/compare.h"
#include "mmbench/error.h"

/* POSIX regex where the C library has it; elsewhere (MinGW) --filter falls
 * back to a substring match, which the help text says. */
#if defined(__has_include)
#if __has_include(<regex.h>)
#include <regex.h>
#define MB_HAVE_REGEX 1
#endif
#endif

/* Parses a number in [lo, hi]; a trailing % divides by 100 when percent_ok.
 * Returns 0 or -1. */
static int parse_num(const char *s, double lo, double hi, int percent_ok, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || errno || *s == ' ' || *s == '\t')
        return -1;
    if (percent_ok && *end == '%') {
        x /= 100;
        end++;
    }
    if (*end || !isfinite(x) || x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

static int check_threshold(const char *v, char *valid, size_t len)
{
    double x;
    if (!parse_num(v, 0, 10, 1, &x))
        return 0;
    snprintf(valid, len, "a fraction from 0 to 10 or a percentage, e.g. 0.15 or 15%%");
    return MB_EUSAGE;
}

static int check_alpha(const char *v, char *valid, size_t len)
{
    double x;
    if (!parse_num(v, 1e-12, 0.5, 0, &x))
        return 0;
    snprintf(valid, len, "a probability from 1e-12 to 0.5, e.g. 0.05");
    return MB_EUSAGE;
}

static int check_confidence(const char *v, char *valid, size_t len)
{
    double x;
    if (!parse_num(v, 0.5, 0.9999, 1, &x))
        return 0;
    snprintf(valid, len, "from 0.5 to 0.9999, or a percentage, e.g. 0.95 or 95%%");
    return MB_EUSAGE;
}

static int check_metric(const char *v, char *valid, size_t len)
{
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '.' || *p == '-')) {
            snprintf(valid, len, "a field name of the files, e.g. real_time, cpu_time, os_calls");
            return MB_EUSAGE;
        }
    return 0;
}

static int check_filter(const char *v, char *valid, size_t len)
{
#ifdef MB_HAVE_REGEX
    regex_t re;
    if (regcomp(&re, v, REG_EXTENDED | REG_NOSUB) != 0) {
        snprintf(valid, len, "a POSIX extended regular expression");
        return MB_EUSAGE;
    }
    regfree(&re);
#else
    (void)v;
    (void)valid;
    (void)len;
#endif
    return 0;
}

const struct mb_opt mb_compare_opts[] = {
    {"base", MB_OPT_MULTI, NULL,
     "a base results file (mmbench or Google Benchmark JSON; - is standard input); repeat for "
     "rounds: base file k pairs with head file k",
     NULL, 0, 0, NULL},
    {"head", MB_OPT_MULTI, NULL, "a head results file; repeat for rounds, as --base", NULL, 0, 0,
     NULL},
    {"threshold", MB_OPT_STRING, "15%",
     "smallest slowdown that counts: same needs the CI's upper end at or below it, slower "
     "needs the median ratio above it",
     NULL, 0, 0, check_threshold},
    {"alpha", MB_OPT_STRING, "0.02",
     "significance level of the rank test after Holm's correction: the chance that any "
     "unchanged benchmark is called slower",
     NULL, 0, 0, check_alpha},
    {"metric", MB_OPT_STRING, "real_time",
     "real_time, cpu_time or a counter of the files, e.g. major_faults", NULL, 0, 0,
     check_metric},
    {"filter", MB_OPT_STRING, NULL,
#ifdef MB_HAVE_REGEX
     "compare only benchmarks whose name matches this POSIX extended regex",
#else
     "compare only benchmarks whose name contains this text",
#endif
     NULL, 0, 0, check_filter},
    {"format", MB_OPT_CHOICE, "table", "output on standard output", "table|json|markdown", 0, 0,
     NULL},
    {"confidence", MB_OPT_STRING, "0.95", "confidence of the bootstrap interval", NULL, 0, 0,
     check_confidence},
    {"resamples", MB_OPT_COUNT, "2000", "bootstrap resamples", NULL, 100, 1000000, NULL},
    {"seed", MB_OPT_COUNT, "20240601", "bootstrap seed: the same files give the same verdict",
     NULL, 0, UINT64_MAX, NULL},
    {"unpaired", MB_OPT_FLAG, NULL,
     "never pair base file k with head file k (rounds that did not run side by side)", NULL, 0,
     0, NULL},
    {"max-input", MB_OPT_SIZE, "256M", "largest input file read; a larger one is an input error",
     NULL, 1024, (uint64_t)SIZE_MAX, NULL},
    {"help", MB_OPT_FLAG, NULL, "show this help and exit", NULL, 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

const char mb_compare_exit_text[] =
    "exit status:\n"
    "  0  every compared benchmark is conclusively the same or faster\n"
    "  1  a regression: a benchmark is slower, or ran in base and failed or is missing in head\n"
    "  2  usage error or unusable input (unreadable, not JSON, too large, nothing in common)\n"
    "  3  inconclusive: no regression found, but one is not ruled out for every benchmark\n"
    "     (too few repetitions, an interval that straddles the threshold, no data in base);\n"
    "     ci/gate answers it with more rounds\n";

static void usage(FILE *out)
{
    fputs("usage: mmbench compare [options] BASE.json HEAD.json\n"
          "       mmbench compare [options] --base A1.json --base A2.json ... --head B1.json ...\n"
          "\n"
          "Per benchmark in both files (iteration entries): the median ratio head/base with a\n"
          "seeded bootstrap confidence interval, and a one-sided rank test (Mann-Whitney U; for\n"
          "paired rounds, Wilcoxon's signed-rank test over the rounds) with Holm's correction.\n"
          "Verdicts:\n"
          "  same          the interval's upper end is at most 1 + threshold\n"
          "  faster        the interval lies below 1 / (1 + threshold), test significant\n"
          "  slower        the median ratio exceeds 1 + threshold, test significant\n"
          "  failed        ran in base; failed (error entries, no values) or missing in head\n"
          "  inconclusive  anything else, with the reason\n"
          "Several --base / --head files are merged as rounds; with as many of each, base k and\n"
          "head k are a pair run side by side (ci/gate's rounds).\n"
          "\n"
          "options:\n",
          out);
    mb_options_print(mb_compare_opts, out);
    fputc('\n', out);
    fputs(mb_compare_exit_text, out);
}

struct filter {
    const char *text;
#ifdef MB_HAVE_REGEX
    regex_t re;
#endif
};

static int keep_name(const char *name, void *ctx)
{
    struct filter *f = ctx;
#ifdef MB_HAVE_REGEX
    return regexec(&f->re, name, 0, NULL, 0) == 0;
#else
    return strstr(name, f->text) != NULL;
#endif
}

static const char *label(const char *const *files, size_t n, char *buf, size_t len)
{
    if (n == 1)
        return files[0];
    snprintf(buf, len, "%s + %zu more (merged)", files[0], n - 1);
    return buf;
}

struct args {
    const char *const *base, *const *head;
    size_t nbase, nhead;
    const char *filter, *format;
    struct mb_cmp_opts o;
};

/* Files from positionals or --base/--head, and the typed values into a->o.
 * Returns 0, or -1 after printing a usage error. */
static int collect(const struct mb_options *opt, struct args *a)
{
    a->base = mb_opt_multi(opt, "base", &a->nbase);
    a->head = mb_opt_multi(opt, "head", &a->nhead);
    if (opt->npos && (a->nbase || a->nhead)) {
        fprintf(stderr, "mmbench compare: give BASE HEAD or --base/--head, not both\n");
        return -1;
    }
    if (opt->npos == 2) {
        a->base = opt->pos;
        a->head = opt->pos + 1;
        a->nbase = a->nhead = 1;
    } else if (opt->npos || !a->nbase || !a->nhead) {
        fprintf(stderr, "mmbench compare: want BASE.json HEAD.json, or --base and --head "
                        "(see --help)\n");
        return -1;
    }
    mb_cmp_opts_default(&a->o);
    parse_num(mb_opt_str(opt, "threshold"), 0, 10, 1, &a->o.threshold);
    parse_num(mb_opt_str(opt, "alpha"), 0, 1, 0, &a->o.alpha);
    parse_num(mb_opt_str(opt, "confidence"), 0, 1, 1, &a->o.confidence);
    a->o.resamples = (unsigned)mb_opt_num(opt, "resamples");
    a->o.seed = mb_opt_num(opt, "seed");
    a->o.metric = mb_opt_str(opt, "metric");
    a->o.unpaired = mb_opt_flag(opt, "unpaired");
    a->o.max_input = (size_t)mb_opt_num(opt, "max-input");
    a->filter = mb_opt_str(opt, "filter");
    a->format = mb_opt_str(opt, "format");
    return 0;
}

static int load_side(struct mb_cmp_set *set, const char *const *files, size_t n,
                     const struct mb_cmp_opts *o)
{
    char err[512];
    for (size_t i = 0; i < n; i++) {
        int rc = mb_cmp_load(set, files[i], o->metric, o->max_input, err, sizeof err);
        if (rc) {
            fprintf(stderr, "mmbench compare: %s\n", rc == MB_ENOMEM ? "out of memory" : err);
            return rc;
        }
    }
    /* A counter no entry has is a typo in --metric, not a change to report. */
    if (!mb_cmp_metric_is_time(o->metric) && !set->with_metric && set->n) {
        fprintf(stderr, "mmbench compare: no entry of %s has the metric '%s'\n", files[0],
                o->metric);
        return MB_EUSAGE;
    }
    return 0;
}

/* Loads, compares and prints. Returns the exit code. */
static int compare(const struct args *a)
{
    int exit_code = MB_CMP_EXIT_USAGE;
    struct mb_cmp_set base, head;
    struct mb_cmp_report r;
    mb_cmp_set_init(&base);
    mb_cmp_set_init(&head);
    memset(&r, 0, sizeof r);
    if (load_side(&base, a->base, a->nbase, &a->o) || load_side(&head, a->head, a->nhead, &a->o))
        goto out;
    if (mb_cmp_compare(&base, &head, &a->o, &r)) {
        fprintf(stderr, "mmbench compare: out of memory\n");
        goto out;
    }
    if (!r.nrows) {
        fprintf(stderr, "mmbench compare: no benchmark%s of base is in the files\n",
                a->filter ? " matching --filter" : "");
        goto out;
    }
    char lb[512], lh[512];
    r.base_label = label(a->base, a->nbase, lb, sizeof lb);
    r.head_label = label(a->head, a->nhead, lh, sizeof lh);
    if (strcmp(a->format, "json") == 0) {
        if (mb_cmp_print_json(stdout, &r)) {
            fprintf(stderr, "mmbench compare: out of memory\n");
            goto out;
        }
    } else if (strcmp(a->format, "markdown") == 0) {
        mb_cmp_print_markdown(stdout, &r);
    } else {
        mb_cmp_print_table(stdout, &r);
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "mmbench compare: cannot write the report: %s\n", strerror(errno));
        goto out;
    }
    exit_code = mb_cmp_exit_code(&r);
out:
    mb_cmp_report_free(&r);
    mb_cmp_set_free(&base);
    mb_cmp_set_free(&head);
    return exit_code;
}

int mb_cmd_compare(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return MB_CMP_EXIT_PASS;
        }
    const struct mb_opt *const tables[] = {mb_compare_opts, NULL};
    struct mb_options opt;
    struct args a;
    memset(&a, 0, sizeof a);
    int exit_code = MB_CMP_EXIT_USAGE;
    if (mb_options_parse_args(&opt, tables, argc, argv, 2) != 0) {
        fprintf(stderr, "mmbench compare: %s (see --help)\n", mb_last_error());
        goto out;
    }
    if (mb_opt_flag(&opt, "help")) {
        usage(stdout);
        exit_code = MB_CMP_EXIT_PASS;
        goto out;
    }
    if (collect(&opt, &a))
        goto out;
    struct filter f = {.text = a.filter};
    if (a.filter) {
#ifdef MB_HAVE_REGEX
        if (regcomp(&f.re, a.filter, REG_EXTENDED | REG_NOSUB) != 0) {
            fprintf(stderr, "mmbench compare: bad --filter regex '%.60s'\n", a.filter);
            goto out;
        }
#endif
        a.o.keep = keep_name;
        a.o.keep_ctx = &f;
    }
    exit_code = compare(&a);
#ifdef MB_HAVE_REGEX
    if (a.filter)
        regfree(&f.re);
#endif
out:
    mb_options_free(&opt);
    return exit_code;
}
