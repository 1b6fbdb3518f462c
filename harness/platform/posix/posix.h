/* What the POSIX platform files share and nothing else needs. */
#ifndef MMBENCH_PLATFORM_POSIX_H
#define MMBENCH_PLATFORM_POSIX_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* The process group of the child mb_run_program() waits for, or of the
 * children mb_child_start() started (0: none), so that a terminating signal
 * stops them, and all they started, before the files they may be writing
 * are removed. */
extern volatile sig_atomic_t mb_posix_child_pgid;

/* Fills `set` with every terminating signal the cleanup handles (SIGINT,
 * SIGTERM, SIGHUP among them), to block them across a fork. */
void mb_px_terminating_signals(sigset_t *set);

/* In a child forked without exec, before anything else: every terminating
 * signal whose handler is the parent's cleanup goes back to its default (an
 * ignored one stays ignored), and the parent's scratch paths, staged result
 * set, child group and exit hooks are forgotten, so that however the child
 * ends it removes and undoes nothing of the parent's. Async-signal-safe. */
void mb_px_cleanup_disown(void);

/* pread / pwrite of all `len` bytes at `off`, through EINTR and short
 * transfers. Return 0, or MB_EENV naming the call, the offset and the error
 * ("end of file" when the file ends first). */
int mb_px_pread_full(int fd, void *buf, size_t len, uint64_t off);
int mb_px_pwrite_full(int fd, const void *buf, size_t len, uint64_t off);

#endif
