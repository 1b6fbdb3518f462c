/* A run's result set, all or nothing: its files are written into a staging
 * directory beside --out, each made durable, and the directory is renamed
 * to --out in one step, under a lock on --out that keeps a second run away.
 * Any failure, or a signal, before that rename leaves --out as it was. */
#ifndef MMBENCH_RESULT_SET_H
#define MMBENCH_RESULT_SET_H

#include <stdbool.h>

#include "platform.h"

/* The longest path mmbench builds, with its terminating NUL (PATH_MAX). */
#define MB_PATH_MAX 4096

struct mb_result_set {
    char out[MB_PATH_MAX];   /* --out, without trailing separators */
    char lock[MB_PATH_MAX];  /* "<parent>/.<name>.mmbench-lock" */
    char *stage;             /* "<parent>/.<name>.mmbench-new-XXXXXX"; NULL when none */
    mb_lock_t lock_handle;
    bool locked, committed;
};

/* Checks, creating nothing, that `out` can receive a result set: its length
 * leaves room for the staging names (PATH_MAX, NAME_MAX), it is absent or an
 * empty directory, and its nearest existing ancestor is a writable
 * directory. Returns 0 or MB_EUSAGE with a message. */
int mb_result_set_check(const char *out);

/* Creates the missing parents of `out`, locks it (1 when another run holds
 * the lock: then MB_EUSAGE with that run's pid), removes staging
 * directories left by runs that ended without cleaning up (reported on
 * stderr), and creates a new staging directory registered for removal on
 * exit and signals. `rs` is overwritten. Returns 0, MB_EUSAGE or MB_EENV;
 * call mb_result_set_close() in every case. */
int mb_result_set_open(struct mb_result_set *rs, const char *out);

/* Makes every file of the staging directory durable, then the directory,
 * renames it to `out`, and makes that rename durable. Returns 0, or MB_EENV
 * (the staging directory is then left for mb_result_set_close). */
int mb_result_set_commit(struct mb_result_set *rs);

/* Removes the staging directory unless it was committed, and releases the
 * lock. Safe on a zeroed or failed `rs`; frees what it holds. */
void mb_result_set_close(struct mb_result_set *rs);

#endif
