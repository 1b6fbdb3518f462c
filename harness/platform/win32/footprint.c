/* The footprint suite's commit charge and read-only private mappings: the
 * suite measures POSIX mappings and Linux's Committed_AS; Windows' commit
 * charge (GetPerformanceInfo CommitTotal) would be the twin, not written
 * yet, so each function says so. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static const char why[] = "the footprint suite reads Linux's Committed_AS and maps files with "
                          "mmap; the Win32 twin (GetPerformanceInfo CommitTotal, "
                          "MapViewOfFile FILE_MAP_READ) is not written";

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
