/* The last-error message: a buffer per thread, because a message must
 * outlive the function that failed and threads that read for a pass fail on
 * their own (mb_thread_join hands a thread's message to its joiner). */
#include <stdarg.h>
#include <stdio.h>

#include "mmbench/error.h"

static _Thread_local char last_msg[512];

const char *mb_strerror(int code)
{
    switch (code) {
    case MB_OK: return "ok";
    case MB_EUSAGE: return "usage error";
    case MB_EENV: return "environment error";
    case MB_EVERIFY: return "verification failed";
    case MB_ENOMEM: return "out of memory";
    case MB_EUNSUPPORTED: return "unsupported on this platform";
    case MB_EINTR: return "interrupted";
    default: return "unknown error";
    }
}

int mb_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_msg, sizeof last_msg, fmt, ap);
    va_end(ap);
    return code;
}

const char *mb_last_error(void)
{
    return last_msg;
}

void mb_clear_error(void)
{
    last_msg[0] = '\0';
}
