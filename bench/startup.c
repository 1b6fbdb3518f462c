/* The `startup` suite (claim C1): does an executable start slower for
 * being larger? One program, built at run time in several sizes (a large
 * read-only section it never touches), is started cold (its pages evicted)
 * and warm, against the same executable reading its whole file with read()
 * at start, as a program that loads its data does.
 *
 * A start is timed by hyperfine, the whole process from fork to exit; each
 * repetition is one hyperfine run (--runs 1), and its JSON is folded into
 * the sample (the runner's own clock sees only hyperfine): wall_ns, user_ns,
 * sys_ns and cpu_ns are that start's. Before it, mmbench starts the same
 * executable once itself, in the same cache state, to read what hyperfine
 * does not report: the child's page faults, the bytes it read from storage
 * and its read calls (rusage and /proc/PID/io, read before it is reaped).
 * Those columns are that own start's, as are the metrics own_start_ns,
 * own_cpu_ns and max_rss_bytes; no column mixes the two starts. For a cold start, hyperfine's --prepare runs
 * `mmbench cache-evict`, which evicts the executable and checks with
 * mincore that none of it is left.
 *
 * The second-instance case starts A, which touches (mapped) or reads its
 * whole section and waits, then B, the same program: B's start is timed
 * by mmbench until B says it is ready, and B's /proc/PID/smaps_rollup
 * shows which of its pages it shares with A.
 *
 * On Windows the executables are copies of a stub the build made, padded
 * (startup_exe.c), and mmbench times each start itself, CreateProcess to
 * exit (mb_startup_own_timer: hyperfine does not run under Wine); cold
 * starts are unsupported there, as for every file Windows cannot evict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/child.h"
#include "mmbench/error.h"
#include "mmbench/hyperfine.h"
#include "mmbench/platform.h"
#include "mmbench/startup.h"
#include "mmbench/suite.h"
#include "startup_exe.h"

enum variant { V_MAPPED, V_READ, NVARIANTS };
static const char *const variant_names[NVARIANTS] = {"mapped", "read"};

enum { X_OWN_START, X_OWN_CPU, X_MAX_RSS };                 /* a start's metrics */
enum { X_SHARED_CLEAN, X_PSS, X_PRIVATE, X_RSS };           /* the second instance's */

#define PATH_LEN 4096

/* What every case shares: the tools and the file hyperfine writes. */
struct su_run {
    const char *dir;
    char hyperfine[PATH_LEN];
    char mmbench[PATH_LEN];
    char *json;                 /* scratch file hyperfine's --export-json writes */
    const char *own_timer;      /* mb_startup_own_timer(): no hyperfine when set */
    unsigned users;
};

struct su_case {
    enum variant v;
    bool second;                /* the second-instance case */
    struct startup_exe *exe;
    struct su_run *run;
    struct mb_child a, b;
    char command[2 * PATH_LEN], prepare[3 * PATH_LEN];
};

/* ---- one start ------------------------------------------------------------ */

/* Checks a start's exit and its one line ("<word> <value>"). */
static int check_start(const struct su_case *s, const struct mb_child_usage *u,
                       const char *out, const char *word)
{
    uint64_t want = startup_expected_value(s->exe, s->v == V_READ);
    unsigned long long got = 0;
    char w[16] = "";
    if (u->signal)
        return mb_fail(MB_EENV, "the %s program died of signal %d", variant_names[s->v],
                       u->signal);
    if (sscanf(out, "%15s %llu", w, &got) != 2 || strcmp(w, word) != 0 || got != want ||
        (strcmp(word, "ready") != 0 && u->exit_code != startup_expected_exit(want)))
        return mb_fail(MB_EVERIFY, "the %s program printed '%.60s' and exited %d; want "
                       "'%s %llu' and exit %d", variant_names[s->v], out, u->exit_code, word,
                       (unsigned long long)want, startup_expected_exit(want));
    return 0;
}

