/* The lazy and footprint suites' file views and commit charge: they
 * measure POSIX mappings and Linux's Committed_AS; the Windows twins
 * (MapViewOfFile FILE_MAP_READ, VirtualAlloc + ReadFile, GetPerformanceInfo
 * CommitTotal) are not written yet, so each function says so. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static const char why[] = "the lazy and footprint suites map files with mmap and read Linux's "
                          "Committed_AS; their Win32 twins (MapViewOfFile FILE_MAP_READ, "
                          "GetPerformanceInfo CommitTotal) are not written";

const char *mb_file_views_unsupported(void)
{
    return why;
}

const char *mb_commit_unsupported(void)
{
    return why;
}

int mb_commit_charge(uint64_t *bytes)
{
    (void)bytes;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_region_map_readonly(struct mb_region *r, const char *path, size_t len)
{
    (void)path, (void)len;
    memset(r, 0, sizeof *r);
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_file_read_into(const char *path, uint8_t *buf, size_t len)
{
    (void)path, (void)buf, (void)len;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}
