/* The subcommands of the mmbench CLI. Each returns the process exit code:
 * 0 success, 1 a case failed / a regression was found, 2 usage error,
 * 3 (compare) inconclusive. */
#ifndef MMBENCH_CLI_H
#define MMBENCH_CLI_H

#include <stdio.h>

#include "mmbench/options.h"

#define MB_EXIT_OK 0
#define MB_EXIT_FAIL 1
#define MB_EXIT_USAGE 2

int mb_cmd_run(int argc, char **argv);
int mb_cmd_list(int argc, char **argv);
/* `mmbench compare BASE.json HEAD.json [options]` (bench/cmd_compare.c). */
int mb_cmd_compare(int argc, char **argv);

/* `mmbench doc man|bash-completion FILE`: writes the manual page or the bash
 * completion, generated from the option tables (bench/cmd_doc.c). */
int mb_cmd_doc(int argc, char **argv);

/* `mmbench cache-evict FILE...`: evicts each file from the page cache and
 * checks it is gone (bench/cmd_evict.c). */
int mb_cmd_cache_evict(int argc, char **argv);

/* Prints the top-level usage. */
void mb_usage(FILE *out);

/* The options every suite accepts (reps, warmup, dir, out, format, ...). */
extern const struct mb_opt mb_common_opts[];

#endif