static void count_known(struct mb_pass *p, enum mb_field f, double v)
{
    if (v >= 0)
        mb_pass_count(p, f, v);
}

/* mmbench's own start: the child's faults and I/O; where mmbench is the
 * timer its time and CPU time too, else those go to own_* metrics, since
 * the row's time and CPU time are hyperfine's start's. */
static int own_start(struct su_case *s, struct mb_pass *p)
{
    char *argv[] = {s->exe->path, (char *)variant_names[s->v], NULL};
    char out[256];
    struct mb_child_usage u;
    int rc = mb_child_start(&s->a, argv, NULL, false, -1);
    rc = rc ? rc : mb_child_finish(&s->a, &u, out, sizeof out);
    rc = rc ? rc : check_start(s, &u, out, variant_names[s->v]);
    if (rc)
        return rc;
    count_known(p, MB_F_MAJOR, u.major_faults);
    count_known(p, MB_F_MINOR, u.minor_faults);
    count_known(p, MB_F_STORAGE_OPS, u.inblock);
    count_known(p, MB_F_STORAGE_BYTES, u.read_bytes);
    count_known(p, MB_F_OS_CALLS, u.read_calls);
    bool cpu_known = u.user_ns >= 0 && u.sys_ns >= 0;
    if (!s->run->own_timer) {
        /* rusage from wait4: Linux always gives the child's CPU time. */
        if (!cpu_known)
            return mb_fail(MB_EENV, "no CPU time of the %s program", variant_names[s->v]);
        p->metric[X_OWN_START] += (double)u.wall_ns;
        p->metric[X_OWN_CPU] += u.user_ns + u.sys_ns;
        p->metric[X_MAX_RSS] += u.maxrss_bytes;
        return 0;
    }
    mb_pass_count(p, MB_F_WALL, (double)u.wall_ns);
    count_known(p, MB_F_USER, u.user_ns);
    count_known(p, MB_F_SYS, u.sys_ns);
    if (cpu_known)
        mb_pass_count(p, MB_F_CPU, u.user_ns + u.sys_ns);
    return 0;
}

/* One hyperfine run of the start; its time and CPU time (user, system and
 * their sum) go to the pass. */
static int hyperfine_start(struct su_case *s, struct mb_pass *p, bool cold)
{
    char *argv[] = {s->run->hyperfine, "-N", "--runs", "1", "--style", "none", "-i",
                    "--export-json", s->run->json, "--prepare", s->prepare, s->command, NULL};
    if (!cold) {
        argv[9] = s->command;
        argv[10] = NULL;
    }
    char out[1024];
    struct mb_child ch;
    struct mb_child_usage u;
    /* Emptied first: a hyperfine that wrote nothing must not be read as
     * the previous run's figures. */
    FILE *f = fopen(s->run->json, "w");
    if (!f || fclose(f) != 0)
        return mb_fail(MB_EENV, "cannot empty %s", s->run->json);
    int rc = mb_child_start(&ch, argv, NULL, false, -1);
    rc = rc ? rc : mb_child_finish(&ch, &u, out, sizeof out);
    if (rc == 0 && (u.exit_code != 0 || u.signal))
        return mb_fail(MB_EENV, "hyperfine failed (%s %d): %.400s", u.signal ? "signal" : "exit",
                       u.signal ? u.signal : u.exit_code, out);
    struct mb_hyperfine_result r;
    rc = rc ? rc : mb_hyperfine_read(s->run->json, 0, &r);
    if (rc)
        return rc;
    int want = startup_expected_exit(startup_expected_value(s->exe, s->v == V_READ));
    if (r.runs != 1)
        rc = mb_fail(MB_EENV, "hyperfine reported %zu runs, not 1", r.runs);
    else if (r.exit_codes[0] < 0)
        rc = mb_fail(MB_EENV, "the start hyperfine timed died of a signal");
    else if (r.exit_codes[0] != want)
        rc = mb_fail(MB_EVERIFY, "the start hyperfine timed exited %d (want %d)",
                     r.exit_codes[0], want);
    else {
        mb_pass_count(p, MB_F_WALL, r.times_ns[0]);
        mb_pass_count(p, MB_F_USER, r.user_ns);
        mb_pass_count(p, MB_F_SYS, r.system_ns);
        mb_pass_count(p, MB_F_CPU, r.user_ns + r.system_ns);
    }
    mb_hyperfine_free(&r);
    return rc;
}

