/* Threads on Win32: CreateThread (thread.h). Console control events, not
 * signals, stop a Windows process, so there is no mask to set. */
#include <stdio.h>
#include <stdlib.h>
#include "win32.h"

#include "mmbench/error.h"
#include "mmbench/thread.h"

struct mb_thread {
    HANDLE h;
    int (*fn)(void *);
    void *arg;
    int rc;
    char msg[512];  /* fn's error message, from the thread's own buffer */
};

static DWORD WINAPI thread_main(LPVOID p)
{
    struct mb_thread *t = p;
    t->rc = t->fn(t->arg);
    if (t->rc)
        snprintf(t->msg, sizeof t->msg, "%s", mb_last_error());
    return 0;
}

int mb_thread_start(struct mb_thread **out, int (*fn)(void *arg), void *arg)
{
    struct mb_thread *t = calloc(1, sizeof *t);
    if (!t)
        return mb_fail(MB_ENOMEM, "out of memory");
    t->fn = fn;
    t->arg = arg;
    t->h = CreateThread(NULL, 0, thread_main, t, 0, NULL);
    if (!t->h) {
        int rc = mb_fail(MB_EENV, "CreateThread: %s", mb_w32_strerror(GetLastError()));
        free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int mb_thread_join(struct mb_thread *t)
{
    int rc = WaitForSingleObject(t->h, INFINITE) != WAIT_OBJECT_0
                 ? mb_fail(MB_EENV, "waiting for a thread: %s", mb_w32_strerror(GetLastError()))
             : t->rc ? mb_fail(t->rc, "%s", t->msg)
                     : 0;
    CloseHandle(t->h);
    free(t);
    return rc;
}

void mb_yield(void)
{
    SwitchToThread();
}
