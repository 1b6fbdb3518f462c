/* Helpers every file reporter shares: number formatting and the
 * write-to-temporary-then-rename discipline that keeps an interrupted run
 * from leaving a truncated result file. Every file is made durable before
 * its rename, so that the rename of the whole result set (cmd_run) can only
 * publish complete files. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/report.h"

char *mb_fmt_num(char *buf, size_t len, double v)
{
    if (!isfinite(v))
        snprintf(buf, len, "%s", "");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.6g", v);
    return buf;
}

FILE *mb_report_open_tmp(const char *final_path, char **tmp_out)
{
    size_t len = strlen(final_path) + 32;
    char *tmp = malloc(len);
    if (!tmp) {
        mb_fail(MB_ENOMEM, "out of memory");
        return NULL;
    }
    snprintf(tmp, len, "%s.tmp.%ld", final_path, (long)getpid());
    if (mb_path_exists(tmp)) {
        mb_fail(MB_EENV, "temporary file %s already exists; not touching it", tmp);
        free(tmp);
        return NULL;
    }
    if (mb_cleanup_register(tmp) != 0) {
        free(tmp);
        return NULL;
    }
    FILE *f = mb_fopen_new(tmp);
    if (!f) {
        mb_cleanup_forget(tmp);
        free(tmp);
        return NULL;
    }
    *tmp_out = tmp;
    return f;
}

int mb_report_close_tmp(FILE *f, char *tmp, const char *final_path, bool ok)
{
    int rc = 0;
    /* A buffered write that failed earlier fails again here, with its errno. */
    if (fflush(f) != 0)
        rc = mb_fail(MB_EENV, "writing %s failed: %s", tmp, strerror(errno));
    else if (ferror(f))
        rc = mb_fail(MB_EENV, "writing %s failed: %s", tmp, strerror(EIO));
    else if (ok && mb_stdio_sync(f) != 0) {
        char why[300];
        snprintf(why, sizeof why, "%s", mb_last_error());
        rc = mb_fail(MB_EENV, "%s: %s", tmp, why);
    }
    if (fclose(f) != 0 && !rc)
        rc = mb_fail(MB_EENV, "closing %s failed: %s", tmp, strerror(errno));
    if (ok && !rc)
        rc = mb_file_commit(tmp, final_path);
    if (!ok || rc)
        remove(tmp);
    mb_cleanup_forget(tmp);
    free(tmp);
    return rc;
}
