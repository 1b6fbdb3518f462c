/* Reading what hyperfine measured: the JSON of `hyperfine --export-json`
 * (hyperfine 1.x: results[].times, exit_codes, user, system, in seconds),
 * turned into the units of mmbench's samples. */
#ifndef MMBENCH_HYPERFINE_H
#define MMBENCH_HYPERFINE_H

#include <stddef.h>

/* One command's result: per-run wall times and exit codes, and the mean
 * CPU time of a run. */
struct mb_hyperfine_result {
    double *times_ns;           /* malloc'd, one per run */
    int *exit_codes;            /* malloc'd, one per run; -1 where hyperfine gave null
                                   (the command died of a signal) */
    size_t runs;
    double user_ns, system_ns;  /* means over the runs (hyperfine writes no per-run
                                   CPU time): with one run, that run's */
};

/* Reads result number `index` of the hyperfine JSON file at `path` into *r.
 * Returns 0; MB_EENV when the file cannot be read or is not hyperfine's
 * JSON (no such result, times and exit_codes missing, of different
 * lengths, empty or negative), with the reason; MB_ENOMEM. On success the
 * caller frees with mb_hyperfine_free(). */
int mb_hyperfine_read(const char *path, size_t index, struct mb_hyperfine_result *r);

/* Frees what mb_hyperfine_read() allocated; a zeroed result is a no-op. */
void mb_hyperfine_free(struct mb_hyperfine_result *r);

#endif
