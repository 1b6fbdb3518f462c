/* `mmbench run --suite NAME [options]`: parse and validate everything, build
 * the suite's cases, run them through every requested reporter, then draw
 * the suite's chart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/progress.h"
#include "mmbench/runner.h"
#include "mmbench/suite.h"

#ifndef MB_VERSION
#define MB_VERSION "0.0.0"
#endif
#ifndef MB_GIT_COMMIT
#define MB_GIT_COMMIT ""
#endif
#ifndef MB_BUILD_TYPE
#define MB_BUILD_TYPE ""
#endif
#ifndef MB_SCRIPTS_DIR
#define MB_SCRIPTS_DIR "scripts"
#endif

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
    {"out", MB_OPT_STRING, NULL, "results directory (default: results/YYYYMMDD-HHMMSS)", NULL, 0, 0,
     NULL},
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
    {"no-plot", MB_OPT_FLAG, NULL, "do not draw the chart", NULL, 0, 0, NULL},
    {"help", MB_OPT_FLAG, NULL, "show the options of the suite and exit", NULL, 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

static void suite_names(char *buf, size_t len)
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

static char *join_command(int argc, char **argv)
{
    size_t len = 16;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 3;
    char *s = malloc(len);
    if (!s)
        return NULL;
    strcpy(s, "mmbench run");
    for (int i = 0; i < argc; i++) {
        bool quote = argv[i][strcspn(argv[i], " \t'\"")] != '\0';
        strcat(s, quote ? " '" : " ");
        strcat(s, argv[i]);
        if (quote)
            strcat(s, "'");
    }
    return s;
}

/* Refuses an --out that already holds results: mmbench never overwrites a
 * file it did not create in this run. */
static int check_out_dir(const char *out)
{
    static const char *const names[] = {"samples.csv", "summary.csv", "results.json",
                                        "records.svg", "records.png"};
    int rc = mb_mkdir_p(out);
    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", out, names[i]);
        if (mb_path_exists(p))
            return mb_fail(MB_EUSAGE, "--out %s already holds %s; choose a new directory", out,
                           names[i]);
    }
    return 0;
}

/* `now` as ISO 8601 local time with its UTC offset ("...T09:08:10+0100").
 * strftime's %z is that offset in C99, but msvcrt prints the zone's name
 * there, so the offset is taken from the difference of the local and UTC
 * broken-down times of the same instant, which is exact. */
static void iso8601_local(time_t now, char *buf, size_t len)
{
    struct tm local = *localtime(&now), utc = *gmtime(&now);
    long days = local.tm_year != utc.tm_year ? (local.tm_year > utc.tm_year ? 1 : -1)
                                             : local.tm_yday - utc.tm_yday;
    long off = ((days * 24 + local.tm_hour - utc.tm_hour) * 60 + local.tm_min - utc.tm_min);
    size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &local);
    long a = off < 0 ? -off : off;
    snprintf(buf + n, len - n, "%c%02ld%02ld", off < 0 ? '-' : '+', a / 60, a % 60);
}

static void draw_chart(const struct mb_suite *suite, const char *out)
{
    const char *dir = getenv("MMBENCH_SCRIPTS");
    char script[4096];
    snprintf(script, sizeof script, "%s/%s", dir && *dir ? dir : MB_SCRIPTS_DIR, suite->plot);
    if (!mb_path_exists(script)) {
        fprintf(stderr, "mmbench: chart skipped: %s not found (set MMBENCH_SCRIPTS)\n", script);
        return;
    }
    char *argv[] = {script, (char *)out, NULL};
    fflush(stdout); /* keep our lines before the child's */
    int rc = mb_run_program(argv);
    if (rc != 0)
        fprintf(stderr, "mmbench: chart not drawn (%s exited %d%s%s)\n", suite->plot, rc,
                rc < 0 ? ": " : "", rc < 0 ? mb_last_error() : "");
}

