/* C6, by name: a mapping backed by the paging file, created under a name by
 * one process and opened by another with OpenFileMapping; both see the same
 * bytes. Creating it again under the same name gives the existing object and
 * ERROR_ALREADY_EXISTS, and the name disappears with the last handle. */
#include <stdio.h>
#include <string.h>

#include "w32test.h"

#define SIZE 4096
static const char parent_says[] = "written by the creator";
static const char child_says[] = "written by the opener";

static int child(const char *name)
{
    HANDLE h = OpenFileMappingA(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name);
    if (!CHECK(h != NULL, "child: OpenFileMapping(\"%s\") finds the creator's mapping", name))
        return w32t_finish("named_mapping (child)");
    char *view = MapViewOfFile(h, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, SIZE);
    if (CHECK(view != NULL, "child: MapViewOfFile of the opened mapping")) {
        CHECK(strcmp(view, parent_says) == 0, "child: sees the creator's bytes (\"%s\")", view);
        memcpy(view + 1024, child_says, sizeof child_says);
        UnmapViewOfFile(view);
    }
    CloseHandle(h);
    return w32t_finish("named_mapping (child)");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0)
        return child(argv[2]);

    char name[96];
    snprintf(name, sizeof name, "Local\\mmbench-test-%lu", (unsigned long)GetCurrentProcessId());
    struct mb_w32_map m;
    bool existed = true;
    int rc = mb_w32_map_pagefile(name, SIZE, false, &m, &existed);
    if (!CHECK(rc == 0, "CreateFileMapping(INVALID_HANDLE_VALUE, \"%s\") creates a paging-file "
               "mapping (%s)", name, rc ? mb_last_error() : "ok"))
        return w32t_finish("named_mapping");
    CHECK(!existed, "the name was new");
    memcpy(m.view, parent_says, sizeof parent_says);

    /* The article: a second CreateFileMapping of the same name returns the
     * existing object and says so. */
    SetLastError(0);
    HANDLE again = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, SIZE, name);
    DWORD err = GetLastError();
    CHECK(again != NULL && err == ERROR_ALREADY_EXISTS,
          "second CreateFileMapping of the same name: handle %p, GetLastError %lu "
          "(ERROR_ALREADY_EXISTS is %ld)", (void *)again, (unsigned long)err, (long)ERROR_ALREADY_EXISTS);
    if (again) {
        char *v = MapViewOfFile(again, FILE_MAP_READ, 0, 0, SIZE);
        CHECK(v && strcmp(v, parent_says) == 0, "...and it is the same memory");
        if (v)
            UnmapViewOfFile(v);
        CloseHandle(again);
    }

    char args[160];
    snprintf(args, sizeof args, "child %s", name);
    long code = w32t_spawn_self(args, false, NULL);
    CHECK(code == 0, "the child process opened it by name and passed its checks (exit %ld)", code);
    CHECK(strcmp((char *)m.view + 1024, child_says) == 0,
          "the creator sees what the other process wrote through its own view");

    HANDLE missing = OpenFileMappingA(FILE_MAP_READ, FALSE, "Local\\mmbench-test-no-such-name");
    err = GetLastError();
    CHECK(missing == NULL && err == ERROR_FILE_NOT_FOUND,
          "OpenFileMapping of an unknown name fails with ERROR_FILE_NOT_FOUND (got %lu)",
          (unsigned long)err);

    mb_w32_unmap(&m);
    HANDLE gone = OpenFileMappingA(FILE_MAP_READ, FALSE, name);
    CHECK(gone == NULL, "the name is gone once the last handle is closed");
    if (gone)
        CloseHandle(gone);
    return w32t_finish("named_mapping");
}
