/* Files for the flush suite on Windows, the Win32 twins of its POSIX
 * calls: a read-write view (CreateFileMapping + MapViewOfFile), msync as
 * FlushViewOfFile (+ FlushFileBuffers to wait for the device), munmap as
 * UnmapViewOfFile, close as CloseHandle, fdatasync as FlushFileBuffers,
 * pwrite as WriteFile at an OVERLAPPED offset, O_DIRECT reads as
 * FILE_FLAG_NO_BUFFERING. Windows has no per-file or system-wide count of
 * dirty or writeback pages: those figures are unsupported, never 0. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

#define CLOSED ((intptr_t)-1)

const char *mb_flush_unsupported(void)
{
    return NULL;
}

static HANDLE h_of(intptr_t fd)
{
    return (HANDLE)fd;
}

int mb_flush_open(struct mb_flush_file *f, const char *path, size_t len)
{
    f->view = NULL;
    f->len = len;
    f->fd = f->fd2 = CLOSED;
    HANDLE a, b;
    int rc = mb_w32_open(path, MB_W32_OPEN_WRITE, &a);
    if (rc)
        return rc;
    if ((rc = mb_w32_open(path, MB_W32_OPEN_WRITE, &b)) != 0) {
        CloseHandle(a);
        return rc;
    }
    f->fd = (intptr_t)a;
    f->fd2 = (intptr_t)b;
    return 0;
}

int mb_flush_map(struct mb_flush_file *f)
{
    uint64_t len = f->len;
    HANDLE sec = CreateFileMappingA(h_of(f->fd), NULL, PAGE_READWRITE, (DWORD)(len >> 32),
                                    (DWORD)len, NULL);
    if (!sec)
        return mb_fail(MB_EENV, "CreateFileMapping (%zu bytes, read-write): %s", f->len,
                       mb_w32_strerror(GetLastError()));
    void *p = MapViewOfFile(sec, FILE_MAP_WRITE, 0, 0, f->len);
    DWORD err = GetLastError();
    CloseHandle(sec); /* the view holds the section */
    if (!p)
        return mb_fail(MB_EENV, "MapViewOfFile (%zu bytes, read-write): %s", f->len,
                       mb_w32_strerror(err));
    f->view = p;
    return 0;
}

int mb_flush_msync(const struct mb_flush_file *f, size_t off, size_t len, bool wait)
{
    /* FlushViewOfFile writes the dirty pages to the file; the device may
     * still cache them until FlushFileBuffers, the wait MS_SYNC promises.
     * Windows has no call that only schedules the writes (MS_ASYNC): the
     * no-wait twin is FlushViewOfFile alone. */
    if (!FlushViewOfFile(f->view + off, len))
        return mb_fail(MB_EENV, "FlushViewOfFile of %zu bytes at %zu: %s", len, off,
                       mb_w32_strerror(GetLastError()));
    if (wait && !FlushFileBuffers(h_of(f->fd)))
        return mb_fail(MB_EENV, "FlushFileBuffers: %s", mb_w32_strerror(GetLastError()));
    return 0;
}

int mb_flush_unmap(struct mb_flush_file *f)
{
    BOOL ok = !f->view || UnmapViewOfFile(f->view);
    DWORD err = GetLastError();
    f->view = NULL;
    return ok ? 0 : mb_fail(MB_EENV, "UnmapViewOfFile: %s", mb_w32_strerror(err));
}

int mb_flush_close_fd(struct mb_flush_file *f)
{
    BOOL ok = f->fd == CLOSED || CloseHandle(h_of(f->fd));
    DWORD err = GetLastError();
    f->fd = CLOSED;
    return ok ? 0 : mb_fail(MB_EENV, "CloseHandle: %s", mb_w32_strerror(err));
}

int mb_flush_datasync(const struct mb_flush_file *f)
{
    if (!FlushFileBuffers(h_of(f->fd2)))
        return mb_fail(MB_EENV, "FlushFileBuffers: %s", mb_w32_strerror(GetLastError()));
    return 0;
}

