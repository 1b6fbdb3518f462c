/* Threads on POSIX: pthreads (thread.h). */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/thread.h"
#include "thread_run.h"

struct mb_thread {
    pthread_t tid;
    struct mb_thread_run run;
};

static void *thread_main(void *p)
{
    mb_thread_run(&((struct mb_thread *)p)->run);
    return NULL;
}

int mb_thread_start(struct mb_thread **out, int (*fn)(void *arg), void *arg)
{
    struct mb_thread *t = calloc(1, sizeof *t);
    if (!t)
        return mb_fail(MB_ENOMEM, "out of memory");
    t->run = (struct mb_thread_run){.fn = fn, .arg = arg};
    /* The new thread inherits the mask: terminating signals go to the
     * main thread, whose handlers reap children and remove scratch files.
     * A fault stays open: the kernel kills a process whose thread faults
     * with the signal blocked, before any handler could remove a file. */
    sigset_t all, old;
    sigfillset(&all);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGSEGV);
    sigdelset(&all, SIGFPE);
    sigdelset(&all, SIGILL);
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
    int rc = e ? mb_fail(MB_EENV, "pthread_join: %s", strerror(e)) : mb_thread_result(&t->run);
    free(t);
    return rc;
}

void mb_yield(void)
{
    sched_yield();
}
