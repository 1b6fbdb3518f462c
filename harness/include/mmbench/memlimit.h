/* A memory limit for the run (--mem-limit): the process moves into a memory
 * cgroup of its own whose limit caps what it may keep resident, page cache
 * included, so that a file several times the limit cannot stay cached on a
 * machine with far more memory. Linux: cgroup v2 where the memory controller
 * is there and writable, else cgroup v1; Win32: unsupported. One limit per
 * process. On cgroup v2, outside the root cgroup, the process must be alone
 * in its own cgroup: v2 lets only a cgroup without processes hand the
 * memory controller to a child. */
#ifndef MMBENCH_MEMLIMIT_H
#define MMBENCH_MEMLIMIT_H

#include <stdbool.h>
#include <stdint.h>

/* The smallest limit accepted: below it the process's own memory leaves no
 * room for a page cache worth measuring. */
#define MB_MEMLIMIT_MIN (16ull << 20)

/* Creates a child memory cgroup under the process's own, limits it to
 * `bytes` (memory and, where accounted, memory + swap), moves the whole
 * process into it, and registers an exit hook that moves it back and
 * removes the cgroup at exit or on a terminating signal. Page cache is
 * charged to the cgroup of the process that first reads or writes a page,
 * so files made after this call are charged to the limit. Returns 0;
 * MB_EUNSUPPORTED with the reason when no memory cgroup is writable here
 * (not root, no controller, a v2 cgroup shared with other processes, a
 * platform without cgroups); MB_EUSAGE when a
 * limit is already in force; MB_EENV when the OS refused a step that should
 * have worked (the cgroup is then removed again). */
int mb_memlimit_enter(uint64_t bytes);

/* Moves the process back to the cgroup it came from and removes the one
 * mb_memlimit_enter() made. Safe to call when no limit is in force. */
void mb_memlimit_leave(void);

/* True while a limit made by mb_memlimit_enter() is in force. */
bool mb_memlimit_active(void);

/* The memory currently charged to the limit's cgroup (page cache included)
 * into *bytes. Returns 0, or MB_EUNSUPPORTED when no limit is in force or
 * the figure cannot be read. Cheap: one small file read. */
int mb_memlimit_usage(uint64_t *bytes);

#endif
