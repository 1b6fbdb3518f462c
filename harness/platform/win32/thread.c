/* Threads on Win32: CreateThread (thread.h). Console control events, not
 * signals, stop a Windows process, so there is no mask to set. */
#include <stdlib.h>
#include "win32.h"

#include "mmbench/error.h"
#include "mmbench/thread.h"
#include "thread_run.h"

struct mb_thread {
    HANDLE h;
    struct mb_thread_run run;
};

static DWORD WINAPI thread_main(LPVOID p)
{
    mb_thread_run(&((struct mb_thread *)p)->run);
    return 0;
}

int mb_thread_start(struct mb_thread **out, int (*fn)(void *arg), void *arg)
{
    struct mb_thread *t = calloc(1, sizeof *t);
    if (!t)
        return mb_fail(MB_ENOMEM, "out of memory");
    t->run = (struct mb_thread_run){.fn = fn, .arg = arg};
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
                 : mb_thread_result(&t->run);
    CloseHandle(t->h);
    free(t);
    return rc;
}

void mb_yield(void)
{
    SwitchToThread();
}
