/* What every Win32 code path that starts a process of its own needs: a
 * job object that takes the processes down with mmbench, a pipe with one
 * inheritable end, and a process's CPU time. */
#include <string.h>

#include "mmbench/error.h"
#include "win32.h"

int mb_w32_kill_on_close_job(HANDLE *job)
{
    *job = NULL;
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION li;
    memset(&li, 0, sizeof li);
    li.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    HANDLE j = CreateJobObjectA(NULL, NULL);
    if (!j || !SetInformationJobObject(j, JobObjectExtendedLimitInformation, &li, sizeof li)) {
        DWORD err = GetLastError();
        if (j)
            CloseHandle(j);
        return mb_fail(MB_EENV, "job object: %s", mb_w32_strerror(err));
    }
    *job = j;
    return 0;
}

int mb_w32_child_pipe(HANDLE *r, HANDLE *w, int child_end)
{
    SECURITY_ATTRIBUTES sa = {.nLength = sizeof sa, .bInheritHandle = TRUE};
    if (!CreatePipe(r, w, &sa, 0))
        return mb_fail(MB_EENV, "CreatePipe: %s", mb_w32_strerror(GetLastError()));
    SetHandleInformation(child_end ? *r : *w, HANDLE_FLAG_INHERIT, 0);
    return 0;
}

static uint64_t filetime_ns(FILETIME t)
{
    return (((uint64_t)t.dwHighDateTime << 32) | t.dwLowDateTime) * 100u;
}

int mb_w32_process_cpu(HANDLE proc, uint64_t *user_ns, uint64_t *kernel_ns)
{
    FILETIME created, exited, kernel, user;
    if (!GetProcessTimes(proc, &created, &exited, &kernel, &user))
        return mb_fail(MB_EENV, "GetProcessTimes: %s", mb_w32_strerror(GetLastError()));
    *user_ns = filetime_ns(user);
    *kernel_ns = filetime_ns(kernel);
    return 0;
}
