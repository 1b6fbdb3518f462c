/* `mmbench run --suite NAME [options]`, in steps: parse and validate (which
 * creates nothing), plan the suite's cases, prepare the result set (lock
 * --out, stage beside it), run the cases through every reporter, draw the
 * chart into the staged set, commit the set in one rename, and tell the
 * user. Any failure before the commit leaves --out as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "mmbench/error.h"
#include "mmbench/memlimit.h"
#include "mmbench/platform.h"
#include "mmbench/progress.h"
#include "mmbench/result_set.h"
#include "mmbench/runner.h"
#include "mmbench/suite.h"
#include "run_options.h"

#ifndef MB_VERSION
#define MB_VERSION "0.0.0"
#endif
#include "git_commit.h"
#ifndef MB_BUILD_TYPE
#define MB_BUILD_TYPE ""
#endif
#ifndef MB_SCRIPTS_DIR
#define MB_SCRIPTS_DIR "scripts"
#endif
/* The chart scripts of an installed mmbench, relative to its binary. */
#ifndef MB_SCRIPTS_RELDIR
#define MB_SCRIPTS_RELDIR "../share/mmbench/scripts"
#endif

/* A terminal output (the console), made unable to stop a run: its first
 * error (standard output closed or full) silences it and is remembered;
 * the result files are still written and the exit status reports it. */
struct tolerant {
    struct mb_reporter inner;
    bool lost;
};

static int tol_begin(void *st, const struct mb_run_info *info, const struct mb_case *cases,
                     size_t ncases)
{
    struct tolerant *t = st;
    if (!t->lost && t->inner.ops->begin && t->inner.ops->begin(t->inner.st, info, cases, ncases))
        t->lost = true;
    return 0;
}

static int tol_sample(void *st, const struct mb_case *c, const struct mb_sample *s)
{
    struct tolerant *t = st;
    if (!t->lost && t->inner.ops->sample && t->inner.ops->sample(t->inner.st, c, s))
        t->lost = true;
    return 0;
}

static int tol_aggregate(void *st, const struct mb_case *c, const struct mb_summary *s)
{
    struct tolerant *t = st;
    if (!t->lost && t->inner.ops->aggregate && t->inner.ops->aggregate(t->inner.st, c, s))
        t->lost = true;
    return 0;
}

static int tol_end(void *st, bool ok)
{
    struct tolerant *t = st;
    if (!t->lost && t->inner.ops->end && t->inner.ops->end(t->inner.st, ok))
        t->lost = true;
    return 0;
}

static void tol_destroy(void *st)
{
    struct tolerant *t = st;
    t->inner.ops->destroy(t->inner.st);
}

/* Everything one run holds; released by run_free(). */
struct run {
    struct mb_run_request rq;
    struct mb_plan plan;
    struct mb_result_set rs;
    struct mb_reporter reps[8];
    struct tolerant terminal[8];
    struct mb_reporter_ops terminal_ops[8];
    size_t nrep;
    struct mb_env env;
    char *cmdline;
    char date[64];
    bool chart_drawn, chart_failed;
    /* Why --mem-limit cannot be applied here; "" when it can. */
    char no_limit[sizeof ((struct mb_case *)0)->error];
};

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
        bool quote = argv[i][strcspn(argv[i], " \t\n'\"")] != '\0';
        strcat(s, quote ? " '" : " ");
        strcat(s, argv[i]);
        if (quote)
            strcat(s, "'");
    }
    return s;
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

