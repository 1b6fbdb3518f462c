/* C11: a writable mapping larger than its file grows the file to the
 * mapping's size (zero-filled); the mapping's size is fixed once it is
 * created, so a view larger than it is refused, and a read-only mapping
 * cannot be larger than the file. FlushViewOfFile + FlushFileBuffers make a
 * write through the view durable. */
#include <stdlib.h>
#include <string.h>

#include "w32test.h"

static uint64_t file_size(const char *path)
{
    WIN32_FILE_ATTRIBUTE_DATA a;
    if (!GetFileAttributesExA(path, GetFileExInfoStandard, &a))
        return UINT64_MAX;
    return ((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow;
}

int main(void)
{
    const uint64_t small = 100, big = 1u << 20;
    char *path = w32t_file("grow", small);
    if (!path)
        return w32t_finish("mapping_grows_file");
    CHECK(file_size(path) == small, "the file has %llu bytes", (unsigned long long)small);

    HANDLE f;
    if (mb_w32_open(path, 0, &f) == 0) {
        HANDLE ro = CreateFileMappingA(f, NULL, PAGE_READONLY, 0, (DWORD)big, NULL);
        CHECK(ro == NULL, "a read-only mapping larger than the file is refused (%s)",
              ro ? "it was not" : mb_w32_strerror(GetLastError()));
        if (ro)
            CloseHandle(ro);
        CloseHandle(f);
    }

    struct mb_w32_map m;
    int rc = mb_w32_map_file(path, 0, (size_t)big, MB_W32_MAP_WRITE, &m);
    if (!CHECK(rc == 0, "a read-write mapping of %llu bytes (%s)", (unsigned long long)big,
               rc ? mb_last_error() : "ok"))
        return w32t_finish("mapping_grows_file");
    CHECK(file_size(path) == big, "creating it grew the file to %llu bytes (now %llu)",
          (unsigned long long)big, (unsigned long long)file_size(path));
    uint8_t *v = m.view;
    bool zero = true;
    for (uint64_t i = small; i < big; i++)
        zero &= v[i] == 0;
    CHECK(w32t_same(v, 0, (size_t)small) && zero,
          "the old bytes are kept and the new ones are zero");

    void *larger = MapViewOfFile(m.mapping, FILE_MAP_READ, 0, 0, (SIZE_T)(2 * big));
    CHECK(larger == NULL, "a view larger than the mapping is refused: its size is fixed (%s)",
          larger ? "it was not" : mb_w32_strerror(GetLastError()));
    if (larger)
        UnmapViewOfFile(larger);

    v[big - 1] = 0xA5;
    rc = mb_w32_map_flush(&m);
    CHECK(rc == 0, "FlushViewOfFile + FlushFileBuffers (%s)", rc ? mb_last_error() : "ok");
    mb_w32_unmap(&m);
    uint8_t *back = NULL;
    size_t len = 0;
    rc = mb_file_read_all(path, &back, &len);
    CHECK(rc == 0 && len == big && back[big - 1] == 0xA5,
          "read back with ReadFile: %zu bytes, the last one written through the view", len);
    free(back);
    mb_scratch_remove(path);
    free(path);
    return w32t_finish("mapping_grows_file");
}