static int start_pass(struct mb_case *c, struct mb_pass *p)
{
    struct su_case *s = c->data;
    int rc = own_start(s, p);
    return rc || s->run->own_timer ? rc : hyperfine_start(s, p, c->cache == MB_CACHE_COLD);
}

/* ---- the second instance ---------------------------------------------------- */

static int hold_start(struct su_case *s, struct mb_child *ch)
{
    char *argv[] = {s->exe->path, (char *)variant_names[s->v], "hold", NULL};
    char line[256];
    struct mb_child_usage none = {.exit_code = 0};
    int rc = mb_child_start(ch, argv, NULL, true, -1);
    if (rc)
        return rc;
    if (mb_child_read_line(ch, line, sizeof line) == 0)
        return check_start(s, &none, line, "ready");
    /* It ended before it was ready: say how. */
    struct mb_child_usage u;
    rc = mb_child_finish(ch, &u, NULL, 0);
    return rc ? rc : mb_fail(MB_EENV, "the %s program ended before it was ready (%s %d)",
                             variant_names[s->v], u.signal ? "signal" : "exit",
                             u.signal ? u.signal : u.exit_code);
}

/* Ends a held child and checks how it ended. */
static int hold_end(struct su_case *s, struct mb_child *ch, struct mb_child_usage *u)
{
    mb_child_release(ch);
    int rc = mb_child_finish(ch, u, NULL, 0);
    if (rc == 0 && (u->signal || u->exit_code != startup_expected_exit(
                        startup_expected_value(s->exe, s->v == V_READ))))
        rc = mb_fail(MB_EENV, "a held %s program ended with %s %d", variant_names[s->v],
                     u->signal ? "signal" : "exit", u->signal ? u->signal : u->exit_code);
    return rc;
}

static int second_pass(struct mb_case *c, struct mb_pass *p)
{
    struct su_case *s = c->data;
    int rc = hold_start(s, &s->a);
    if (rc)
        return rc;
    uint64_t t0 = mb_now_ns();
    if ((rc = hold_start(s, &s->b)) != 0)
        return rc;
    mb_pass_count(p, MB_F_WALL, (double)(mb_now_ns() - t0));
    struct mb_child_memory m;
    if ((rc = mb_child_memory_read(&s->b, &m)) != 0)
        return rc;
    p->metric[X_SHARED_CLEAN] += m.shared_clean;
    p->metric[X_PSS] += m.pss;
    p->metric[X_PRIVATE] += m.private_bytes;
    p->metric[X_RSS] += m.rss;
    struct mb_child_usage ub, ua;
    rc = hold_end(s, &s->b, &ub);
    int rca = hold_end(s, &s->a, &ua);
    if (rc || rca)
        return rc ? rc : rca;
    count_known(p, MB_F_MAJOR, ub.major_faults);
    count_known(p, MB_F_MINOR, ub.minor_faults);
    count_known(p, MB_F_USER, ub.user_ns);
    count_known(p, MB_F_SYS, ub.sys_ns);
    if (ub.user_ns >= 0 && ub.sys_ns >= 0)
        mb_pass_count(p, MB_F_CPU, ub.user_ns + ub.sys_ns);
    count_known(p, MB_F_STORAGE_BYTES, ub.read_bytes);
    return 0;
}

/* ---- setup and teardown ---------------------------------------------------- */

