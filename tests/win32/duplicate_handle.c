/* C6, by duplication: DuplicateHandle puts a copy of a (non-inheritable)
 * mapping handle into a running child's handle table; the child learns the
 * value through a pipe on its standard input and maps it. A copy duplicated
 * with FILE_MAP_READ access only cannot be mapped for writing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w32test.h"

#define SIZE 4096
static const char parent_says[] = "duplicated: written by the parent";
static const char child_says[] = "duplicated: written by the child";

static int child(void)
{
    char line[128] = "";
    if (!fgets(line, sizeof line, stdin))
        line[0] = '\0';
    char *end;
    unsigned long long rw = strtoull(line, &end, 0), ro = strtoull(end, NULL, 0);
    CHECK(rw != 0 && ro != 0, "child: read the duplicated handle values (%s)",
          strtok(line, "\r\n") ? line : "nothing");
    char *view = MapViewOfFile((HANDLE)(uintptr_t)rw, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, SIZE);
    if (CHECK(view != NULL, "child: the handle duplicated into it maps read-write")) {
        CHECK(strcmp(view, parent_says) == 0, "child: sees the parent's bytes");
        memcpy(view + 2048, child_says, sizeof child_says);
        UnmapViewOfFile(view);
    }
    void *w = MapViewOfFile((HANDLE)(uintptr_t)ro, FILE_MAP_WRITE, 0, 0, SIZE);
    CHECK(w == NULL, "child: the copy duplicated with FILE_MAP_READ only cannot map for writing (%s)",
          w ? "it did" : mb_w32_strerror(GetLastError()));
    if (w)
        UnmapViewOfFile(w);
    void *r = MapViewOfFile((HANDLE)(uintptr_t)ro, FILE_MAP_READ, 0, 0, SIZE);
    CHECK(r != NULL, "child: ...but it maps for reading");
    if (r)
        UnmapViewOfFile(r);
    return w32t_finish("duplicate_handle (child)");
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "child") == 0)
        return child();

    struct mb_w32_map m;
    int rc = mb_w32_map_pagefile(NULL, SIZE, false, &m, NULL);
    if (!CHECK(rc == 0, "a non-inheritable paging-file mapping (%s)", rc ? mb_last_error() : "ok"))
        return w32t_finish("duplicate_handle");
    memcpy(m.view, parent_says, sizeof parent_says);

    SECURITY_ATTRIBUTES sa = {.nLength = sizeof sa, .bInheritHandle = TRUE};
    HANDLE rd, wr;
    if (!CHECK(CreatePipe(&rd, &wr, &sa, 0), "a pipe for the child's standard input"))
        return w32t_finish("duplicate_handle");
    SetHandleInformation(wr, HANDLE_FLAG_INHERIT, 0); /* the child gets the read end only */

    char exe[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, exe, sizeof exe);
    snprintf(cmd, sizeof cmd, "\"%s\" child", exe);
    STARTUPINFOA si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES, .hStdInput = rd};
    DuplicateHandle(GetCurrentProcess(), GetStdHandle(STD_OUTPUT_HANDLE), GetCurrentProcess(),
                    &si.hStdOutput, 0, TRUE, DUPLICATE_SAME_ACCESS);
    DuplicateHandle(GetCurrentProcess(), GetStdHandle(STD_ERROR_HANDLE), GetCurrentProcess(),
                    &si.hStdError, 0, TRUE, DUPLICATE_SAME_ACCESS);
    PROCESS_INFORMATION pi;
    fflush(stdout);
    BOOL started = CreateProcessA(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    CloseHandle(rd);
    if (si.hStdOutput)
        CloseHandle(si.hStdOutput);
    if (si.hStdError)
        CloseHandle(si.hStdError);
    if (!CHECK(started, "the child started (%s)", started ? "ok" : mb_w32_strerror(GetLastError())))
        return w32t_finish("duplicate_handle");

    HANDLE in_child_rw = NULL, in_child_ro = NULL;
    BOOL d1 = DuplicateHandle(GetCurrentProcess(), m.mapping, pi.hProcess, &in_child_rw, 0, FALSE,
                              DUPLICATE_SAME_ACCESS);
    BOOL d2 = DuplicateHandle(GetCurrentProcess(), m.mapping, pi.hProcess, &in_child_ro,
                              FILE_MAP_READ, FALSE, 0);
    CHECK(d1 && d2, "DuplicateHandle into the child: values %p (same access) and %p (read only)",
          (void *)in_child_rw, (void *)in_child_ro);
    char line[96];
    int n = snprintf(line, sizeof line, "%llu %llu\n", (unsigned long long)(uintptr_t)in_child_rw,
                     (unsigned long long)(uintptr_t)in_child_ro);
    DWORD w;
    WriteFile(wr, line, (DWORD)n, &w, NULL);
    CloseHandle(wr);

    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CHECK(code == 0, "the child passed its checks (exit %lu)", (unsigned long)code);
    CHECK(strcmp((char *)m.view + 2048, child_says) == 0,
          "the parent sees what the child wrote through the duplicated handle");
    mb_w32_unmap(&m);
    return w32t_finish("duplicate_handle");
}
