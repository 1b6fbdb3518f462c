/* File access for the sweep suite: its Win32 twins (ReadFile with and
 * without FILE_FLAG_NO_BUFFERING, MapViewOfFile with PrefetchVirtualMemory)
 * are not written yet, so each call says so. */
#include <stdlib.h>
#include <string.h>

#include <malloc.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static const char why[] = "the sweep suite's read/pread/fread/O_DIRECT/madvise methods are POSIX "
                          "calls; their Win32 twins (ReadFile, MapViewOfFile) are not written yet";

const char *mb_file_io_unsupported(void)
{
    return why;
}

int mb_file_io_open(struct mb_file_io *io, const char *path, enum mb_io_kind kind)
{
    (void)path;
    memset(io, 0, sizeof *io);
    io->fd = -1;
    io->kind = kind;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_file_io_read(struct mb_file_io *io, uint64_t off, void *dst, size_t len)
{
    (void)io, (void)off, (void)dst, (void)len;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

void mb_file_io_close(struct mb_file_io *io)
{
    io->fd = -1;
}

int mb_file_map(struct mb_region *r, const char *path, size_t len, enum mb_map_hint h)
{
    (void)path, (void)len, (void)h;
    memset(r, 0, sizeof *r);
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

void *mb_aligned_alloc(size_t align, size_t len)
{
    return _aligned_malloc(len ? len : align, align);
}

void mb_aligned_free(void *p)
{
    _aligned_free(p);
}
