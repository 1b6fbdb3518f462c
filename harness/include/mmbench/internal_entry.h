/* Processes mmbench starts from its own executable. Windows has no fork:
 * where a POSIX suite forks a helper process (the share suite's peer, the
 * lostupdates suite's workers), the Win32 build starts mmbench.exe again
 * with a hidden first argument that no user types and --help does not
 * show. */
#ifndef MMBENCH_INTERNAL_ENTRY_H
#define MMBENCH_INTERNAL_ENTRY_H

#include <stdbool.h>

/* The hidden first arguments of such processes: the share suite's peer,
 * and a suite's worker (mb_workers_start). */
#define MB_INTERNAL_PEER_ARG "--mmbench-internal-peer"
#define MB_INTERNAL_WORKER_ARG "--mmbench-internal-worker"

/* True when argv starts such a process; then it has run, and *code is its
 * exit status. Always false on POSIX, where helpers are forked. Call first
 * in main, before anything is installed or parsed. */
bool mb_internal_entry(int argc, char **argv, int *code);

#endif
