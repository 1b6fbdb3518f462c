/* System memory figures and free space on Windows. Dirty and writeback page
 * counts have no documented per-system source (the cache manager's dirty
 * page count is a performance counter, not an API), so they stay unknown;
 * free space comes from GetDiskFreeSpaceEx. */
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

int mb_meminfo_read(struct mb_meminfo *m)
{
    *m = (struct mb_meminfo){0};
    MEMORYSTATUSEX ms = {.dwLength = sizeof ms};
    if (!GlobalMemoryStatusEx(&ms))
        return mb_fail(MB_EUNSUPPORTED, "GlobalMemoryStatusEx failed");
    m->available = (uint64_t)ms.ullAvailPhys;
    m->has_available = true;
    return 0;
}

int mb_space_free(const char *dir, uint64_t *bytes)
{
    ULARGE_INTEGER avail;
    if (!GetDiskFreeSpaceExA(dir, &avail, NULL, NULL))
        return mb_fail(MB_EENV, "GetDiskFreeSpaceEx %s: %s", dir,
                       mb_w32_strerror(GetLastError()));
    *bytes = (uint64_t)avail.QuadPart;
    return 0;
}