static void print_run_help(const struct mb_suite *suite)
{
    char names[256];
    mb_suite_names(names, sizeof names);
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

/* Prints `what: <last error>` and maps the error to an exit code. */
static int fail(const char *what, int rc)
{
    fprintf(stderr, "mmbench run: %s%s%s\n", what, *what ? ": " : "", mb_last_error());
    return rc == MB_EUSAGE ? MB_EXIT_USAGE : MB_EXIT_FAIL;
}

/* Step 2a: --mem-limit moves the run into a memory cgroup before the cases
 * are planned, so that the files they make are charged to it. Where no
 * cgroup is writable the run goes on, and every case is unsupported with
 * the reason (marked once the plan exists). */
static int enter_mem_limit(struct run *r)
{
    const char *v = mb_opt_str(&r->rq.o, "mem-limit");
    uint64_t bytes;
    if (!v || strcmp(v, "none") == 0 || mb_parse_size(v, &bytes) != 0)
        return -1;
    int rc = mb_memlimit_enter(bytes);
    if (rc == MB_EUNSUPPORTED) {
        snprintf(r->no_limit, sizeof r->no_limit, "--mem-limit %s: %s", v, mb_last_error());
        mb_clear_error();
        return -1;
    }
    return rc ? fail("--mem-limit", rc) : -1;
}

/* A case measured without the limit asked for would carry a wrong label. */
static void mark_unlimited(struct run *r)
{
    for (size_t i = 0; r->no_limit[0] && i < r->plan.ncases; i++) {
        r->plan.cases[i].status = MB_EUNSUPPORTED;
        snprintf(r->plan.cases[i].error, sizeof r->plan.cases[i].error, "%s", r->no_limit);
    }
}

/* Step 2: the suite's cases (and their scratch files), after removing
 * what dead runs left in --dir. Usage errors found here (a size cap, a
 * scratch directory that refuses files) come before --out exists. */
static int plan(struct run *r)
{
    const char *dir = mb_opt_str(&r->rq.o, "dir");
    mb_scratch_reap(dir);
    mb_env_probe(dir, &r->env);
    mb_counters_watch_device(dir); /* unavailable (not 0) when dir has no block device */
    int rc = r->rq.suite->build(&r->rq.o, &r->plan);
    if (rc == 0) {
        mark_unlimited(r);
        return -1;
    }
    /* A scratch directory the user never typed is named as it was given. */
    char what[MB_PATH_MAX + 64] = "";
    const char *tmpdir = getenv("TMPDIR");
    if (rc == MB_EUSAGE && !mb_opt_given(&r->rq.o, "dir") && tmpdir && strcmp(tmpdir, dir) == 0 &&
        strstr(mb_last_error(), "scratch"))
        snprintf(what, sizeof what, "TMPDIR=%s (the default scratch directory; set TMPDIR or give --dir)",
                 tmpdir);
    return fail(what, rc);
}

/* Step 3: lock --out and create the staging directory. */
static int prepare_out(struct run *r)
{
    if (!r->rq.files)
        return -1;
    int rc = mb_result_set_open(&r->rs, r->rq.out);
    if (rc)
        return fail("", rc);
    r->plan.out_dir = r->rs.stage;
    return -1;
}

static void fill_info(struct run *r, struct mb_run_info *info, const char **names,
                      const char **values)
{
    const struct mb_options *o = &r->rq.o;
    size_t n = 0;
    for (size_t i = 0; i < o->n; i++)
        if (o->v[i].value && strcmp(o->v[i].opt->name, "help") != 0) {
            names[n] = o->v[i].opt->name;
            values[n++] = o->v[i].value;
        }
    *info = (struct mb_run_info){
        .version = MB_VERSION,
        .git_commit = MB_GIT_COMMIT,
        .build_type = MB_BUILD_TYPE,
        .command_line = r->cmdline ? r->cmdline : "mmbench run",
        .date = r->date,
        .suite = r->rq.suite->name,
        .env = &r->env,
        .timer_resolution_ns = mb_timer_resolution_ns(),
        .timer_overhead_ns = mb_timer_overhead_ns(),
        .reps = (unsigned)mb_opt_num(o, "reps"),
        .warmup = (unsigned)mb_opt_num(o, "warmup"),
        .seed = mb_opt_num(o, "seed"),
        .interleaved = strcmp(mb_opt_str(o, "interleave"), "on") == 0,
        .opt_names = names,
        .opt_values = values,
        .nopts = n,
    };
}

/* One reporter per format asked for; the file formats write into the
 * staging directory. */
static int start_reporters(struct run *r, const struct mb_run_info *info)
{
    const char *format = mb_opt_str(&r->rq.o, "format");
    size_t nformats;
    const struct mb_format *formats = mb_formats(&nformats);
    for (size_t i = 0; i < nformats && r->nrep < sizeof r->reps / sizeof r->reps[0]; i++) {
        if (!mb_list_has(format, formats[i].name))
            continue;
        struct mb_reporter *rep = &r->reps[r->nrep];
        if (formats[i].create(rep, r->rs.stage, stdout) != 0) {
            char what[64];
            snprintf(what, sizeof what, "cannot start the %s output", formats[i].name);
            return fail(what, MB_EENV);
        }
        if (!formats[i].writes_files) {
            struct tolerant *t = &r->terminal[r->nrep];
            t->inner = *rep;
            r->terminal_ops[r->nrep] = (struct mb_reporter_ops){
                rep->ops->name, tol_begin, tol_sample, tol_aggregate, tol_end, tol_destroy};
            *rep = (struct mb_reporter){&r->terminal_ops[r->nrep], t};
        }
        r->nrep++;
    }
    int rc = mb_report_begin(r->reps, r->nrep, info, r->plan.cases, r->plan.ncases);
    return rc ? fail("cannot start the outputs", rc) : -1;
}

/* Step 4: every case through every reporter; the files land in the
 * staging directory. Returns -1 to go on (a failed case included: its
 * result is recorded), or an exit code. */
static int run_cases(struct run *r, int *cases_rc)
{
    const char *names[MB_MAX_OPTS], *values[MB_MAX_OPTS];
    struct mb_run_info info;
    fill_info(r, &info, names, values);
    int rc = start_reporters(r, &info);
    if (rc >= 0)
        return rc;
    if (r->rq.cpu >= 0 && (rc = mb_pin_cpu((unsigned)r->rq.cpu)) != 0)
        return fail("--cpu", rc);
    struct mb_run_config cfg = {
        .reps = info.reps,
        .warmup = info.warmup,
        .min_time_ns = mb_opt_num(&r->rq.o, "min-time-us") * 1000,
        .warmup_run_ns = mb_opt_num(&r->rq.o, "warmup") ? 300000000ull : 0,
        .drop_caches = mb_opt_flag(&r->rq.o, "drop-caches"),
        .interleave = info.interleaved,
        .seed = info.seed,
    };
    struct mb_progress_out po = {.out = stderr, .tty = isatty(fileno(stderr))};
    if (!mb_opt_flag(&r->rq.o, "quiet")) {
        cfg.progress = mb_progress_print;
        cfg.progress_arg = &po;
    }
    *cases_rc = mb_run_cases(r->plan.cases, r->plan.ncases, &cfg, r->reps, r->nrep);
    mb_memlimit_leave(); /* the outputs and the chart are not the cases' */
    mb_progress_clear(&po);
    bool ok = *cases_rc == 0 || *cases_rc == 1;
    if (!ok && *cases_rc == MB_EINTR)
        mb_fail(MB_EINTR, "interrupted; --out was left as it was");
    int exit_code = ok ? -1 : fail("", *cases_rc);
    for (size_t i = 0; i < r->nrep; i++)
        if (r->reps[i].ops->end && r->reps[i].ops->end(r->reps[i].st, ok) != 0 && ok) {
            char what[64];
            snprintf(what, sizeof what, "writing the %s output failed", r->reps[i].ops->name);
            exit_code = fail(what, MB_EENV);
            ok = false;
        }
    return exit_code;
}

/* Where the chart scripts are: $MMBENCH_SCRIPTS, then installed beside the
 * binary (<prefix>/share/mmbench/scripts), then the source tree. */
static void scripts_dir(char *buf, size_t len)
{
    const char *env = getenv("MMBENCH_SCRIPTS");
    char self[MB_PATH_MAX], p[MB_PATH_MAX + 64];
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return;
    }
    if (mb_self_dir(self, sizeof self) == 0) {
        int n = snprintf(p, sizeof p, "%s/" MB_SCRIPTS_RELDIR, self);
        if (n > 0 && (size_t)n < len && mb_path_exists(p)) {
            memcpy(buf, p, (size_t)n + 1);
            return;
        }
    }
    snprintf(buf, len, "%s", MB_SCRIPTS_DIR);
}

