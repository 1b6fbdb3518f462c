/* The coherence suite's file, views, handle I/O, threads and fork-shared
 * memory on POSIX: open, mmap(MAP_SHARED), pread / pwrite, pthreads. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmbench/coherence.h"
#include "mmbench/error.h"

int mb_coh_open(struct mb_coh_file *f, const char *path, size_t len)
{
    f->mapping = 0;
    f->len = len;
    f->handle = open(path, O_RDWR | O_CLOEXEC);
    if (f->handle < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    return 0;
}

int mb_coh_view(struct mb_coh_file *f, void **view)
{
    void *p = mmap(NULL, f->len, PROT_READ | PROT_WRITE, MAP_SHARED, (int)f->handle, 0);
    if (p == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap (%zu bytes, shared): %s", f->len, strerror(errno));
    *view = p;
    return 0;
}

void mb_coh_unview(struct mb_coh_file *f, void *view)
{
    if (view)
        munmap(view, f->len);
}

int mb_coh_write(struct mb_coh_file *f, const void *buf, size_t len, uint64_t off)
{
    ssize_t r;
    while ((r = pwrite((int)f->handle, buf, len, (off_t)off)) < 0 && errno == EINTR)
        ;
    if (r < 0)
        return mb_fail(MB_EENV, "pwrite of %zu bytes at %llu: %s", len, (unsigned long long)off,
                       strerror(errno));
    if ((size_t)r != len)
        return mb_fail(MB_EENV, "pwrite at %llu wrote %zd of %zu bytes", (unsigned long long)off, r,
                       len);
    return 0;
}

int mb_coh_read(struct mb_coh_file *f, void *buf, size_t len, uint64_t off)
{
    ssize_t r;
    while ((r = pread((int)f->handle, buf, len, (off_t)off)) < 0 && errno == EINTR)
        ;
    if (r < 0)
        return mb_fail(MB_EENV, "pread of %zu bytes at %llu: %s", len, (unsigned long long)off,
                       strerror(errno));
    if ((size_t)r != len)
        return mb_fail(MB_EENV, "pread at %llu read %zd of %zu bytes", (unsigned long long)off, r,
                       len);
    return 0;
}

void mb_coh_close(struct mb_coh_file *f)
{
    if (f->handle >= 0)
        close((int)f->handle);
    f->handle = -1;
}

struct mb_coh_thread {
    pthread_t tid;
    int (*fn)(void *);
    void *arg;
    int rc;
};

static void *thread_main(void *p)
{
    struct mb_coh_thread *t = p;
    t->rc = t->fn(t->arg);
    return NULL;
}

int mb_coh_thread_start(struct mb_coh_thread **out, int (*fn)(void *arg), void *arg)
{
    struct mb_coh_thread *t = calloc(1, sizeof *t);
    if (!t)
        return mb_fail(MB_ENOMEM, "out of memory");
    t->fn = fn;
    t->arg = arg;
    /* Terminating signals go to the main thread, whose handlers reap
     * children and remove scratch files. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int e = pthread_create(&t->tid, NULL, thread_main, t);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e) {
        free(t);
        return mb_fail(MB_EENV, "pthread_create: %s", strerror(e));
    }
    *out = t;
    return 0;
}

int mb_coh_thread_join(struct mb_coh_thread *t)
{
    int e = pthread_join(t->tid, NULL);
    int rc = e ? mb_fail(MB_EENV, "pthread_join: %s", strerror(e)) : t->rc;
    free(t);
    return rc;
}

void mb_coh_yield(void)
{
    sched_yield();
}

int mb_coh_shared_create(struct mb_coh_shared *s, size_t len)
{
    s->handle = -1;
    s->len = len;
    s->base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s->base == MAP_FAILED) {
        s->base = NULL;
        return mb_fail(MB_ENOMEM, "mmap of %zu shared bytes: %s", len, strerror(errno));
    }
    return 0;
}

int mb_coh_shared_attach(struct mb_coh_shared *s, intptr_t handle, size_t len)
{
    (void)s, (void)handle, (void)len;
    return mb_fail(MB_EUNSUPPORTED, "worker processes are forked here and inherit the memory");
}

void mb_coh_shared_release(struct mb_coh_shared *s)
{
    if (s->base)
        munmap(s->base, s->len);
    s->base = NULL;
}
