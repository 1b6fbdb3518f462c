/* Worker processes, process-shared robust mutexes and file locks (the
 * lostupdates suite). The suite forks its workers after it has mapped the
 * shared list and runs a function in each; Windows has no fork, and
 * CreateProcess workers re-executing mmbench, a named mutex (WAIT_ABANDONED)
 * and LockFileEx are not written yet, so each function says so. */
#include <string.h>
#include "win32.h"

#include "mmbench/error.h"
#include "mmbench/platform.h"

static const char why[] = "the lostupdates suite forks worker processes that inherit a mapping "
                          "and a pthread robust mutex; Windows has no fork (CreateProcess "
                          "workers, a named mutex and LockFileEx are not written yet)";

const char *mb_workers_unsupported(void)
{
    return why;
}

int mb_workers_start(struct mb_workers *w, unsigned n, int (*fn)(void *arg, unsigned i),
                     void *arg)
{
    (void)n, (void)fn, (void)arg;
    memset(w, 0, sizeof *w);
    w->go_fd = w->done_fd = -1;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_workers_go(struct mb_workers *w, uint64_t timeout_ns)
{
    (void)w, (void)timeout_ns;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_workers_reap(struct mb_workers *w)
{
    (void)w;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

void mb_workers_kill(struct mb_workers *w)
{
    (void)w;
}

void mb_worker_die_now(void)
{
}

void mb_sleep_ns(uint64_t ns)
{
    Sleep((DWORD)((ns + 999999u) / 1000000u));
}

size_t mb_pmutex_size(void)
{
    return 0;
}

int mb_pmutex_init(void *m)
{
    (void)m;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_pmutex_lock(void *m, bool *owner_died)
{
    (void)m;
    *owner_died = false;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_pmutex_consistent(void *m)
{
    (void)m;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_pmutex_unlock(void *m)
{
    (void)m;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

void mb_pmutex_destroy(void *m)
{
    (void)m;
}

int mb_lfile_open(const char *path, int *fd)
{
    (void)path;
    *fd = -1;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_lfile_lock(int fd, bool take)
{
    (void)fd, (void)take;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_lfile_load(int fd, void *buf, size_t cap, size_t *len)
{
    (void)fd, (void)buf, (void)cap;
    *len = 0;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_lfile_save(int fd, const void *buf, size_t len)
{
    (void)fd, (void)buf, (void)len;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

void mb_lfile_close(int fd)
{
    (void)fd;
}
