/* A second thread of this process, and giving the CPU away: for work that
 * must run beside the calling thread (one side spins while the other
 * writes). */
#ifndef MMBENCH_THREAD_H
#define MMBENCH_THREAD_H

/* A started thread, owned by the caller until mb_thread_join. */
struct mb_thread;

/* Starts a thread running fn(arg) with every signal blocked but the
 * faults the thread itself raises (SIGBUS, SIGSEGV, SIGFPE, SIGILL: caught
 * by mb_guarded_call in that thread, or fatal with the scratch files
 * removed); terminating signals go to the main thread, whose handlers reap
 * children and remove scratch files. Returns 0 and *t, or MB_EENV /
 * MB_ENOMEM. */
int mb_thread_start(struct mb_thread **t, int (*fn)(void *arg), void *arg);

/* Waits for the thread to end, frees t and returns what fn returned, with
 * the thread's last error message (mb_fail) as the caller's when that is not
 * 0 (MB_EENV when the wait itself fails). */
int mb_thread_join(struct mb_thread *t);

/* Gives the CPU to another runnable thread, if any (sched_yield;
 * SwitchToThread): a spinning thread must not starve the one it waits for
 * on a machine with fewer free CPUs than busy threads. */
void mb_yield(void);

#endif
