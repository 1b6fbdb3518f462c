/* Regions mapped to be faulted in: the faults suite times POSIX page
 * faults (anonymous and file mappings, madvise, THP, fault-around), which
 * Windows has no twin of (PageFaultCount is one number for every kind), so
 * mb_region_unsupported() gives the reason. A shared read-write view of a
 * file (the lostupdates suite's list) is mapped, and mb_region_unmap also
 * releases the views the sweep suite maps (mb_file_map). */
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
    memset(r, 0, sizeof *r);
    if (kind != MB_REGION_FILE_SHARED)
        return mb_fail(MB_EUNSUPPORTED, "%s", why);
    if (align > mb_alloc_granularity())
        return mb_fail(MB_EUNSUPPORTED, "a view is aligned to the allocation granularity (%zu "
                       "bytes), not %zu", mb_alloc_granularity(), align);
    struct mb_w32_map m;
    int rc = mb_w32_map_file(path, 0, len, MB_W32_MAP_WRITE, &m);
    if (rc)
        return rc;
    /* The view holds the section and the file: the handles can go. */
    r->map = r->base = m.view;
    r->map_len = r->len = len;
    m.view = NULL;
    mb_w32_unmap(&m);
    return 0;
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
    /* Every region mapped here is a view (mb_region_map, mb_file_map). */
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
