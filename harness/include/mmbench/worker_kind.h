/* What a suite's worker processes run (mb_workers_start), and how a worker
 * gets the state it runs on. POSIX forks: the function runs on a copy of
 * the parent's memory. Windows has no fork: mmbench.exe is started again
 * (MB_INTERNAL_WORKER_ARG) and rebuilds the state from one line of text
 * the parent wrote, finding these hooks through its suite's `worker`. */
#ifndef MMBENCH_WORKER_KIND_H
#define MMBENCH_WORKER_KIND_H

#include <stddef.h>

struct mb_worker_kind {
    const char *suite;          /* the suite whose `worker` this is */
    /* Worker i's work on `arg`: 0, or an MB_E* code (its exit status). */
    int (*fn)(void *arg, unsigned i);
    /* Parent: describes `arg` as one line of text without '"' into buf.
     * Returns 0, or MB_EUSAGE when it does not fit. */
    int (*describe)(const void *arg, char *buf, size_t len);
    /* Re-launched worker: rebuilds the state from describe()'s text (maps
     * what the parent maps) into *arg, which lives until the process ends.
     * Returns 0 or an MB_E* code. */
    int (*attach)(const char *text, void **arg);
};

#endif
