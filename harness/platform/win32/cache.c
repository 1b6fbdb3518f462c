/* Cache state of one file on Windows. There is no mincore: no call tells
 * which pages of a file the cache holds, so mb_cache_resident() says
 * unsupported and the runner labels states accordingly (see runner.c).
 * Emptying the standby list (NtSetSystemInformation MemoryPurgeStandbyList)
 * needs SeProfileSingleProcessPrivilege, which mmbench does not ask for. */
#include <stdlib.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

int mb_cache_evict(const char *path)
{
    /* Best effort, never relied on for a label: NTFS and FAT flush and purge
     * a file's cached pages when it is opened uncached while no other handle
     * caches it and no view maps it. Scratch files are already durable, so
     * nothing dirty is lost. */
    HANDLE h;
    int rc = mb_w32_open(path, MB_W32_OPEN_UNCACHED, &h);
    if (rc)
        return rc;
    CloseHandle(h);
    return 0;
}

int mb_cache_drop_all(void)
{
    return mb_fail(MB_EUNSUPPORTED,
                   "emptying the Windows standby list needs SeProfileSingleProcessPrivilege; "
                   "mmbench does not ask for privileges");
}

int mb_cache_warm(const char *path)
{
    HANDLE h;
    int rc = mb_w32_open(path, MB_W32_OPEN_SEQUENTIAL, &h);
    if (rc)
        return rc;
    enum { CHUNK = 1 << 16 };
    char *buf = malloc(CHUNK);
    if (!buf) {
        CloseHandle(h);
        return mb_fail(MB_ENOMEM, "out of memory");
    }
    DWORD got;
    BOOL ok;
    while ((ok = ReadFile(h, buf, CHUNK, &got, NULL)) && got > 0)
        ;
    if (!ok)
        rc = mb_fail(MB_EENV, "ReadFile %s: %s", path, mb_w32_strerror(GetLastError()));
    free(buf);
    CloseHandle(h);
    return rc;
}

int mb_cache_resident(const char *path, uint64_t *resident, uint64_t *total)
{
    (void)path, (void)resident, (void)total;
    if (!mb_w32_uncached_reads_work())
        return mb_fail(MB_EUNSUPPORTED,
                       "Windows cannot report which pages of a file are cached (no mincore), and "
                       "Wine ignores FILE_FLAG_NO_BUFFERING (no O_DIRECT), so no read here is "
                       "known to miss the cache");
    return mb_fail(MB_EUNSUPPORTED,
                   "Windows cannot report which pages of a file are cached (no mincore), and "
                   "emptying the standby list needs a privilege mmbench does not ask for; only "
                   "ReadFile reads cold, with FILE_FLAG_NO_BUFFERING");
}
