/* Child processes (the chart drivers in scripts/). CreateProcess takes one
 * command line, which the child's C runtime splits again; arguments are
 * quoted by the rules of CommandLineToArgvW so that spaces and quotes
 * survive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

/* Appends `arg` quoted to buf (which has room: see command_line()). */
static char *append_quoted(char *out, const char *arg)
{
    *out++ = '"';
    for (const char *p = arg;; p++) {
        size_t slashes = 0;
        while (*p == '\\') {
            p++;
            slashes++;
        }
        if (*p == '\0') {
            /* Backslashes before the closing quote are doubled. */
            for (size_t i = 0; i < 2 * slashes; i++)
                *out++ = '\\';
            break;
        }
        if (*p == '"') {
            for (size_t i = 0; i < 2 * slashes + 1; i++)
                *out++ = '\\';
        } else {
            for (size_t i = 0; i < slashes; i++)
                *out++ = '\\';
        }
        *out++ = *p;
    }
    *out++ = '"';
    return out;
}

static char *command_line(char *const argv[])
{
    size_t len = 1;
    for (size_t i = 0; argv[i]; i++)
        len += 2 * strlen(argv[i]) + 3; /* worst case: every character escaped, quotes, space */
    char *cmd = malloc(len), *out = cmd;
    if (!cmd)
        return NULL;
    for (size_t i = 0; argv[i]; i++) {
        if (i)
            *out++ = ' ';
        out = append_quoted(out, argv[i]);
    }
    *out = '\0';
    return cmd;
}

/* 1 if `path` (searched like CreateProcess does) is something Windows
 * starts: a PE executable, or a .bat / .cmd that it hands to cmd.exe; 0 if
 * it is something else (a POSIX script); -1 if there is no such file. */
static int windows_program(const char *path)
{
    char full[MAX_PATH];
    DWORD type;
    if (!SearchPathA(NULL, path, ".exe", sizeof full, full, NULL))
        return -1;
    const char *ext = strrchr(full, '.');
    if (ext && (_stricmp(ext, ".bat") == 0 || _stricmp(ext, ".cmd") == 0))
        return 1;
    return GetBinaryTypeA(full, &type) != 0;
}

int mb_run_program(char *const argv[])
{
    /* Checked first because Wine would hand a POSIX script to Linux and
     * return at once instead of waiting for it; Windows refuses it. Either
     * way the chart drivers (sh + gnuplot) are not Windows programs. */
    int kind = windows_program(argv[0]);
    if (kind < 0)
        return mb_fail(MB_EENV, "cannot start %s: not found", argv[0]);
    if (kind == 0)
        return mb_fail(MB_EUNSUPPORTED, "cannot start %s: not a Windows program", argv[0]);
    char *cmd = command_line(argv);
    if (!cmd)
        return mb_fail(MB_ENOMEM, "out of memory");
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    /* NULL application name: CreateProcess searches PATH for argv[0] as
     * posix_spawnp does (adding .exe). Scripts without an executable
     * extension cannot be started this way and fail here. */
    BOOL ok = CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    DWORD err = GetLastError();
    free(cmd);
    if (!ok)
        return mb_fail(MB_EENV, "cannot start %s: %s", argv[0], mb_w32_strerror(err));
    CloseHandle(pi.hThread);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    /* NTSTATUS-like codes (0xC0000005 ...) are how Windows reports a crash. */
    if (code > 255)
        return mb_fail(MB_EENV, "%s ended with status 0x%lx", argv[0], (unsigned long)code);
    return (int)code;
}

int mb_owner_self(struct mb_owner *o)
{
    FILETIME created, exited, kernel, user;
    o->pid = (long)GetCurrentProcessId();
    o->start = 0;
    o->boot[0] = '\0';
    if (GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
        o->start = ((unsigned long long)created.dwHighDateTime << 32) | created.dwLowDateTime;
    return 0;
}

bool mb_owner_alive(const struct mb_owner *o)
{
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD)o->pid);
    if (!h)
        return GetLastError() != ERROR_INVALID_PARAMETER; /* no such process */
    FILETIME created, exited, kernel, user;
    DWORD code = 0;
    bool alive = GetExitCodeProcess(h, &code) && code == STILL_ACTIVE;
    if (alive && o->start && GetProcessTimes(h, &created, &exited, &kernel, &user))
        alive = (((unsigned long long)created.dwHighDateTime << 32) | created.dwLowDateTime) ==
                o->start;
    CloseHandle(h);
    return alive;
}

int mb_self_dir(char *buf, size_t len)
{
    char exe[MAX_PATH * 4];
    DWORD n = GetModuleFileNameA(NULL, exe, sizeof exe);
    if (n == 0 || n >= sizeof exe)
        return mb_fail(MB_EENV, "GetModuleFileName: %s", mb_w32_strerror(GetLastError()));
    char *sep = strrchr(exe, '\\');
    char *slash = strrchr(exe, '/');
    if (!sep || (slash && slash > sep))
        sep = slash;
    if (!sep || (size_t)(sep - exe) >= len)
        return mb_fail(MB_EENV, "executable path too long");
    *sep = '\0';
    snprintf(buf, len, "%s", exe);
    return 0;
}

int mb_cpu_check(unsigned cpu)
{
    DWORD_PTR proc = 0, sys = 0;
    if (!GetProcessAffinityMask(GetCurrentProcess(), &proc, &sys))
        return mb_fail(MB_EUSAGE, "cannot read the CPUs this process may use (%s)",
                       mb_w32_strerror(GetLastError()));
    if (cpu >= 8 * sizeof(DWORD_PTR) || !(proc & ((DWORD_PTR)1 << cpu)))
        return mb_fail(MB_EUSAGE,
                       "CPU %u does not exist or this process may not use it (allowed mask: 0x%llx)",
                       cpu, (unsigned long long)proc);
    return 0;
}

int mb_run_program_silent(char *const argv[])
{
    /* The chart drivers it serves are POSIX scripts, which Windows cannot
     * start: nothing would be printed to discard. */
    return mb_run_program(argv);
}
