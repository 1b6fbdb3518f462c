/* `mmbench compare`: the CLI glue around the comparison engine in
 * harness/compare (option parsing, the --filter regex, output selection and
 * the exit code). Every bad input ends in one line on stderr and exit 2. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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

#define MAX_FILES 64

enum format { FMT_TABLE, FMT_JSON, FMT_MARKDOWN };

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mmbench compare [options] BASE.json HEAD.json\n"
            "       mmbench compare [options] --base A1.json --base A2.json ... --head B1.json ...\n"
            "\n"
            "Per benchmark in both files (mmbench or any Google Benchmark JSON, iteration\n"
            "entries): median ratio head/base with a seeded bootstrap CI, a one-sided\n"
            "Mann-Whitney U test with Holm's correction, and a verdict: slower, faster,\n"
            "same or unreliable. Several --base / --head files are merged as rounds;\n"
            "with as many of each, base k and head k are a pair run side by side (as\n"
            "ci/gate's A B A B ...): the interval and the test then work within pairs.\n"
            "\n"
            "options:\n"
            "  --threshold X     smallest change that counts, 0.10 or 10%% (default %g%%)\n"
            "  --alpha P         significance level after Holm (default %g)\n"
            "  --metric NAME     real_time, cpu_time or a counter, e.g. major_faults (default real_time)\n"
            "  --filter REGEX    compare only benchmarks whose name matches (%s)\n"
            "  --format F        table, json or markdown (default table)\n"
            "  --confidence C    of the bootstrap interval (default %g)\n"
            "  --resamples N     bootstrap resamples (default %u)\n"
            "  --seed N          bootstrap seed (default %u)\n"
            "  --unpaired        do not pair base file k with head file k (see below)\n"
            "  --help            this text\n"
            "\n"
            "exit status: 0 no regression, 1 at least one benchmark slower (CI above\n"
            "1 + threshold and corrected p < alpha), 2 unusable input or usage error\n",
            MB_CMP_DEFAULT_THRESHOLD * 100, MB_CMP_DEFAULT_ALPHA,
#ifdef MB_HAVE_REGEX
            "POSIX extended regex",
#else
            "substring match on this platform",
#endif
            MB_CMP_DEFAULT_CONFIDENCE, MB_CMP_DEFAULT_RESAMPLES, MB_CMP_DEFAULT_SEED);
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

/* Parses a number that must lie in [lo, hi]; a trailing % divides by 100
 * when `percent_ok`. Returns 0 or -1. */
static int parse_num(const char *s, double lo, double hi, int percent_ok, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || errno)
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

static const char *label(const char **files, size_t n, char *buf, size_t len)
{
    if (n == 1)
        return files[0];
    snprintf(buf, len, "%s + %zu more (merged)", files[0], n - 1);
    return buf;
}

struct args {
    const char *base[MAX_FILES], *head[MAX_FILES];
    size_t nbase, nhead;
    const char *filter;
    enum format format;
    struct mb_cmp_opts o;
};

/* Returns 0, -1 after printing a usage error, or 1 for --help. */
static int parse_args(int argc, char **argv, struct args *a)
{
    const char *pos[2];
    size_t npos = 0;
    mb_cmp_opts_default(&a->o);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
            return 1;
        if (strcmp(arg, "--unpaired") == 0) {
            a->o.unpaired = 1;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0 || strcmp(arg, "-") == 0) {
            if (npos == 2) {
                fprintf(stderr, "mmbench compare: too many files (want BASE.json HEAD.json)\n");
                return -1;
            }
            pos[npos++] = arg;
            continue;
        }
        /* --name=value or --name value */
        char name[32];
        const char *eq = strchr(arg, '='), *val;
        size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (len >= sizeof name) {
            fprintf(stderr, "mmbench compare: unknown option '%.40s' (see --help)\n", arg);
            return -1;
        }
        memcpy(name, arg, len);
        name[len] = '\0';
        if (eq)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        else {
            fprintf(stderr, "mmbench compare: %s needs a value\n", name);
            return -1;
        }
        double x;
        int bad = 0;
        if (strcmp(name, "--base") == 0 || strcmp(name, "--head") == 0) {
            int is_base = name[2] == 'b';
            size_t *n = is_base ? &a->nbase : &a->nhead;
            if (*n == MAX_FILES) {
                fprintf(stderr, "mmbench compare: more than %d %s files\n", MAX_FILES, name + 2);
                return -1;
            }
            (is_base ? a->base : a->head)[(*n)++] = val;
        } else if (strcmp(name, "--threshold") == 0) {
            bad = parse_num(val, 0, 100, 1, &a->o.threshold);
        } else if (strcmp(name, "--alpha") == 0) {
            bad = parse_num(val, 1e-12, 0.999999, 0, &a->o.alpha);
        } else if (strcmp(name, "--confidence") == 0) {
            bad = parse_num(val, 0.01, 0.999999, 1, &a->o.confidence);
        } else if (strcmp(name, "--resamples") == 0) {
            bad = parse_num(val, 1, 1e6, 0, &x) || x != floor(x);
            if (!bad)
                a->o.resamples = (unsigned)x;
        } else if (strcmp(name, "--seed") == 0) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(val, &end, 10);
            bad = !*val || *end || errno || *val == '-';
            a->o.seed = (uint64_t)s;
        } else if (strcmp(name, "--metric") == 0) {
            bad = !*val;
            a->o.metric = val;
        } else if (strcmp(name, "--filter") == 0) {
            a->filter = val;
        } else if (strcmp(name, "--format") == 0) {
            if (strcmp(val, "table") == 0)
                a->format = FMT_TABLE;
            else if (strcmp(val, "json") == 0)
                a->format = FMT_JSON;
            else if (strcmp(val, "markdown") == 0 || strcmp(val, "md") == 0)
                a->format = FMT_MARKDOWN;
            else
                bad = 1;
        } else {
            fprintf(stderr, "mmbench compare: unknown option '%.40s' (see --help)\n", name);
            return -1;
        }
        if (bad) {
            fprintf(stderr, "mmbench compare: bad value '%.40s' for %s (see --help)\n", val, name);
            return -1;
        }
    }
    if (npos && (a->nbase || a->nhead)) {
        fprintf(stderr, "mmbench compare: give BASE HEAD or --base/--head, not both\n");
        return -1;
    }
    if (npos == 2) {
        a->base[a->nbase++] = pos[0];
        a->head[a->nhead++] = pos[1];
    } else if (npos == 1 || !a->nbase || !a->nhead) {
        fprintf(stderr, "mmbench compare: want BASE.json HEAD.json (see --help)\n");
        return -1;
    }
    return 0;
}

