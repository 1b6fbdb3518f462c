/* C6, by inheritance: a mapping handle created with bInheritHandle = TRUE is
 * valid in a child started by CreateProcess(bInheritHandles = TRUE), at the
 * same value; a handle created without it is not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w32test.h"

#define SIZE 65536
static const char parent_says[] = "inherited: written by the parent";
static const char child_says[] = "inherited: written by the child";

static int child(const char *inherited, const char *private_one)
{
    HANDLE h = (HANDLE)(uintptr_t)strtoull(inherited, NULL, 0);
    char *view = MapViewOfFile(h, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, SIZE);
    if (CHECK(view != NULL, "child: the inherited handle value %s maps", inherited)) {
        CHECK(strcmp(view, parent_says) == 0, "child: sees the parent's bytes");
        memcpy(view + SIZE - 64, child_says, sizeof child_says);
        UnmapViewOfFile(view);
    }
    HANDLE p = (HANDLE)(uintptr_t)strtoull(private_one, NULL, 0);
    void *v2 = MapViewOfFile(p, FILE_MAP_READ, 0, 0, SIZE);
    CHECK(v2 == NULL, "child: the value %s of a handle created without bInheritHandle is not "
          "a mapping here (%s)", private_one, v2 ? "it mapped" : mb_w32_strerror(GetLastError()));
    if (v2)
        UnmapViewOfFile(v2);
    return w32t_finish("inherit_handle (child)");
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "child") == 0)
        return child(argv[2], argv[3]);

    struct mb_w32_map shared, private_map;
    int rc = mb_w32_map_pagefile(NULL, SIZE, true, &shared, NULL);
    if (!CHECK(rc == 0, "an inheritable paging-file mapping (%s)", rc ? mb_last_error() : "ok"))
        return w32t_finish("inherit_handle");
    rc = mb_w32_map_pagefile(NULL, SIZE, false, &private_map, NULL);
    if (!CHECK(rc == 0, "a non-inheritable one (%s)", rc ? mb_last_error() : "ok"))
        return w32t_finish("inherit_handle");
    DWORD flags = 0;
    CHECK(GetHandleInformation(shared.mapping, &flags) && (flags & HANDLE_FLAG_INHERIT),
          "bInheritHandle set HANDLE_FLAG_INHERIT");
    memcpy(shared.view, parent_says, sizeof parent_says);

    char args[128];
    snprintf(args, sizeof args, "child %llu %llu", (unsigned long long)(uintptr_t)shared.mapping,
             (unsigned long long)(uintptr_t)private_map.mapping);
    long code = w32t_spawn_self(args, true, NULL);
    CHECK(code == 0, "CreateProcess(bInheritHandles = TRUE): the child passed its checks (exit %ld)",
          code);
    CHECK(strcmp((char *)shared.view + SIZE - 64, child_says) == 0,
          "the parent sees what the child wrote through the inherited handle");
    mb_w32_unmap(&shared);
    mb_w32_unmap(&private_map);
    return w32t_finish("inherit_handle");
}