int mb_flush_pwrite(const struct mb_flush_file *f, const void *buf, size_t len, uint64_t off)
{
    const uint8_t *p = buf;
    while (len > 0) {
        DWORD want = len > (1u << 30) ? (1u << 30) : (DWORD)len, done = 0;
        OVERLAPPED ov = {.Offset = (DWORD)off, .OffsetHigh = (DWORD)(off >> 32)};
        BOOL ok = WriteFile(h_of(f->fd2), p, want, &done, &ov);
        if (!ok || done == 0)
            return mb_fail(MB_EENV, "WriteFile of %zu bytes at %llu: %s", len,
                           (unsigned long long)off,
                           ok ? "wrote nothing" : mb_w32_strerror(GetLastError()));
        p += done;
        len -= done;
        off += done;
    }
    return 0;
}

void mb_flush_close(struct mb_flush_file *f)
{
    if (f->view)
        UnmapViewOfFile(f->view);
    if (f->fd != CLOSED)
        CloseHandle(h_of(f->fd));
    if (f->fd2 != CLOSED)
        CloseHandle(h_of(f->fd2));
    f->view = NULL;
    f->fd = f->fd2 = CLOSED;
}

int mb_flush_file_dirty(const char *path, uint64_t *dirty, uint64_t *writeback)
{
    (void)path, (void)dirty, (void)writeback;
    return mb_fail(MB_EUNSUPPORTED, "Windows has no count of a file's dirty or writeback "
                                    "cached pages (no cachestat)");
}

int mb_flush_meminfo(uint64_t *dirty, uint64_t *writeback)
{
    (void)dirty, (void)writeback;
    return mb_fail(MB_EUNSUPPORTED, "Windows has no system-wide dirty and writeback page counts "
                                    "in its API (no /proc/meminfo)");
}

/* Reads len bytes at off through h into dst, by way of an aligned buffer
 * that FILE_FLAG_NO_BUFFERING accepts. */
static int read_at(HANDLE h, const char *path, uint64_t off, size_t len, uint8_t *dst)
{
    enum { CHUNK = 1 << 20 };
    uint8_t *buf = VirtualAlloc(NULL, CHUNK, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (!buf)
        return mb_fail(MB_ENOMEM, "VirtualAlloc: %s", mb_w32_strerror(GetLastError()));
    int rc = 0;
    for (size_t done = 0; !rc && done < len;) {
        uint64_t at = off + done;
        DWORD want = len - done < CHUNK ? (DWORD)(len - done) : CHUNK, got = 0;
        OVERLAPPED ov = {.Offset = (DWORD)at, .OffsetHigh = (DWORD)(at >> 32)};
        BOOL ok = ReadFile(h, buf, want, &got, &ov);
        if (!ok || got == 0)
            rc = mb_fail(MB_EENV, "reading %s back at %llu: %s", path, (unsigned long long)at,
                         ok ? "end of file" : mb_w32_strerror(GetLastError()));
        else
            memcpy(dst + done, buf, got), done += got;
    }
    VirtualFree(buf, 0, MEM_RELEASE);
    return rc;
}

bool mb_flush_direct_ok(const char *path)
{
    /* Wine opens such a file cached: its reads would not reach storage. */
    if (!mb_w32_uncached_reads_work())
        return false;
    HANDLE h;
    if (mb_w32_open(path, MB_W32_OPEN_UNCACHED, &h) != 0)
        return false;
    uint8_t page[4096];
    bool ok = read_at(h, path, 0, mb_page_size() < sizeof page ? mb_page_size() : sizeof page,
                      page) == 0;
    CloseHandle(h);
    mb_clear_error();
    return ok;
}

int mb_flush_read_back(const char *path, uint64_t off, size_t len, uint8_t *dst, bool direct)
{
    HANDLE h;
    int rc = mb_w32_open(path, direct ? MB_W32_OPEN_UNCACHED : 0, &h);
    if (rc)
        return rc;
    rc = read_at(h, path, off, len, dst);
    CloseHandle(h);
    return rc;
}

int mb_flush_durable_fs(const char *dir)
{
    char root[MAX_PATH];
    if (!GetVolumePathNameA(dir, root, sizeof root))
        return mb_fail(MB_EENV, "GetVolumePathName %s: %s", dir, mb_w32_strerror(GetLastError()));
    if (GetDriveTypeA(root) == DRIVE_RAMDISK)
        return mb_fail(MB_EUNSUPPORTED, "%s is on a RAM disk: nothing written there is ever "
                                        "durable; give --dir on a disk", dir);
    return 0;
}
