/* File access for the sweep suite, the Win32 twins of its POSIX calls:
 * read(2) is ReadFile from the file pointer (SetFilePointerEx when out of
 * order), pread(2) is ReadFile with the offset in an OVERLAPPED, fread is
 * the C runtime's, and O_DIRECT is FILE_FLAG_NO_BUFFERING. A read-only
 * mapping is CreateFileMapping + MapViewOfFile; MADV_WILLNEED's twin is
 * PrefetchVirtualMemory. Hints with no Win32 twin are refused with the
 * reason, never mapped to something else under their name. */
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <malloc.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

const char *mb_file_io_unsupported(void)
{
    return NULL;
}

/* The file's HANDLE behind the C runtime descriptor that holds it. */
static HANDLE io_handle(const struct mb_file_io *io)
{
    return (HANDLE)_get_osfhandle(io->fd);
}

static int open_fread(struct mb_file_io *io, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return mb_fail(MB_EENV, "fopen %s failed", path);
    io->fp = fp;
    return 0;
}

int mb_file_io_open(struct mb_file_io *io, const char *path, enum mb_io_kind kind)
{
    memset(io, 0, sizeof *io);
    io->fd = -1;
    io->kind = kind;
    if (kind == MB_IO_FREAD)
        return open_fread(io, path);
    if (kind == MB_IO_DIRECT && !mb_w32_uncached_reads_work())
        return mb_fail(MB_EUNSUPPORTED,
                       "Wine ignores FILE_FLAG_NO_BUFFERING (it opens the file without O_DIRECT), "
                       "so these reads would come from Linux's page cache");
    HANDLE h;
    int rc = mb_w32_open(path, kind == MB_IO_DIRECT ? MB_W32_OPEN_UNCACHED : 0, &h);
    if (rc)
        return rc;
    /* The HANDLE is kept as a C runtime descriptor, the `fd` the
     * contract's struct holds; closing it closes the handle. */
    io->fd = _open_osfhandle((intptr_t)h, _O_RDONLY | _O_BINARY);
    if (io->fd < 0) {
        CloseHandle(h);
        return mb_fail(MB_EENV, "no C runtime descriptor for %s", path);
    }
    return 0;
}

/* One ReadFile of at most len bytes: at `off` (OVERLAPPED) for pread and
 * O_DIRECT, from the file pointer for read. Returns the bytes read or -1
 * with the Win32 error in *err. */
static long long read_once(struct mb_file_io *io, uint64_t off, uint8_t *dst, size_t len,
                           DWORD *err)
{
    DWORD want = len > (1u << 30) ? (1u << 30) : (DWORD)len, got = 0;
    OVERLAPPED ov = {.Offset = (DWORD)off, .OffsetHigh = (DWORD)(off >> 32)};
    BOOL ok = ReadFile(io_handle(io), dst, want, &got, io->kind == MB_IO_READ ? NULL : &ov);
    *err = ok ? 0 : GetLastError();
    if (!ok && *err == ERROR_HANDLE_EOF)
        return 0;
    return ok ? (long long)got : -1;
}

static int handle_read(struct mb_file_io *io, uint64_t off, uint8_t *dst, size_t len)
{
    if (io->kind == MB_IO_READ && io->pos != off) {
        LARGE_INTEGER to = {.QuadPart = (LONGLONG)off};
        if (!SetFilePointerEx(io_handle(io), to, NULL, FILE_BEGIN))
            return mb_fail(MB_EENV, "SetFilePointerEx to %llu: %s", (unsigned long long)off,
                           mb_w32_strerror(GetLastError()));
        io->pos = off;
    }
    for (size_t done = 0; done < len;) {
        DWORD err;
        long long n = read_once(io, off + done, dst + done, len - done, &err);
        /* FILE_FLAG_NO_BUFFERING takes only sector-aligned offsets, lengths
         * and buffers. */
        if (n < 0 && io->kind == MB_IO_DIRECT && err == ERROR_INVALID_PARAMETER)
            return mb_fail(MB_EUNSUPPORTED, "uncached ReadFile refused (%s): not aligned to "
                           "the volume's sectors", mb_w32_strerror(err));
        if (n <= 0)
            return mb_fail(MB_EENV, "ReadFile at %llu: %s", (unsigned long long)(off + done),
                           n < 0 ? mb_w32_strerror(err) : "unexpected end of file");
        done += (size_t)n;
        io->pos = off + done;
    }
    return 0;
}

