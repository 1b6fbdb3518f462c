/* The extra reader threads of an outofcore pass (bench/outofcore.c, --threads):
 * N threads that each call a burst function in a loop while an interval
 * runs, and stop at its end, so that the calling thread, which reads too,
 * can look at the cache with nobody reading. Each thread counts its bursts
 * in an atomic counter that the caller reads while the team stands still. */
#ifndef MMBENCH_OUTOFCORE_TEAM_H
#define MMBENCH_OUTOFCORE_TEAM_H

#include <stdint.h>

struct oc_team;

/* Reads one burst of `per_burst` blocks for member `arg`: 0, or an error
 * (with mb_fail) that ends that member's reading. */
typedef int (*oc_burst_fn)(void *arg);

/* Starts n threads, member i calling burst(args[i]) (args must outlive the
 * team), all standing still until oc_team_go. Each interval's reading runs
 * inside mb_guarded_call on its thread. Returns 0 and *t (freed by
 * oc_team_end), or MB_EENV / MB_ENOMEM with nothing left running. */
int oc_team_start(struct oc_team **t, unsigned n, oc_burst_fn burst, void *const *args,
                  unsigned per_burst);

/* Lets every member read until oc_team_halt. */
void oc_team_go(struct oc_team *t);

/* Asks every member to stop after its current burst and waits until all
 * have; adds the blocks they read since the last halt to *reads. Returns 0,
 * or the error of a member that failed (its message as the caller's): then
 * every thread has ended, and oc_team_end only frees. */
int oc_team_halt(struct oc_team *t, uint64_t *reads);

/* Stops the members if they read, ends their threads and frees t (NULL:
 * nothing). Returns 0, or the first member error not yet returned. */
int oc_team_end(struct oc_team *t);

#endif
