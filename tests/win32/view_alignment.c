/* C10: a view's file offset must be a multiple of the allocation
 * granularity (64 KiB on x86 Windows, not the page size and not "64" as the
 * article prints it). MapViewOfFile refuses a misaligned offset with
 * ERROR_MAPPED_ALIGNMENT; mmbench's own mapping call refuses it first, with a
 * message that names both numbers, and never rounds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w32test.h"

int main(void)
{
    size_t gran = mb_alloc_granularity(), page = mb_page_size();
    SYSTEM_INFO si;
    GetNativeSystemInfo(&si);
    CHECK(gran == si.dwAllocationGranularity && page == si.dwPageSize,
          "mb_alloc_granularity() = %zu, mb_page_size() = %zu (GetNativeSystemInfo)", gran, page);
    if (si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64 ||
        si.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_INTEL)
        CHECK(gran == 65536, "x86 Windows: the granularity is 64 KiB");

    uint64_t size = 3 * (uint64_t)gran;
    char *path = w32t_file("align", size);
    if (!path)
        return w32t_finish("view_alignment");
    HANDLE f;
    int rc = mb_w32_open(path, 0, &f);
    HANDLE map = rc ? NULL : CreateFileMappingA(f, NULL, PAGE_READONLY, 0, 0, NULL);
    if (!CHECK(map != NULL, "a read-only mapping of a %llu-byte file", (unsigned long long)size))
        return w32t_finish("view_alignment");

    SetLastError(0);
    void *bad = MapViewOfFile(map, FILE_MAP_READ, 0, (DWORD)page, page);
    DWORD err = GetLastError();
    CHECK(bad == NULL && err == ERROR_MAPPED_ALIGNMENT,
          "MapViewOfFile at offset %zu (one page) fails with ERROR_MAPPED_ALIGNMENT = %ld: %s", page,
          (long)ERROR_MAPPED_ALIGNMENT, mb_w32_strerror(err));
    if (bad)
        UnmapViewOfFile(bad);
    uint8_t *good = MapViewOfFile(map, FILE_MAP_READ, 0, (DWORD)gran, page);
    CHECK(good && w32t_same(good, gran, page),
          "MapViewOfFile at offset %zu (the granularity) shows the file's bytes from there", gran);
    if (good)
        UnmapViewOfFile(good);
    CloseHandle(map);
    CloseHandle(f);

    struct mb_w32_map m;
    rc = mb_w32_map_file(path, page, page, 0, &m);
    char expect[64];
    snprintf(expect, sizeof expect, "(%zu bytes)", gran);
    CHECK(rc == MB_EUSAGE && strstr(mb_last_error(), "allocation granularity") &&
              strstr(mb_last_error(), expect),
          "mmbench refuses offset %zu with a clear error: \"%s\"", page, mb_last_error());
    if (rc == 0)
        mb_w32_unmap(&m);
    rc = mb_w32_map_file(path, gran, page, 0, &m);
    CHECK(rc == 0 && m.offset == gran && w32t_same(m.view, gran, page),
          "...and maps offset %zu, unrounded", gran);
    if (rc == 0)
        mb_w32_unmap(&m);
    mb_scratch_remove(path);
    free(path);
    return w32t_finish("view_alignment");
}