/* Step 5: the suite's chart, drawn into the staged set. A valid result
 * whose chart cannot be drawn is still committed, and the run fails. */
static void draw_chart(struct run *r)
{
    const struct mb_suite *s = r->rq.suite;
    const char *format = mb_opt_str(&r->rq.o, "format");
    if (!s->plot || !mb_list_has(format, "csv") || mb_opt_flag(&r->rq.o, "no-plot"))
        return;
    char dir[MB_PATH_MAX], script[MB_PATH_MAX + 64];
    scripts_dir(dir, sizeof dir);
    snprintf(script, sizeof script, "%s/%s", dir, s->plot);
    /* Every driver takes the results directory; what it prints about the
     * staging directory is dropped, mmbench names the final place. */
    char *argv[] = {script, r->rs.stage, NULL};
    fflush(stdout);
    int rc = mb_run_program_silent(argv);
    if (rc == MB_EUNSUPPORTED) {
        fprintf(stderr, "mmbench run: chart skipped: %s\n", mb_last_error());
        return;
    }
    for (const char *const *f = s->plot_outputs; rc == 0 && f && *f; f++) {
        char p[MB_PATH_MAX + 256];
        snprintf(p, sizeof p, "%s/%s", r->rs.stage, *f);
        if (!mb_path_exists(p))
            rc = mb_fail(MB_EENV, "%s did not write %s", s->plot, *f);
    }
    if (rc > 0)
        mb_fail(MB_EENV, "%s exited %d", s->plot, rc);
    if (rc != 0) {
        fprintf(stderr, "mmbench run: chart not drawn: %s\n", mb_last_error());
        r->chart_failed = true;
    }
    r->chart_drawn = rc == 0;
}

