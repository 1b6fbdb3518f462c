/* What every Win32 code path that starts a process of its own needs: a
 * job object that takes the processes down with mmbench, the start of a
 * process inside it, a pipe with one inheritable end, and a process's CPU
 * time. */
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

int mb_w32_start_in_job(const char *exe, char *cmd, STARTUPINFOA *si, HANDLE job,
                        const char *what, PROCESS_INFORMATION *pi)
{
    /* Wine's CreateProcess fails now and then with ERROR_INTERNAL_ERROR
     * while its server is busy (seen once in a full parallel test run); a
     * real failure repeats, so a few tries tell the two apart. */
    enum { TRIES = 3 };
    BOOL ok = FALSE;
    DWORD err = 0;
    memset(pi, 0, sizeof *pi);
    for (int t = 0; t < TRIES && !ok; t++) {
        if (t)
            Sleep(50);
        ok = CreateProcessA(exe, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL, si, pi);
        err = ok ? 0 : GetLastError();
        if (!ok && err != ERROR_INTERNAL_ERROR)
            break;
    }
    if (!ok)
        return mb_fail(MB_EENV, "cannot start %s: %s", what, mb_w32_strerror(err));
    /* Suspended until it is in the job, so that it cannot outlive mmbench. */
    if (!AssignProcessToJobObject(job, pi->hProcess)) {
        err = GetLastError();
        TerminateProcess(pi->hProcess, 1);
        CloseHandle(pi->hThread);
        CloseHandle(pi->hProcess);
        memset(pi, 0, sizeof *pi);
        return mb_fail(MB_EENV, "AssignProcessToJobObject: %s", mb_w32_strerror(err));
    }
    mb_w32_pass_pin(pi->hProcess);
    ResumeThread(pi->hThread);
    CloseHandle(pi->hThread);
    pi->hThread = NULL;
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
