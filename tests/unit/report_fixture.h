/* A fixed run (run info, environment, cases and their samples) fed to a
 * file reporter, so that its output can be compared with tests/golden/. */
#ifndef MB_REPORT_FIXTURE_H
#define MB_REPORT_FIXTURE_H

#include <stdbool.h>

#include "mmbench/report.h"

/* The failed case's message: a comma and quotes, so CSV quoting is exercised. */
#define FIXTURE_ERROR "checksum mismatch: broken delivered \"other\" bytes, not the file's"

/* Sends the fixture through `r` (begin, samples and aggregates, end(ok)),
 * as the runner and `mmbench run` do. Returns 0 or the first reporter
 * error. The caller destroys r. */
int fixture_run(struct mb_reporter *r);

/* Makes the reporter of format `name` ("csv", "json") writing into `dir`.
 * Returns 0 or its error. */
int fixture_reporter(const char *name, const char *dir, struct mb_reporter *r);

/* Compares `dir`/`name` with tests/golden/`name` byte for byte; when the
 * environment variable MB_UPDATE_GOLDEN is set, rewrites the golden file
 * instead. Returns true when they match (or were updated). */
bool fixture_matches_golden(const char *dir, const char *name);

/* Reads `dir`/`name` into a NUL-terminated malloc'd string, or NULL. */
char *fixture_read(const char *dir, const char *name);

#endif
