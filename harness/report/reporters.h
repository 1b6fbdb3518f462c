/* The constructors of the reporters formats.c lists (one file each). Each
 * fills *r with its ops and a new state, returning 0 or MB_ENOMEM. */
#ifndef MMBENCH_REPORT_REPORTERS_H
#define MMBENCH_REPORT_REPORTERS_H

#include "mmbench/report.h"

/* samples.csv (one row per sample) and summary.csv (one row per case and
 * phase) in directory `dir`. */
int mb_reporter_csv(struct mb_reporter *r, const char *dir, FILE *console);

/* results.json in directory `dir`, Google Benchmark schema. */
int mb_reporter_json(struct mb_reporter *r, const char *dir, FILE *console);

/* An aligned table on `console` once every case is done. */
int mb_reporter_console(struct mb_reporter *r, const char *dir, FILE *console);

#endif