int mb_file_io_read(struct mb_file_io *io, uint64_t off, void *dst, size_t len)
{
    if (io->kind != MB_IO_FREAD)
        return handle_read(io, off, dst, len);
    FILE *fp = io->fp;
    if (io->pos != off && _fseeki64(fp, (__int64)off, SEEK_SET) != 0)
        return mb_fail(MB_EENV, "fseek to %llu failed", (unsigned long long)off);
    if (fread(dst, 1, len, fp) != len)
        return mb_fail(MB_EENV, "fread of %zu bytes at %llu failed", len,
                       (unsigned long long)off);
    io->pos = off + len;
    return 0;
}

void mb_file_io_close(struct mb_file_io *io)
{
    if (io->fp)
        fclose(io->fp);
    if (io->fd >= 0)
        _close(io->fd);
    io->fp = NULL;
    io->fd = -1;
}

/* Why a hint cannot be given to a view here; NULL when it can. */
static const char *hint_unsupported(enum mb_map_hint h)
{
    switch (h) {
    case MB_MAP_SEQUENTIAL:
    case MB_MAP_RANDOM:
        return "Windows has no madvise for a view: FILE_FLAG_SEQUENTIAL_SCAN and "
               "FILE_FLAG_RANDOM_ACCESS steer the cache manager's read-ahead for ReadFile, "
               "and no documented call sets a view's fault clustering";
    case MB_MAP_POPULATE:
        return "MapViewOfFile has no MAP_POPULATE: a view's pages are mapped on first touch "
               "(PrefetchVirtualMemory, the mmap-willneed twin, only reads them ahead)";
    default:
        return NULL;
    }
}

/* WIN32_MEMORY_RANGE_ENTRY and PrefetchVirtualMemory are Windows 8's; the
 * build targets Windows 7, so the call is looked up at run time. */
struct prefetch_range {
    void *addr;
    SIZE_T len;
};
typedef BOOL(WINAPI *prefetch_fn)(HANDLE, ULONG_PTR, struct prefetch_range *, ULONG);

/* MADV_WILLNEED's twin: asks for the whole view to be read ahead. */
static int prefetch(void *base, size_t len)
{
    HMODULE k32 = GetModuleHandleA("kernel32.dll");
    FARPROC sym = k32 ? GetProcAddress(k32, "PrefetchVirtualMemory") : NULL;
    if (!sym)
        return mb_fail(MB_EUNSUPPORTED, "PrefetchVirtualMemory (MADV_WILLNEED's twin) needs "
                                        "Windows 8 or later");
    prefetch_fn fn;
    memcpy(&fn, &sym, sizeof fn); /* function pointer from FARPROC, without a cast warning */
    struct prefetch_range r = {base, len};
    if (!fn(GetCurrentProcess(), 1, &r, 0))
        return mb_fail(MB_EENV, "PrefetchVirtualMemory: %s", mb_w32_strerror(GetLastError()));
    return 0;
}

int mb_file_map(struct mb_region *r, const char *path, size_t len, enum mb_map_hint h)
{
    memset(r, 0, sizeof *r);
    const char *why = hint_unsupported(h);
    if (why)
        return mb_fail(MB_EUNSUPPORTED, "%s", why);
    struct mb_w32_map m;
    int rc = mb_w32_map_file(path, 0, len, 0, &m);
    if (rc)
        return rc;
    /* The view keeps the section, and the section the file, open: the
     * handles are not needed any more (as close(fd) after mmap). */
    void *view = m.view;
    m.view = NULL;
    mb_w32_unmap(&m);
    r->map = r->base = view;
    r->map_len = r->len = len;
    if (h == MB_MAP_WILLNEED && (rc = prefetch(view, len)) != 0)
        mb_region_unmap(r);
    return rc;
}

void *mb_aligned_alloc(size_t align, size_t len)
{
    return _aligned_malloc(len ? len : align, align);
}

void mb_aligned_free(void *p)
{
    _aligned_free(p);
}
