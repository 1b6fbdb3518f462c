#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w32test.h"

static unsigned checks, failures;

bool w32t_check(bool ok, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    checks++;
    if (!ok)
        failures++;
    printf("%s ", ok ? "ok  " : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (!ok)
        printf("  (%s:%d)", file, line);
    putchar('\n');
    fflush(stdout);
    return ok;
}

uint8_t w32t_byte(uint64_t off)
{
    /* Not periodic in 4 KiB or 64 KiB, so a view at the wrong offset shows. */
    return (uint8_t)((off * 2654435761u) >> 13 ^ off >> 7);
}

static void fill(uint8_t *dst, uint64_t off, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = w32t_byte(off + i);
}

char *w32t_file(const char *tag, uint64_t size)
{
    char *path = NULL;
    int rc = mb_scratch_create(mb_default_scratch_dir(), tag, size, fill, &path);
    if (!CHECK(rc == 0, "scratch file '%s' of %llu bytes created (%s)", tag,
               (unsigned long long)size, rc ? mb_last_error() : "ok"))
        return NULL;
    return path;
}

bool w32t_same(const uint8_t *p, uint64_t off, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != w32t_byte(off + i))
            return false;
    return true;
}

/* A child needs inheritable copies of the std handles it is given. */
static HANDLE inheritable(DWORD which)
{
    HANDLE h = GetStdHandle(which), dup = NULL;
    if (h && h != INVALID_HANDLE_VALUE)
        DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, TRUE,
                        DUPLICATE_SAME_ACCESS);
    return dup;
}

long w32t_spawn_self(const char *args, bool inherit, HANDLE std_in)
{
    char exe[MAX_PATH], cmd[2 * MAX_PATH + 512];
    if (!GetModuleFileNameA(NULL, exe, sizeof exe))
        return -1;
    snprintf(cmd, sizeof cmd, "\"%s\" %s", exe, args);
    STARTUPINFOA si = {.cb = sizeof si};
    HANDLE out = NULL, err = NULL;
    if (std_in) {
        out = inheritable(STD_OUTPUT_HANDLE);
        err = inheritable(STD_ERROR_HANDLE);
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = std_in;
        si.hStdOutput = out;
        si.hStdError = err;
    }
    fflush(stdout);
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(exe, cmd, NULL, NULL, inherit || std_in, 0, NULL, NULL, &si, &pi);
    DWORD e = GetLastError();
    if (out)
        CloseHandle(out);
    if (err)
        CloseHandle(err);
    if (!ok) {
        printf("cannot start %s: %s\n", exe, mb_w32_strerror(e));
        return -1;
    }
    CloseHandle(pi.hThread);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    return (long)code;
}

int w32t_finish(const char *name)
{
    printf("%s: %u checks, %u failed\n", name, checks, failures);
    return failures ? 1 : 0;
}