static int load_side(struct mb_cmp_set *set, const char **files, size_t n, const char *metric)
{
    char err[512];
    for (size_t i = 0; i < n; i++) {
        int rc = mb_cmp_load(set, files[i], metric, err, sizeof err);
        if (rc) {
            fprintf(stderr, "mmbench compare: %s\n", rc == MB_ENOMEM ? "out of memory" : err);
            return rc;
        }
    }
    /* A counter no entry has is a typo in --metric, not a change to report. */
    if (!mb_cmp_metric_is_time(metric) && !set->with_metric && set->n) {
        fprintf(stderr, "mmbench compare: no entry of %s has the metric '%s'\n", files[0], metric);
        return MB_EUSAGE;
    }
    return 0;
}

int mb_cmd_compare(int argc, char **argv)
{
    struct args a;
    memset(&a, 0, sizeof a);
    int prc = parse_args(argc, argv, &a);
    if (prc > 0) {
        usage(stdout);
        return MB_EXIT_OK;
    }
    if (prc < 0)
        return MB_EXIT_USAGE; /* the one-line message is out; --help has the rest */

    struct filter f = {.text = a.filter};
    if (a.filter) {
#ifdef MB_HAVE_REGEX
        if (regcomp(&f.re, a.filter, REG_EXTENDED | REG_NOSUB) != 0) {
            fprintf(stderr, "mmbench compare: bad --filter regex '%.60s'\n", a.filter);
            return MB_EXIT_USAGE;
        }
#endif
        a.o.keep = keep_name;
        a.o.keep_ctx = &f;
    }

    int exit_code = MB_EXIT_USAGE;
    struct mb_cmp_set base, head;
    struct mb_cmp_report r;
    mb_cmp_set_init(&base);
    mb_cmp_set_init(&head);
    memset(&r, 0, sizeof r);
    if (load_side(&base, a.base, a.nbase, a.o.metric) ||
        load_side(&head, a.head, a.nhead, a.o.metric))
        goto out;
    if (mb_cmp_compare(&base, &head, &a.o, &r)) {
        fprintf(stderr, "mmbench compare: out of memory\n");
        goto out;
    }
    if (!r.nrows) {
        fprintf(stderr, "mmbench compare: no benchmark%s is in both base and head\n",
                a.filter ? " matching --filter" : "");
        goto out;
    }
    char lb[512], lh[512];
    r.base_label = label(a.base, a.nbase, lb, sizeof lb);
    r.head_label = label(a.head, a.nhead, lh, sizeof lh);
    if (a.format == FMT_JSON) {
        if (mb_cmp_print_json(stdout, &r)) {
            fprintf(stderr, "mmbench compare: out of memory\n");
            goto out;
        }
    } else if (a.format == FMT_MARKDOWN) {
        mb_cmp_print_markdown(stdout, &r);
    } else {
        mb_cmp_print_table(stdout, &r);
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "mmbench compare: cannot write the report: %s\n", strerror(errno));
        goto out;
    }
    exit_code = mb_cmp_exit_code(&r) ? MB_EXIT_FAIL : MB_EXIT_OK;
out:
    mb_cmp_report_free(&r);
    mb_cmp_set_free(&base);
    mb_cmp_set_free(&head);
#ifdef MB_HAVE_REGEX
    if (a.filter)
        regfree(&f.re);
#endif
    return exit_code;
}