/* Steps 6 and 7: publish the result set, then say where it is. A closed
 * or full standard output costs nothing but the exit status. */
static int commit(struct run *r, int cases_rc)
{
    int rc;
    if (r->rq.files && (rc = mb_result_set_commit(&r->rs)) != 0)
        return fail("the results were not written", rc);
    if (r->rq.files) {
        printf("results: %s/\n", r->rq.out);
        for (const char *const *f = r->rq.suite->plot_outputs; r->chart_drawn && f && *f; f++)
            printf("chart: %s/%s\n", r->rq.out, *f);
    }
    bool lost = false;
    for (size_t i = 0; i < r->nrep; i++)
        lost |= r->terminal[i].lost;
    if (fflush(stdout) != 0 || ferror(stdout) || mb_stdout_lost() || lost) {
        fprintf(stderr, "mmbench run: standard output could not be written%s%s\n",
                r->rq.files ? "; the results are complete in " : "", r->rq.files ? r->rq.out : "");
        return MB_EXIT_FAIL;
    }
    return cases_rc == 0 && !r->chart_failed ? MB_EXIT_OK : MB_EXIT_FAIL;
}

static void run_free(struct run *r)
{
    mb_memlimit_leave();
    for (size_t i = 0; i < r->nrep; i++)
        r->reps[i].ops->destroy(r->reps[i].st);
    mb_plan_free(&r->plan);
    mb_result_set_close(&r->rs);
    mb_run_request_free(&r->rq);
    free(r->cmdline);
}

/* Step 1, and the order of the others. */
int mb_cmd_run(int argc, char **argv)
{
    static struct run r; /* large (paths), and one per process */
    memset(&r, 0, sizeof r);
    time_t now = time(NULL);
    iso8601_local(now, r.date, sizeof r.date);
    int rc = mb_run_parse(&r.rq, argc, argv, now), exit_code = -1, cases_rc = 0;
    if (rc == 0 && r.rq.help) {
        print_run_help(r.rq.suite);
        exit_code = MB_EXIT_OK;
    } else if (rc) {
        exit_code = fail("", rc);
    }
    r.cmdline = join_command(argc, argv);
    if (exit_code < 0)
        exit_code = enter_mem_limit(&r);
    if (exit_code < 0)
        exit_code = plan(&r);
    if (exit_code < 0)
        exit_code = prepare_out(&r);
    if (exit_code < 0)
        exit_code = run_cases(&r, &cases_rc);
    if (exit_code < 0 && r.rq.files)
        draw_chart(&r);
    if (exit_code < 0)
        exit_code = commit(&r, cases_rc);
    run_free(&r);
    return exit_code;
}
