/* The options of every suite and their validation (run_options.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mmbench/error.h"
#include "mmbench/memlimit.h"
#include "mmbench/platform.h"
#include "mmbench/report.h"
#include "run_options.h"

/* --mem-limit: "none" or a size the cgroup can hold the process in. */
static int check_mem_limit(const char *item, char *valid, size_t vlen)
{
    uint64_t v;
    if (strcmp(item, "none") == 0 || (mb_parse_size(item, &v) == 0 && v >= MB_MEMLIMIT_MIN &&
                                      v <= (1ull << 50)))
        return 0;
    mb_clear_error();
    snprintf(valid, vlen, "none, or a size from 16MiB to 1PiB (e.g. 256MiB)");
    return MB_EUSAGE;
}

const struct mb_opt mb_common_opts[] = {
    {"suite", MB_OPT_STRING, NULL, "the suite to run (see `mmbench list`)", NULL, 0, 0, NULL},
    {"reps", MB_OPT_COUNT, "25", "measured repetitions per case", NULL, 1, 100000, NULL},
    {"warmup", MB_OPT_COUNT, "2", "discarded repetitions before them", NULL, 0, 10000, NULL},
    {"min-time-us", MB_OPT_COUNT, "2000",
     "a warm repetition repeats the workload until it lasts this long; figures are per pass",
     NULL, 0, 10000000, NULL},
    {"seed", MB_OPT_COUNT, "42", "seed of every random choice (recorded in the results)", NULL, 0,
     UINT64_MAX, NULL},
    {"dir", MB_OPT_STRING, NULL,
     "directory for scratch files, on the filesystem to measure (default: $TMPDIR or /var/tmp; %TEMP% on Windows)",
     NULL, 0, 0, NULL},
    {"out", MB_OPT_STRING, NULL,
     "results directory, created with all its files in one step (default: results/YYYYMMDD-HHMMSS)",
     NULL, 0, 0, NULL},
    {"format", MB_OPT_LIST, "csv,json,console", "outputs to write", "csv|json|console", 0, 0, NULL},
    {"cpu", MB_OPT_STRING, "none",
     "pin the run to one logical CPU (a number), or none: fewer migrations, steadier medians", NULL,
     0, 0, NULL},
    {"quick", MB_OPT_FLAG, NULL, "smoke-test settings: --reps 5 --warmup 1 --min-time-us 500 unless given",
     NULL, 0, 0, NULL},
    {"interleave", MB_OPT_CHOICE, "on",
     "run the repetitions of all cases in a random order seeded by --seed (on), or case by case "
     "(off); the order is recorded in samples.csv",
     "on|off", 0, 0, NULL},
    {"quiet", MB_OPT_FLAG, NULL, "no progress on stderr", NULL, 0, 0, NULL},
    {"drop-caches", MB_OPT_FLAG, NULL,
     "when evicting one file leaves pages resident, drop the whole page cache (root; hurts "
     "everything else running)",
     NULL, 0, 0, NULL},
    {"mem-limit", MB_OPT_STRING, "none",
     "run the cases inside a memory cgroup of this size (page cache included; 16MiB or more), "
     "or none; where no cgroup is writable, every case is unsupported with the reason",
     NULL, 0, 0, check_mem_limit},
    {"no-plot", MB_OPT_FLAG, NULL, "do not draw the chart", NULL, 0, 0, NULL},
    {"help", MB_OPT_FLAG, NULL, "show the options of the suite and exit", NULL, 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

void mb_suite_names(char *buf, size_t len)
{
    size_t n, used = 0;
    const struct mb_suite *const *s = mb_suites(&n);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", s[i]->name);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
}

/* The first value of --suite, or NULL when absent. */
static const char *find_suite_arg(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--suite") == 0)
            return i + 1 < argc ? argv[i + 1] : "";
        if (strncmp(argv[i], "--suite=", 8) == 0)
            return argv[i] + 8;
    }
    return NULL;
}

static bool has_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

static int find_suite(struct mb_run_request *rq, int argc, char **argv)
{
    char names[256];
    const char *sname = find_suite_arg(argc, argv);
    mb_suite_names(names, sizeof names);
    if (!sname || !*sname) {
        if (has_help(argc, argv)) {
            rq->help = true;
            return 0;
        }
        return mb_fail(MB_EUSAGE, "--suite NAME is required (suites: %s)", names);
    }
    rq->suite = mb_suite_find(sname);
    if (!rq->suite)
        return mb_fail(MB_EUSAGE, "unknown suite '%s' (suites: %s)", sname, names);
    return 0;
}

/* --quick's values of the common options not given. */
static int apply_quick(struct mb_options *o)
{
    static const char *const quick[][2] = {{"reps", "5"}, {"warmup", "1"}, {"min-time-us", "500"}};
    if (!mb_opt_flag(o, "quick"))
        return 0;
    for (size_t i = 0; i < sizeof quick / sizeof quick[0]; i++)
        if (!mb_opt_given(o, quick[i][0]) && mb_opt_set(o, quick[i][0], quick[i][1]) != 0)
            return MB_ENOMEM;
    return 0;
}

/* The suite's own defaults of common options not given; under --quick,
 * its --quick values where it has them. */
static int apply_suite_defaults(struct mb_run_request *rq)
{
    const struct mb_run_default *d = rq->suite->run_defaults;
    bool quick = mb_opt_flag(&rq->o, "quick");
    for (; d && d->name; d++) {
        /* Under --quick, --quick's own value stands unless the suite has one. */
        const char *v = quick ? d->quick : d->value;
        if (v && !mb_opt_given(&rq->o, d->name) && mb_opt_set(&rq->o, d->name, v) != 0)
            return MB_ENOMEM;
    }
    return 0;
}

/* --cpu: "none" or a CPU this process may run on (checked, not pinned). */
static int check_cpu(struct mb_run_request *rq)
{
    const char *cpu = mb_opt_str(&rq->o, "cpu");
    uint64_t n;
    rq->cpu = -1;
    if (strcmp(cpu, "none") == 0)
        return 0;
    if (mb_parse_count(cpu, &n) != 0)
        return mb_fail(MB_EUSAGE, "--cpu %s: not a whole number (a CPU number, or none)", cpu);
    int rc = n > 1u << 20 ? mb_fail(MB_EUSAGE, "CPU %s does not exist", cpu) : mb_cpu_check((unsigned)n);
    if (rc) {
        char why[400];
        snprintf(why, sizeof why, "%s", mb_last_error());
        return mb_fail(MB_EUSAGE, "--cpu %s: %s", cpu, why);
    }
    rq->cpu = (long)n;
    return 0;
}

/* --dir, or the default scratch directory, named as the user gave it:
 * a bad $TMPDIR is reported as TMPDIR, not as an option never typed. */
static int check_dir(struct mb_run_request *rq)
{
    bool given = mb_opt_str(&rq->o, "dir") != NULL;
    if (!given && mb_opt_set(&rq->o, "dir", mb_default_scratch_dir()) != 0)
        return MB_ENOMEM;
    const char *dir = mb_opt_str(&rq->o, "dir");
    if (mb_dir_check_writable(dir) == 0)
        return 0;
    char why[600];
    snprintf(why, sizeof why, "%s", mb_last_error());
    const char *tmpdir = getenv("TMPDIR");
    if (given)
        return mb_fail(MB_EUSAGE, "--dir: %s", why);
    if (tmpdir && *tmpdir)
        return mb_fail(MB_EUSAGE, "TMPDIR=%s (the default scratch directory): %s; set TMPDIR or "
                       "give --dir", tmpdir, why);
    return mb_fail(MB_EUSAGE, "the default scratch directory: %s; give --dir", why);
}

static int check_out(struct mb_run_request *rq, time_t now)
{
    const char *out = mb_opt_str(&rq->o, "out");
    const char *format = mb_opt_str(&rq->o, "format");
    size_t nformats;
    const struct mb_format *formats = mb_formats(&nformats);
    rq->files = false;
    for (size_t i = 0; i < nformats; i++)
        rq->files |= formats[i].writes_files && mb_list_has(format, formats[i].name);
    if (out) {
        if (strlen(out) >= sizeof rq->out)
            return mb_fail(MB_EUSAGE, "--out is %zu characters long; at most %zu fit", strlen(out),
                           sizeof rq->out - 1);
        snprintf(rq->out, sizeof rq->out, "%s", out);
    } else {
        char stamp[32];
        struct tm *tm = localtime(&now);
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", tm);
        snprintf(rq->out, sizeof rq->out, "results/%s", stamp);
    }
    if (!rq->files)
        return 0;
    return mb_result_set_check(rq->out);
}

int mb_run_parse(struct mb_run_request *rq, int argc, char **argv, time_t now)
{
    memset(rq, 0, sizeof *rq);
    int rc = find_suite(rq, argc, argv);
    if (rc || rq->help)
        return rc;
    const struct mb_opt *const tables[] = {mb_common_opts, rq->suite->opts, NULL};
    if ((rc = mb_options_parse(&rq->o, tables, argc, argv)) != 0)
        return rc;
    if (mb_opt_flag(&rq->o, "help")) {
        rq->help = true;
        return 0;
    }
    /* The parser keeps the last --suite; the run would record it while
     * running the first. */
    const char *last = mb_opt_str(&rq->o, "suite");
    if (!last || strcmp(last, rq->suite->name) != 0)
        return mb_fail(MB_EUSAGE, "--suite given more than once ('%s', then '%s'); a run runs one suite",
                       rq->suite->name, last ? last : "");
    const char *why = rq->suite->supported ? rq->suite->supported() : NULL;
    if (why)
        return mb_fail(MB_EUNSUPPORTED, "suite %s is not supported here: %s", rq->suite->name, why);
    if ((rc = apply_quick(&rq->o)) != 0 || (rc = apply_suite_defaults(rq)) != 0 ||
        (rc = check_cpu(rq)) != 0 || (rc = check_dir(rq)) != 0)
        return rc;
    return check_out(rq, now);
}

void mb_run_request_free(struct mb_run_request *rq)
{
    mb_options_free(&rq->o);
    memset(rq, 0, sizeof *rq);
}
