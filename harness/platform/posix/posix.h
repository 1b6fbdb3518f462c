/* What the POSIX platform files share and nothing else needs. */
#ifndef MMBENCH_PLATFORM_POSIX_H
#define MMBENCH_PLATFORM_POSIX_H

#include <signal.h>

/* The process group of the child mb_run_program() waits for, or of the
 * children mb_child_start() started (0: none), so that a terminating signal
 * stops them, and all they started, before the files they may be writing
 * are removed. */
extern volatile sig_atomic_t mb_posix_child_pgid;

#endif
