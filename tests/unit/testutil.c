/* Helpers shared by the unit tests (see testutil.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

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

static int cap_sample(struct mb_reporter *r, const struct mb_case *c, const struct mb_sample *s)
{
    struct tu_case_log *l = log_for(r->state, c);
    if (!l || l->ns == TU_MAX_SAMPLES)
        return -1; /* the test asked for more than it can hold: fail loudly */
    l->s[l->ns++] = *s;
    return 0;
}

static int cap_aggregate(struct mb_reporter *r, const struct mb_case *c, const struct mb_summary *s)
{
    struct tu_case_log *l = log_for(r->state, c);
    if (!l)
        return -1;
    l->sum = *s;
    l->status = c->status;
    l->aggregates++;
    return 0;
}

struct mb_reporter *tu_capture_init(struct tu_capture *cap)
{
    memset(cap, 0, sizeof *cap);
    cap->r.name = "capture";
    cap->r.state = cap;
    cap->r.sample = cap_sample;
    cap->r.aggregate = cap_aggregate;
    return &cap->r;
}

const struct tu_case_log *tu_capture_find(const struct tu_capture *cap, const struct mb_case *c)
{
    for (size_t i = 0; i < cap->n; i++)
        if (cap->log[i].c == c)
            return &cap->log[i];
    return NULL;
}
