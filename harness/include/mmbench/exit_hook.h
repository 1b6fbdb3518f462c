/* Work that must happen however the process ends: at exit, and in the
 * handler of a terminating signal (Ctrl-C), next to the removal of the
 * registered scratch files. Hooks undo changes that outlive the process
 * unless undone (a memory cgroup it made and moved into). */
#ifndef MMBENCH_EXIT_HOOK_H
#define MMBENCH_EXIT_HOOK_H

/* Registers `fn`, which must be async-signal-safe and safe to call more
 * than once (a hook runs at most once per process end, but the process may
 * end by a signal during atexit). Returns 0, or MB_ENOMEM when the fixed
 * table is full. */
int mb_exit_hook_add(void (*fn)(void));

/* Runs every registered hook, newest first, and forgets them: called by the
 * platform's cleanup at exit and from its signal handler. */
void mb_exit_hooks_run(void);

/* Forgets every registered hook without running it: a child process forked
 * from this one must not undo what belongs to its parent. Async-signal-safe. */
void mb_exit_hooks_forget(void);

#endif
