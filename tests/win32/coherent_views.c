/* C12: views of one file, at different addresses, in one process or in two,
 * and ReadFile on the same file all see the same bytes: a write through one
 * is visible through the others without any flush. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w32test.h"

static const char parent_says[] = "C12: written by the parent";
static const char child_says[] = "C12: written by the child";

static int child(const char *path)
{
    struct mb_w32_map m;
    int rc = mb_w32_map_file(path, 0, 0, MB_W32_MAP_WRITE, &m);
    if (CHECK(rc == 0, "child: its own mapping of the file (%s)", rc ? mb_last_error() : "ok")) {
        CHECK(strcmp((char *)m.view + 100, parent_says) == 0,
              "child: sees the parent's write, made through the parent's view");
        memcpy((char *)m.view + 5000, child_says, sizeof child_says);
        mb_w32_unmap(&m);
    }
    return w32t_finish("coherent_views (child)");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0)
        return child(argv[2]);

    size_t gran = mb_alloc_granularity();
    uint64_t size = 2 * (uint64_t)gran;
    char *path = w32t_file("views", size);
    if (!path)
        return w32t_finish("coherent_views");
    struct mb_w32_map m;
    int rc = mb_w32_map_file(path, 0, 0, MB_W32_MAP_WRITE, &m);
    if (!CHECK(rc == 0, "a read-write mapping (%s)", rc ? mb_last_error() : "ok"))
        return w32t_finish("coherent_views");
    uint8_t *a = m.view;
    uint8_t *b = MapViewOfFile(m.mapping, FILE_MAP_WRITE, 0, 0, 0);
    uint8_t *hi = MapViewOfFile(m.mapping, FILE_MAP_READ, 0, (DWORD)gran, gran);
    if (!CHECK(b && hi && b != a, "two more views: the whole file at %p (the first is at %p) and "
               "its second half at %p", (void *)b, (void *)a, (void *)hi))
        return w32t_finish("coherent_views");

    a[1234] = 'A';
    CHECK(b[1234] == 'A', "a write through one view is seen through another at another address");
    b[gran + 5] = 'B';
    CHECK(a[gran + 5] == 'B' && hi[5] == 'B',
          "and the other way round, and through a view that starts at another offset");

    memcpy(a + 100, parent_says, sizeof parent_says);
    char args[MAX_PATH + 16];
    snprintf(args, sizeof args, "child \"%s\"", path);
    long code = w32t_spawn_self(args, false, NULL);
    CHECK(code == 0, "another process mapped the file and passed its checks (exit %ld)", code);
    CHECK(strcmp((char *)a + 5000, child_says) == 0 && strcmp((char *)b + 5000, child_says) == 0,
          "its write is seen through this process's views, with no flush");

    HANDLE f;
    char buf[sizeof parent_says];
    DWORD got = 0;
    if (mb_w32_open(path, 0, &f) == 0) {
        SetFilePointer(f, 100, NULL, FILE_BEGIN);
        ReadFile(f, buf, sizeof buf, &got, NULL);
        CloseHandle(f);
    }
    CHECK(got == sizeof buf && memcmp(buf, parent_says, sizeof buf) == 0,
          "ReadFile on the file sees the bytes written through a view, unflushed");

    UnmapViewOfFile(b);
    UnmapViewOfFile(hi);
    mb_w32_unmap(&m);
    mb_scratch_remove(path);
    free(path);
    return w32t_finish("coherent_views");
}
