/* The portable half of a thread (mmbench/thread.h): the function it runs
 * and its result, carried to the thread that joins it. The platform files
 * start and join the thread. */
#ifndef MMBENCH_CORE_THREAD_RUN_H
#define MMBENCH_CORE_THREAD_RUN_H

struct mb_thread_run {
    int (*fn)(void *);
    void *arg;
    int rc;
    char msg[512]; /* fn's error message, copied out of its thread's own buffer */
};

/* Runs r->fn(r->arg) on the calling thread and keeps what it returned, with
 * the thread's last error message when that is not 0. */
void mb_thread_run(struct mb_thread_run *r);

/* The run's result as the caller's own: 0, or its code with its message
 * made the caller's last error (mb_fail). */
int mb_thread_result(const struct mb_thread_run *r);

#endif