static void print_run_help(const struct mb_suite *suite)
{
    char names[256];
    suite_names(names, sizeof names);
    printf("usage: mmbench run --suite NAME [options]\n\nsuites: %s\n\noptions of every suite:\n",
           names);
    mb_options_print(mb_common_opts, stdout);
    if (suite) {
        printf("\noptions of suite %s (%s; claims %s):\n", suite->name, suite->help, suite->claims);
        mb_options_print(suite->opts, stdout);
    } else {
        puts("\n`mmbench run --suite NAME --help` shows the suite's own options.");
    }
}

int mb_cmd_run(int argc, char **argv)
{
    char names[256];
    suite_names(names, sizeof names);
    const char *sname = find_suite_arg(argc, argv);
    if (!sname || !*sname) {
        if (has_help(argc, argv)) {
            print_run_help(NULL);
            return MB_EXIT_OK;
        }
        fprintf(stderr, "mmbench run: --suite NAME is required (suites: %s)\n", names);
        return MB_EXIT_USAGE;
    }
    const struct mb_suite *suite = mb_suite_find(sname);
    if (!suite) {
        fprintf(stderr, "mmbench run: unknown suite '%s' (suites: %s)\n", sname, names);
        return MB_EXIT_USAGE;
    }

    struct mb_options o;
    const struct mb_opt *const tables[] = {mb_common_opts, suite->opts, NULL};
    if (mb_options_parse(&o, tables, argc, argv) != 0) {
        fprintf(stderr, "mmbench run: %s\n", mb_last_error());
        mb_options_free(&o);
        return MB_EXIT_USAGE;
    }
    if (mb_opt_flag(&o, "help")) {
        print_run_help(suite);
        mb_options_free(&o);
        return MB_EXIT_OK;
    }
    const char *why = suite->supported ? suite->supported() : NULL;
    if (why) {
        fprintf(stderr, "mmbench run: suite %s is not supported here: %s\n", suite->name, why);
        mb_options_free(&o);
        return MB_EXIT_FAIL;
    }
    if (mb_opt_flag(&o, "quick")) {
        if (!mb_opt_given(&o, "reps"))
            mb_opt_set(&o, "reps", "5");
        if (!mb_opt_given(&o, "warmup"))
            mb_opt_set(&o, "warmup", "1");
        if (!mb_opt_given(&o, "min-time-us"))
            mb_opt_set(&o, "min-time-us", "500");
    }

    int exit_code = MB_EXIT_FAIL, rc;
    struct mb_plan plan = {0};
    struct mb_reporter reps[8] = {{0}};
    size_t nrep = 0;
    char *cmdline = join_command(argc, argv);
    char out[4096], date[64];
    time_t now = time(NULL);
    iso8601_local(now, date, sizeof date);
    struct tm *tm = localtime(&now); /* after: gmtime may share its buffer */
    if (mb_opt_str(&o, "out")) {
        snprintf(out, sizeof out, "%s", mb_opt_str(&o, "out"));
    } else {
        char stamp[32];
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", tm);
        snprintf(out, sizeof out, "results/%s", stamp);
    }
    const char *format = mb_opt_str(&o, "format");
    if (!mb_opt_str(&o, "dir"))
        mb_opt_set(&o, "dir", mb_default_scratch_dir());
    const char *dir = mb_opt_str(&o, "dir");
    bool files = mb_list_has(format, "csv") || mb_list_has(format, "json");

    const char *cpu = mb_opt_str(&o, "cpu");
    if (strcmp(cpu, "none") != 0) {
        uint64_t n;
        if (mb_parse_count(cpu, &n) != 0 || n > 4095 || mb_pin_cpu((unsigned)n) != 0) {
            fprintf(stderr, "mmbench run: --cpu %s: %s (a CPU number, or none)\n", cpu,
                    mb_last_error());
            exit_code = MB_EXIT_USAGE;
            goto done;
        }
    }

    /* Every usage check happens before the first scratch file is written. */
    if ((rc = mb_dir_check_writable(dir)) != 0) {
        fprintf(stderr, "mmbench run: --dir: %s\n", mb_last_error());
        exit_code = MB_EXIT_USAGE;
        goto done;
    }
    if (files && (rc = check_out_dir(out)) != 0) {
        fprintf(stderr, "mmbench run: --out: %s\n", mb_last_error());
        exit_code = MB_EXIT_USAGE;
        goto done;
    }

    struct mb_env env;
    mb_env_probe(dir, &env);
    mb_counters_watch_device(dir); /* unavailable (not 0) when dir has no block device */
    if ((rc = suite->build(&o, &plan)) != 0) {
        fprintf(stderr, "mmbench run: %s\n", mb_last_error());
        exit_code = rc == MB_EUSAGE ? MB_EXIT_USAGE : MB_EXIT_FAIL;
        goto done;
    }

    const char *opt_names[MB_MAX_OPTS], *opt_values[MB_MAX_OPTS];
    size_t nopts = 0;
    for (size_t i = 0; i < o.n; i++)
        if (o.v[i].value && strcmp(o.v[i].opt->name, "help") != 0) {
            opt_names[nopts] = o.v[i].opt->name;
            opt_values[nopts++] = o.v[i].value;
        }
    struct mb_run_info info = {
        .version = MB_VERSION,
        .git_commit = MB_GIT_COMMIT,
        .build_type = MB_BUILD_TYPE,
        .command_line = cmdline ? cmdline : "mmbench run",
        .date = date,
        .suite = suite->name,
        .env = &env,
        .timer_resolution_ns = mb_timer_resolution_ns(),
        .timer_overhead_ns = mb_timer_overhead_ns(),
        .reps = (unsigned)mb_opt_num(&o, "reps"),
        .warmup = (unsigned)mb_opt_num(&o, "warmup"),
        .seed = mb_opt_num(&o, "seed"),
        .interleaved = strcmp(mb_opt_str(&o, "interleave"), "on") == 0,
        .opt_names = opt_names,
        .opt_values = opt_values,
        .nopts = nopts,
    };
    size_t nformats;
    const struct mb_format *formats = mb_formats(&nformats);
    for (size_t i = 0; i < nformats; i++) {
        if (!mb_list_has(format, formats[i].name))
            continue;
        if (formats[i].create(&reps[nrep], out, stdout) != 0) {
            fprintf(stderr, "mmbench run: cannot start the %s output: %s\n", formats[i].name,
                    mb_last_error());
            goto done;
        }
        nrep++;
    }
    if ((rc = mb_report_begin(reps, nrep, &info, plan.cases, plan.ncases)) != 0) {
        fprintf(stderr, "mmbench run: cannot start the outputs: %s\n", mb_last_error());
        goto done;
    }

    struct mb_run_config cfg = {
        .reps = info.reps,
        .warmup = info.warmup,
        .min_time_ns = mb_opt_num(&o, "min-time-us") * 1000,
        .drop_caches = mb_opt_flag(&o, "drop-caches"),
        .interleave = info.interleaved,
        .seed = info.seed,
    };
    struct mb_progress_out po = {.out = stderr, .tty = isatty(fileno(stderr))};
    if (!mb_opt_flag(&o, "quiet")) {
        cfg.progress = mb_progress_print;
        cfg.progress_arg = &po;
    }
    rc = mb_run_cases(plan.cases, plan.ncases, &cfg, reps, nrep);
    mb_progress_clear(&po);
    bool ok = rc == 0 || rc == 1;
    for (size_t i = 0; i < nrep; i++)
        if (reps[i].ops->end && reps[i].ops->end(reps[i].st, ok) != 0) {
            fprintf(stderr, "mmbench run: writing the %s output failed: %s\n", reps[i].ops->name,
                    mb_last_error());
            ok = false;
        }
    if (!ok) {
        if (rc == MB_EINTR)
            fprintf(stderr, "mmbench run: interrupted; no result file was written\n");
        else if (rc < 0)
            fprintf(stderr, "mmbench run: %s\n", mb_last_error());
        goto done;
    }
    if (files)
        printf("results: %s/\n", out);
    if (mb_list_has(format, "csv") && suite->plot && !mb_opt_flag(&o, "no-plot"))
        draw_chart(suite, out);
    exit_code = rc == 0 ? MB_EXIT_OK : MB_EXIT_FAIL;
done:
    for (size_t i = 0; i < nrep; i++)
        reps[i].ops->destroy(reps[i].st);
    mb_plan_free(&plan);
    mb_options_free(&o);
    free(cmdline);
    return exit_code;
}
