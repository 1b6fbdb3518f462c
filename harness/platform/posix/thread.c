/* Threads on POSIX: pthreads (thread.h). */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/thread.h"

struct mb_thread {
    pthread_t tid;
    int (*fn)(void *);
    void *arg;
    int rc;
};

static void *thread_main(void *p)
{
    struct mb_thread *t = p;
    t->rc = t->fn(t->arg);
    return NULL;
}

int mb_thread_start(struct mb_thread **out, int (*fn)(void *arg), void *arg)
{
    struct mb_thread *t = calloc(1, sizeof *t);
    if (!t)
        return mb_fail(MB_ENOMEM, "out of memory");
    t->fn = fn;
    t->arg = arg;
    /* The new thread inherits the mask: terminating signals go to the
     * main thread, whose handlers reap children and remove scratch files. */
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

int mb_thread_join(struct mb_thread *t)
{
    int e = pthread_join(t->tid, NULL);
    int rc = e ? mb_fail(MB_EENV, "pthread_join: %s", strerror(e)) : t->rc;
    free(t);
    return rc;
}

void mb_yield(void)
{
    sched_yield();
}