/* hyperfine -N splits its command lines itself, shell-like: quoted (the
 * paths hold no ', as startup_build checked). */
static int quote(char *dst, size_t len, const char *path)
{
    if ((size_t)snprintf(dst, len, "'%s'", path) >= len)
        return mb_fail(MB_EENV, "path too long: %s", path);
    return 0;
}

static int run_acquire(struct su_run *r)
{
    if (r->users++)
        return 0;
    int rc = mb_scratch_create(r->dir, "startup-hyperfine", 0, NULL, &r->json);
    if (rc)
        r->users--;
    return rc;
}

static void run_release(struct su_run *r)
{
    if (!r->users || --r->users || !r->json)
        return;
    mb_scratch_remove(r->json);
    free(r->json);
    r->json = NULL;
}

static int commands(struct su_case *s)
{
    char exe[PATH_LEN + 2], self[PATH_LEN + 2];
    int rc = quote(exe, sizeof exe, s->exe->path);
    rc = rc ? rc : quote(self, sizeof self, s->run->mmbench);
    if (rc)
        return rc;
    snprintf(s->command, sizeof s->command, "%s %s", exe, variant_names[s->v]);
    snprintf(s->prepare, sizeof s->prepare, "%s cache-evict %s", self, exe);
    return 0;
}

static int su_setup(struct mb_case *c)
{
    struct su_case *s = c->data;
    int rc = startup_exe_acquire(s->exe);
    if (rc)
        return rc;
    if (!s->second && !s->run->own_timer) {
        rc = run_acquire(s->run);
        if (rc == 0 && (rc = commands(s)) != 0)
            run_release(s->run);
        if (rc) {
            startup_exe_release(s->exe);
            return rc;
        }
    }
    c->cache_path = s->exe->path;
    return 0;
}

static void su_release(struct mb_case *c)
{
    struct su_case *s = c->data;
    mb_child_kill(&s->b);
    mb_child_kill(&s->a);
}

static void su_teardown(struct mb_case *c)
{
    struct su_case *s = c->data;
    if (!s->second && !s->run->own_timer)
        run_release(s->run);
    startup_exe_release(s->exe);
}

static const struct mb_case_ops start_ops = {
    .setup = su_setup, .pass = start_pass, .release = su_release, .teardown = su_teardown,
};

static const struct mb_case_ops second_ops = {
    .setup = su_setup, .pass = second_pass, .release = su_release, .teardown = su_teardown,
};

/* ---- building the cases --------------------------------------------------- */

#define MIN_SIZE (1ull << 20)
#define MAX_SIZE (512ull << 20)

static int check_size(const char *item, char *valid, size_t vlen)
{
    return mb_size_item_check(
        item, MIN_SIZE, MAX_SIZE, 4096,
        "sizes from 1MiB to 512MiB in whole 4KiB pages, e.g. 1MiB,64MiB", valid, vlen);
}

static const struct mb_opt startup_opts[] = {
    {"sizes", MB_OPT_LIST, "1MiB,8MiB,64MiB,256MiB",
     "sizes of the executable's unused section, up to 512MiB (--quick: 1MiB,16MiB unless "
     "given)", NULL, 0, 0, check_size},
    {"variants", MB_OPT_LIST, "mapped,read",
     "mapped: the program touches none of its section; read: it reads its whole file at start",
     "mapped|read", 0, 0, NULL},
    {"caches", MB_OPT_LIST, "cold,warm", "page-cache state of the executable before each start",
     "cold|warm", 0, 0, NULL},
    {"second-size", MB_OPT_SIZE, "64MiB",
     "section size of the second-instance cases (--quick: 16MiB unless given)", NULL, MIN_SIZE,
     MAX_SIZE, NULL},
    {"instances", MB_OPT_LIST, "first,second",
     "first: timed starts; second: a start while a first instance runs, with its shared pages",
     "first|second", 0, 0, NULL},
    {NULL, 0, NULL, NULL, NULL, 0, 0, NULL},
};

