/* Progress of a long run on a terminal or a log: the runner's progress
 * callback (struct mb_run_config.progress) printing to a stream. */
#ifndef MMBENCH_PROGRESS_H
#define MMBENCH_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#include "runner.h"

struct mb_progress_out {
    FILE *out;
    bool tty;        /* redraw one status line; otherwise one line per finished case */
    bool drawn;      /* a status line is on screen */
};

/* The callback: on a terminal, "case i of N, repetition, elapsed, ETA"
 * redrawn in place; elsewhere one line per finished case. `arg` is a
 * struct mb_progress_out. */
void mb_progress_print(void *arg, const struct mb_progress *p);

/* Clears a status line left on a terminal (before other output). */
void mb_progress_clear(struct mb_progress_out *po);

#endif
