/* What the POSIX platform files share and nothing else needs. */
#ifndef MMBENCH_PLATFORM_POSIX_H
#define MMBENCH_PLATFORM_POSIX_H

#include <signal.h>

/* The process group of the child mb_run_program() waits for (0: none), so
 * that a terminating signal stops it, and all it started, before the files
 * it may be writing are removed. */
extern volatile sig_atomic_t mb_posix_child_pgid;

#endif