/* The executable of `size`, made once per run whatever cases use it. */
struct su_build {
    struct mb_plan *plan;
    const char *dir;
    struct startup_exe *exes[32];
    size_t nexes;
    struct su_run *run;
};

static struct startup_exe *exe_for(struct su_build *b, uint64_t size)
{
    for (size_t i = 0; i < b->nexes; i++)
        if (b->exes[i]->pad_bytes == size)
            return b->exes[i];
    if (b->nexes == sizeof b->exes / sizeof b->exes[0])
        return NULL;
    struct startup_exe *e = mb_plan_alloc(b->plan, sizeof *e);
    if (e) {
        e->pad_bytes = size;
        e->dir = b->dir;
        b->exes[b->nexes++] = e;
    }
    return e;
}

static int add_case(struct su_build *b, uint64_t size, enum variant v, bool second,
                    enum mb_cache cache)
{
    struct mb_case *c = mb_plan_add_case(b->plan);
    struct su_case *s = mb_plan_alloc(b->plan, sizeof *s);
    struct startup_exe *e = exe_for(b, size);
    if (!c || !s || !e)
        return e || !c || !s ? mb_fail(MB_ENOMEM, "out of memory")
                             : mb_fail(MB_EUSAGE, "too many different sizes");
    *s = (struct su_case){.v = v, .second = second, .exe = e, .run = b->run,
                          .a = {.out_fd = -1, .in_fd = -1}, .b = {.out_fd = -1, .in_fd = -1}};
    mb_case_init(c, "startup", second ? &second_ops : &start_ops, s);
    c->single_pass = true;
    c->measured_by_pass = true;
    if (b->run->own_timer && !second)
        snprintf(c->note, sizeof c->note, "%s", b->run->own_timer);
    char num[48];
    snprintf(num, sizeof num, "%llu", (unsigned long long)size);
    int rc = mb_case_param(c, "method", variant_names[v], true);
    rc = rc ? rc : mb_case_param(c, "instance", second ? "second" : "first", true);
    rc = rc ? rc : mb_case_param(c, "size_bytes", num, true);
    static const char *const start_metrics[] = {"own_start_ns", "own_cpu_ns", "max_rss_bytes"};
    static const char *const second_metrics[] = {"shared_clean_bytes", "pss_bytes",
                                                 "private_bytes", "rss_bytes"};
    /* With mmbench as the timer (Windows), its own start is wall_ns, and
     * a child's maximum resident size is not read there. */
    size_t nmetrics = second ? 4u : b->run->own_timer ? 0u : 3u;
    for (size_t i = 0; !rc && i < nmetrics; i++)
        rc = mb_case_metric(c, second ? second_metrics[i] : start_metrics[i]);
    rc = rc ? rc : mb_case_work(c, -1, 1, "start");
    return rc ? rc : mb_case_cache(c, cache, NULL);
}

static int find_tools(struct su_run *r)
{
    if ((r->own_timer = mb_startup_own_timer()) != NULL)
        return 0;
    int rc = mb_program_find("hyperfine", r->hyperfine, sizeof r->hyperfine);
    if (rc == 1)
        return mb_fail(MB_EUSAGE, "the startup suite needs hyperfine, which is not in PATH "
                       "(Debian: apt-get install hyperfine; scripts/install-deps installs it)");
    char dir[PATH_LEN];
    rc = rc ? rc : mb_self_dir(dir, sizeof dir);
    if (rc)
        return rc;
    snprintf(r->mmbench, sizeof r->mmbench, "%.4000s/mmbench", dir);
    if (!mb_path_exists(r->mmbench))
        return mb_fail(MB_EENV, "cannot find %s", r->mmbench);
    if (strchr(r->mmbench, '\'') || strchr(r->dir, '\''))
        return mb_fail(MB_EUSAGE, "the startup suite needs a --dir and a path of mmbench "
                       "without a ' (hyperfine splits its commands itself): %s",
                       strchr(r->dir, '\'') ? r->dir : r->mmbench);
    return 0;
}

