/* Child processes (the chart drivers in scripts/). CreateProcess takes one
 * command line, which the child's C runtime splits again; arguments are
 * quoted by the rules of CommandLineToArgvW so that spaces and quotes
 * survive. */
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

/* True if `path` (searched like CreateProcess does) is something Windows
 * starts: a PE executable, or a .bat / .cmd that it hands to cmd.exe. */
static bool windows_program(const char *path)
{
    char full[MAX_PATH];
    DWORD type;
    if (!SearchPathA(NULL, path, ".exe", sizeof full, full, NULL))
        return false;
    const char *ext = strrchr(full, '.');
    if (ext && (_stricmp(ext, ".bat") == 0 || _stricmp(ext, ".cmd") == 0))
        return true;
    return GetBinaryTypeA(full, &type) != 0;
}

int mb_run_program(char *const argv[])
{
    /* Checked first because Wine would hand a POSIX script to Linux and
     * return at once instead of waiting for it; Windows refuses it. Either
     * way the chart drivers (sh + gnuplot) are not Windows programs. */
    if (!windows_program(argv[0]))
        return mb_fail(MB_EENV, "cannot start %s: not a Windows program", argv[0]);
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
