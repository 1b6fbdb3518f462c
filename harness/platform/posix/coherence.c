/* A file, its views and handle I/O on POSIX (coherence.h): open,
 * mmap(MAP_SHARED), pread / pwrite. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmbench/coherence.h"
#include "mmbench/error.h"
#include "posix.h"

int mb_coh_open(struct mb_coh_file *f, const char *path, size_t len)
{
    f->mapping = 0;
    f->len = len;
    f->handle = open(path, O_RDWR | O_CLOEXEC);
    if (f->handle < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    return 0;
}

int mb_coh_view(struct mb_coh_file *f, void **view)
{
    void *p = mmap(NULL, f->len, PROT_READ | PROT_WRITE, MAP_SHARED, (int)f->handle, 0);
    if (p == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap (%zu bytes, shared): %s", f->len, strerror(errno));
    *view = p;
    return 0;
}

void mb_coh_unview(struct mb_coh_file *f, void *view)
{
    if (view)
        munmap(view, f->len);
}

int mb_coh_write(struct mb_coh_file *f, const void *buf, size_t len, uint64_t off)
{
    return mb_px_pwrite_full((int)f->handle, buf, len, off);
}

/* A poll is of a whole record, never of part of one: a read cut short
 * reads on (a record torn by a concurrent write fails its check word). */
int mb_coh_read(struct mb_coh_file *f, void *buf, size_t len, uint64_t off)
{
    return mb_px_pread_full((int)f->handle, buf, len, off);
}

void mb_coh_close(struct mb_coh_file *f)
{
    if (f->handle >= 0)
        close((int)f->handle);
    f->handle = -1;
}
