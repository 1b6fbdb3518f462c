/* Reads around the Windows file cache: a handle opened with
 * FILE_FLAG_NO_BUFFERING accepts only offsets, lengths and buffers aligned
 * to the volume's sector size, so a record is read as the aligned sectors
 * that hold it, into an aligned bounce buffer, and copied out. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

/* The page size is a multiple of every common sector size (512, 4096) and
 * aligns the buffer too; a volume with larger sectors gets its own. */
static size_t sector_alignment(const char *path)
{
    size_t align = mb_page_size();
    char root[MAX_PATH];
    DWORD spc, bps, free_clusters, clusters;
    if (GetVolumePathNameA(path, root, sizeof root) &&
        GetDiskFreeSpaceA(root, &spc, &bps, &free_clusters, &clusters) && bps > align)
        align = bps;
    return align;
}

static int grow_bounce(struct mb_w32_uncached *u, size_t need)
{
    if (need <= u->bounce_len)
        return 0;
    if (u->bounce)
        VirtualFree(u->bounce, 0, MEM_RELEASE);
    u->bounce_len = 0;
    u->bounce = VirtualAlloc(NULL, need, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (!u->bounce)
        return mb_fail(MB_ENOMEM, "VirtualAlloc of a %zu-byte aligned buffer: %s", need,
                       mb_w32_strerror(GetLastError()));
    u->bounce_len = need;
    return 0;
}

int mb_w32_uncached_init(const char *path, struct mb_w32_uncached *u)
{
    memset(u, 0, sizeof *u);
    u->align = sector_alignment(path);
    /* Sized here, outside any timed region, for records up to 15 sectors. */
    return grow_bounce(u, 16 * u->align);
}

int mb_w32_uncached_read(struct mb_w32_uncached *u, HANDLE h, uint64_t off, size_t len, void *dst)
{
    uint64_t start = off - off % u->align;
    size_t head = (size_t)(off - start);
    size_t span = (head + len + u->align - 1) / u->align * u->align;
    int rc = grow_bounce(u, span);
    if (rc)
        return rc;
    if (span > 0x7fffffffu)
        return mb_fail(MB_EUSAGE, "a %zu-byte read is too large for one ReadFile", span);
    /* The last sector may extend past the end of the file: ReadFile then
     * delivers up to the end, which is all the record needs. */
    OVERLAPPED ov = {.Offset = (DWORD)start, .OffsetHigh = (DWORD)(start >> 32)};
    DWORD got = 0;
    if (!ReadFile(h, u->bounce, (DWORD)span, &got, &ov) && GetLastError() != ERROR_HANDLE_EOF)
        return mb_fail(MB_EENV, "uncached ReadFile at %llu: %s", (unsigned long long)start,
                       mb_w32_strerror(GetLastError()));
    if (got < head + len)
        return mb_fail(MB_EENV, "uncached ReadFile at %llu delivered %lu of %zu bytes",
                       (unsigned long long)start, (unsigned long)got, head + len);
    memcpy(dst, u->bounce + head, len);
    return 0;
}

void mb_w32_uncached_free(struct mb_w32_uncached *u)
{
    if (u->bounce)
        VirtualFree(u->bounce, 0, MEM_RELEASE);
    memset(u, 0, sizeof *u);
}
