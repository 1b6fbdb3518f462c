/* Files for the flush suite on Windows: the Win32 twins (FlushViewOfFile +
 * FlushFileBuffers, UnmapViewOfFile, WriteFile + FlushFileBuffers) are not
 * written yet, so every function says so and the suite reports itself
 * unsupported here instead of timing something else. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static const char why[] =
    "the flush suite is POSIX-only for now: its Win32 twins (FlushViewOfFile + "
    "FlushFileBuffers, UnmapViewOfFile, WriteFile + FlushFileBuffers) are not written yet";

const char *mb_flush_unsupported(void)
{
    return why;
}

int mb_flush_open(struct mb_flush_file *f, const char *path, size_t len)
{
    (void)path;
    memset(f, 0, sizeof *f);
    f->fd = f->fd2 = -1;
    f->len = len;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_flush_map(struct mb_flush_file *f)
{
    (void)f;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_flush_msync(const struct mb_flush_file *f, size_t off, size_t len, bool wait)
{
    (void)f, (void)off, (void)len, (void)wait;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_flush_unmap(struct mb_flush_file *f)
{
    f->view = NULL;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_flush_close_fd(struct mb_flush_file *f)
{
    f->fd = -1;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_flush_datasync(const struct mb_flush_file *f)
{
    (void)f;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_flush_pwrite(const struct mb_flush_file *f, const void *buf, size_t len, uint64_t off)
{
    (void)f, (void)buf, (void)len, (void)off;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

void mb_flush_close(struct mb_flush_file *f)
{
    f->view = NULL;
    f->fd = f->fd2 = -1;
}

int mb_flush_file_dirty(const char *path, uint64_t *dirty, uint64_t *writeback)
{
    (void)path, (void)dirty, (void)writeback;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_flush_meminfo(uint64_t *dirty, uint64_t *writeback)
{
    (void)dirty, (void)writeback;
    return mb_fail(MB_EUNSUPPORTED, "Windows has no /proc/meminfo");
}

bool mb_flush_direct_ok(const char *path)
{
    (void)path;
    return false;
}

int mb_flush_read_back(const char *path, uint64_t off, size_t len, uint8_t *dst, bool direct)
{
    (void)path, (void)off, (void)len, (void)dst, (void)direct;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_flush_space(const char *dir, uint64_t *avail)
{
    (void)dir, (void)avail;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_flush_durable_fs(const char *dir)
{
    (void)dir;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}
