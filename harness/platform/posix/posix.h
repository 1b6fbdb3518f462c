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

/* pread / pwrite of all `len` bytes at `off`, through EINTR and short
 * transfers. Return 0, or MB_EENV naming the call, the offset and the error
 * ("end of file" when the file ends first). */
int mb_px_pread_full(int fd, void *buf, size_t len, uint64_t off);
int mb_px_pwrite_full(int fd, const void *buf, size_t len, uint64_t off);

#endif
