/* Regions mapped to be faulted in: the faults suite times POSIX page
 * faults (anonymous and file mappings, madvise, THP, fault-around), which
 * Windows has no twin of (PageFaultCount is one number for every kind), so
 * each function says so. mb_region_unmap also releases the views the sweep
 * suite maps (mb_file_map). */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

static const char why[] = "the faults suite times POSIX page faults (mmap, madvise, getrusage "
                          "minor/major counts); Windows reports one PageFaultCount for every kind";

const char *mb_region_unsupported(void)
{
    return why;
}

int mb_region_map(struct mb_region *r, enum mb_region_kind kind, const char *path, size_t len,
                  size_t align)
{
    (void)kind, (void)path, (void)len, (void)align;
    memset(r, 0, sizeof *r);
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_region_advise(const struct mb_region *r, enum mb_region_advice a)
{
    (void)r, (void)a;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_region_sync(const struct mb_region *r)
{
    (void)r;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

void mb_region_unmap(struct mb_region *r)
{
    /* The only regions mapped here are views (mb_file_map, the sweep
     * suite's); mb_region_map maps none. */
    if (r->map)
        UnmapViewOfFile(r->map);
    memset(r, 0, sizeof *r);
}

int mb_fault_counts(uint64_t *minor, uint64_t *major)
{
    (void)minor, (void)major;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_thp_mode(char *mode, size_t len, size_t *huge_bytes)
{
    (void)huge_bytes;
    if (len)
        mode[0] = '\0';
    return mb_fail(MB_EUNSUPPORTED, "Windows has no transparent huge pages (large pages need "
                                    "SeLockMemoryPrivilege and MEM_LARGE_PAGES)");
}

int mb_fault_around_bytes(uint64_t *bytes)
{
    (void)bytes;
    return mb_fail(MB_EUNSUPPORTED, "Windows has no fault-around setting");
}
