/* Growing a mapped file on POSIX: the size is set with ftruncate, a view
 * is a MAP_SHARED mmap of the file's start, and on Linux mremap resizes it
 * (MREMAP_MAYMOVE needs _GNU_SOURCE, which the build defines). A mapping
 * never changes the file's size here. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/growth.h"
#include "posix.h"

const char *mb_growth_remap_unsupported(void)
{
#if defined(__linux__) && defined(MREMAP_MAYMOVE)
    return NULL;
#else
    return "mremap is Linux-only: this system cannot resize a mapping in place";
#endif
}

const char *mb_growth_fault_name(void)
{
    return "SIGBUS";
}

int mb_growth_open(struct mb_growth_file *g, const char *path)
{
    memset(g, 0, sizeof *g);
    g->section = -1;
    g->fd = open(path, O_RDWR | O_CLOEXEC);
    if (g->fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    return 0;
}

int mb_growth_set_size(struct mb_growth_file *g, uint64_t size)
{
    if (ftruncate((int)g->fd, (off_t)size) != 0)
        return mb_fail(MB_EENV, "ftruncate to %llu bytes: %s", (unsigned long long)size,
                       strerror(errno));
    return 0;
}

int mb_growth_map(struct mb_growth_file *g, size_t len, bool grow)
{
    int rc = mb_growth_unmap(g);
    struct stat st;
    if (!rc && grow && fstat((int)g->fd, &st) != 0)
        rc = mb_fail(MB_EENV, "fstat: %s", strerror(errno));
    if (!rc && grow && (uint64_t)st.st_size < len)
        rc = mb_growth_set_size(g, len);
    if (rc)
        return rc;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, (int)g->fd, 0);
    if (p == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap (%zu bytes, shared): %s", len, strerror(errno));
    g->view = p;
    g->view_len = len;
    return 0;
}

int mb_growth_remap(struct mb_growth_file *g, size_t len)
{
#if defined(__linux__) && defined(MREMAP_MAYMOVE)
    int rc = mb_growth_set_size(g, len);
    if (rc)
        return rc;
    void *p = mremap(g->view, g->view_len, len, MREMAP_MAYMOVE);
    if (p == MAP_FAILED)
        return mb_fail(MB_EENV, "mremap from %zu to %zu bytes: %s", g->view_len, len,
                       strerror(errno));
    g->view = p;
    g->view_len = len;
    return 0;
#else
    (void)g, (void)len;
    return mb_fail(MB_EUNSUPPORTED, "%s", mb_growth_remap_unsupported());
#endif
}

int mb_growth_unmap(struct mb_growth_file *g)
{
    int rc = g->view && munmap(g->view, g->view_len) != 0 ? -1 : 0;
    int err = errno;
    g->view = NULL;
    g->view_len = 0;
    return rc ? mb_fail(MB_EENV, "munmap: %s", strerror(err)) : 0;
}

int mb_growth_append(struct mb_growth_file *g, const void *buf, size_t len)
{
    uint64_t end;
    int rc = mb_growth_size(g, &end);
    return rc ? rc : mb_px_pwrite_full((int)g->fd, buf, len, end);
}

int mb_growth_size(const struct mb_growth_file *g, uint64_t *size)
{
    struct stat st;
    if (fstat((int)g->fd, &st) != 0)
        return mb_fail(MB_EENV, "fstat: %s", strerror(errno));
    *size = (uint64_t)st.st_size;
    return 0;
}

int mb_growth_read(const struct mb_growth_file *g, uint64_t off, void *buf, size_t len)
{
    return mb_px_pread_full((int)g->fd, buf, len, off);
}

void mb_growth_close(struct mb_growth_file *g)
{
    (void)mb_growth_unmap(g);
    if (g->fd >= 0)
        close((int)g->fd);
    g->fd = -1;
}