/* The space the executables need under --dir, checked before any is
 * built: each executable (its section and about 20 KiB), and the object
 * file of the largest while it is linked. */
static int check_space(const struct su_build *b)
{
    uint64_t need = 16ull << 20, largest = 0, avail = 0;
    for (size_t i = 0; i < b->nexes; i++) {
        need += b->exes[i]->pad_bytes + (64u << 10);
        if (b->exes[i]->pad_bytes > largest)
            largest = b->exes[i]->pad_bytes;
    }
    need += largest;
    int rc = mb_space_free(b->dir, &avail);
    if (rc == MB_EUNSUPPORTED)
        return 0;
    if (rc)
        return rc;
    if (avail < need)
        return mb_fail(MB_EUSAGE, "--dir %s has %llu MiB free; the startup suite's executables "
                       "need %llu MiB", b->dir, (unsigned long long)(avail >> 20),
                       (unsigned long long)(need >> 20));
    return 0;
}

/* Every start case of one size. */
static int add_size(struct su_build *b, const struct mb_options *o, uint64_t size)
{
    int rc = 0;
    for (int v = 0; !rc && v < NVARIANTS; v++)
        for (int ca = 0; !rc && ca < 2; ca++) {
            enum mb_cache cache = ca ? MB_CACHE_WARM : MB_CACHE_COLD;
            if (mb_list_has(mb_opt_str(o, "variants"), variant_names[v]) &&
                mb_list_has(mb_opt_str(o, "caches"), mb_cache_name(cache)))
                rc = add_case(b, size, (enum variant)v, false, cache);
        }
    return rc;
}

static int startup_build(const struct mb_options *o, struct mb_plan *plan)
{
    bool quick = mb_opt_flag(o, "quick");
    const char *sizes = mb_opt_given(o, "sizes") || !quick ? mb_opt_str(o, "sizes")
                                                           : "1MiB,16MiB";
    uint64_t second = mb_opt_given(o, "second-size") || !quick ? mb_opt_num(o, "second-size")
                                                              : 16ull << 20;
    struct su_build b = {.plan = plan, .dir = mb_opt_str(o, "dir")};
    if (!(b.run = mb_plan_alloc(plan, sizeof *b.run)))
        return mb_fail(MB_ENOMEM, "out of memory");
    b.run->dir = b.dir;
    int rc = find_tools(b.run);
    if (second % 4096)
        rc = rc ? rc : mb_fail(MB_EUSAGE, "--second-size must be whole 4KiB pages");
    uint64_t sizev[32];
    size_t n = 0;
    rc = rc ? rc : mb_size_list("sizes", sizes, sizev, 32, &n);
    for (size_t i = 0; !rc && i < n && mb_list_has(mb_opt_str(o, "instances"), "first"); i++)
        rc = add_size(&b, o, sizev[i]);
    for (int v = 0; !rc && v < NVARIANTS; v++)
        if (mb_list_has(mb_opt_str(o, "instances"), "second") &&
            mb_list_has(mb_opt_str(o, "variants"), variant_names[v]))
            rc = add_case(&b, second, (enum variant)v, true, MB_CACHE_COLD);
    return rc ? rc : check_space(&b);
}

static const char *startup_supported(void)
{
    return mb_child_unsupported();
}

const struct mb_suite mb_suite_startup = {
    .name = "startup",
    .help = "whole-process start-up time (hyperfine; mmbench's own timer on Windows), page "
            "faults and bytes read of an executable of growing size, cold and warm; a second "
            "instance's shared pages",
    .claims = "C1",
    .opts = startup_opts,
    .supported = startup_supported,
    .build = startup_build,
    .plot = "plot-startup",
    .plot_outputs = (const char *const[]){"startup.svg", "startup.png", NULL},
};
