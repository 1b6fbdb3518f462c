/* Helpers shared by the unit tests (see testutil.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/options.h"
#include "mmbench/platform.h"
#include "testutil.h"

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif
#ifndef RAMFS_MAGIC
#define RAMFS_MAGIC 0x858458f6
#endif

char *tu_mkdtemp(const char *parent, const char *tag)
{
    size_t len = strlen(parent) + strlen(tag) + 32;
    char *p = malloc(len);
    if (!p)
        return NULL;
    snprintf(p, len, "%s/mbtest-%s-XXXXXX", parent, tag);
    if (!mkdtemp(p)) {
        free(p);
        return NULL;
    }
    return p;
}

char *tu_dir;

int tu_dir_setup(void **state)
{
    (void)state;
    tu_dir = tu_mkdtemp(mb_default_scratch_dir(), "unit");
    return tu_dir ? 0 : -1;
}

int tu_dir_teardown(void **state)
{
    (void)state;
    tu_rmtree(tu_dir);
    free(tu_dir);
    tu_dir = NULL;
    return 0;
}

void tu_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

int tu_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

bool tu_is_memory_fs(const char *dir)
{
    struct statfs sf;
    if (statfs(dir, &sf) != 0)
        return false;
    return (unsigned long)sf.f_type == TMPFS_MAGIC || (unsigned long)sf.f_type == RAMFS_MAGIC;
}

static struct tu_case_log *log_for(struct tu_capture *cap, const struct mb_case *c)
{
    for (size_t i = 0; i < cap->n; i++)
        if (cap->log[i].c == c)
            return &cap->log[i];
    if (cap->n == TU_MAX_CASES)
        return NULL;
    struct tu_case_log *l = &cap->log[cap->n++];
    l->c = c;
    return l;
}

static int cap_begin(void *st, const struct mb_run_info *info, const struct mb_case *cases,
                     size_t n)
{
    struct tu_capture *cap = st;
    (void)info, (void)cases;
    cap->began = true;
    cap->begin_cases = n;
    return 0;
}

static int cap_sample(void *st, const struct mb_case *c, const struct mb_sample *s)
{
    struct tu_case_log *l = log_for(st, c);
    /* The test asked for more than the log holds: fail loudly. */
    if (!l || l->ns == TU_MAX_SAMPLES)
        return mb_fail(MB_ENOMEM, "capture reporter: more than %d samples of one case",
                       TU_MAX_SAMPLES);
    l->s[l->ns++] = *s;
    return 0;
}

static int cap_aggregate(void *st, const struct mb_case *c, const struct mb_summary *s)
{
    struct tu_case_log *l = log_for(st, c);
    if (!l)
        return mb_fail(MB_ENOMEM, "capture reporter: more than %d cases", TU_MAX_CASES);
    if (s->phase < 0)
        l->sum = *s;
    else if ((size_t)s->phase < MB_CASE_MAXPHASES)
        l->phase_sum[s->phase] = *s;
    l->status = c->status;
    l->aggregates++;
    return 0;
}

/* The state is the caller's: nothing to free. */
static void cap_destroy(void *st)
{
    (void)st;
}

static const struct mb_reporter_ops capture_ops = {
    .name = "capture",
    .begin = cap_begin,
    .sample = cap_sample,
    .aggregate = cap_aggregate,
    .destroy = cap_destroy,
};

struct mb_reporter *tu_capture_init(struct tu_capture *cap)
{
    memset(cap, 0, sizeof *cap);
    cap->r.ops = &capture_ops;
    cap->r.st = cap;
    return &cap->r;
}

const struct tu_case_log *tu_capture_find(const struct tu_capture *cap, const struct mb_case *c)
{
    for (size_t i = 0; i < cap->n; i++)
        if (cap->log[i].c == c)
            return &cap->log[i];
    return NULL;
}

const struct mb_run_info *tu_run_info(const char *dir, const struct mb_run_config *cfg)
{
    static struct mb_env env;
    static struct mb_run_info info;
    mb_env_probe(dir, &env);
    info = (struct mb_run_info){
        .version = "0.0.0-test",
        .git_commit = "",
        .build_type = "test",
        .command_line = "unit test",
        .date = "2024-01-02T03:04:05+0000",
        .suite = "test",
        .env = &env,
        .timer_resolution_ns = mb_timer_resolution_ns(),
        .timer_overhead_ns = 20,
        .reps = cfg->reps,
        .warmup = cfg->warmup,
        .seed = cfg->seed,
        .interleaved = cfg->interleave,
    };
    return &info;
}

int tu_run_with_formats(struct mb_case *cases, size_t n, const struct mb_run_config *cfg,
                        const char *formats, const char *out)
{
    struct mb_reporter reps[8];
    size_t nrep = 0, nf;
    const struct mb_format *f = mb_formats(&nf);
    int rc = 0;
    for (size_t i = 0; i < nf && !rc; i++) {
        if (!mb_list_has(formats, f[i].name))
            continue;
        rc = f[i].create(&reps[nrep], out, stdout);
        if (!rc)
            nrep++;
    }
    if (!rc)
        rc = mb_report_begin(reps, nrep, tu_run_info(out, cfg), cases, n);
    if (!rc)
        rc = mb_run_cases(cases, n, cfg, reps, nrep);
    bool ok = rc == 0 || rc == 1;
    for (size_t i = 0; i < nrep; i++) {
        int rc2 = reps[i].ops->end ? reps[i].ops->end(reps[i].st, ok) : 0;
        if (rc2 && ok)
            rc = rc2;
        reps[i].ops->destroy(reps[i].st);
    }
    return rc;
}
