/* How the start-up of a program is timed where hyperfine, the usual timer,
 * cannot run. The child processes themselves are child.h's. */
#ifndef MMBENCH_STARTUP_H
#define MMBENCH_STARTUP_H

/* NULL where hyperfine times the starts; else how mmbench times them
 * itself (Windows: hyperfine does not run under Wine), in words for a
 * case's note (under 160 characters, static text). */
const char *mb_startup_own_timer(void);

#endif
