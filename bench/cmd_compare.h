/* `mmbench compare`'s option table, declared like `run`'s (cli.h), so that the
 * help text and the manual page come from the same typed table. */
#ifndef MMBENCH_CMD_COMPARE_H
#define MMBENCH_CMD_COMPARE_H

#include "mmbench/options.h"

/* Every option of `mmbench compare`; ends with an entry whose name is NULL. */
extern const struct mb_opt mb_compare_opts[];

/* The exit status section of `mmbench compare --help` (and of its manual page). */
extern const char mb_compare_exit_text[];

#endif
