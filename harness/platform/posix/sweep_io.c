/* File access for the sweep suite: read(2), pread(2), stdio and O_DIRECT
 * reads at an offset, read-only mappings with one madvise hint or
 * MAP_POPULATE, and page-aligned buffers. */
/* O_DIRECT and MAP_POPULATE need _GNU_SOURCE, which the build defines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

const char *mb_file_io_unsupported(void)
{
    return NULL;
}

/* open(2) flags of each kind: O_DIRECT reads around the page cache. */
static int open_flags(enum mb_io_kind kind)
{
    return O_RDONLY | (kind == MB_IO_DIRECT ? O_DIRECT : 0);
}

int mb_file_io_open(struct mb_file_io *io, const char *path, enum mb_io_kind kind)
{
    memset(io, 0, sizeof *io);
    io->fd = -1;
    io->kind = kind;
    if (kind == MB_IO_FREAD) {
        FILE *fp = fopen(path, "rb");
        if (!fp)
            return mb_fail(MB_EENV, "fopen %s: %s", path, strerror(errno));
        io->fp = fp;
        return 0;
    }
    io->fd = open(path, open_flags(kind));
    if (io->fd >= 0)
        return 0;
    /* tmpfs (and some FUSE filesystems) refuse O_DIRECT at open. */
    if (kind == MB_IO_DIRECT && errno == EINVAL)
        return mb_fail(MB_EUNSUPPORTED,
                       "the filesystem holding %s refuses O_DIRECT", path);
    return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
}

/* One read(2) or pread(2) of at most len bytes; returns bytes or -1. */
static ssize_t read_once(struct mb_file_io *io, uint64_t off, uint8_t *dst, size_t len)
{
    if (io->kind == MB_IO_READ)
        return read(io->fd, dst, len);
    return pread(io->fd, dst, len, (off_t)off);
}

/* Reads all len bytes with the descriptor's kind of call. */
static int fd_read(struct mb_file_io *io, uint64_t off, uint8_t *dst, size_t len)
{
    if (io->kind == MB_IO_READ && io->pos != off) {
        if (lseek(io->fd, (off_t)off, SEEK_SET) < 0)
            return mb_fail(MB_EENV, "lseek to %llu: %s", (unsigned long long)off,
                           strerror(errno));
        io->pos = off;
    }
    for (size_t done = 0; done < len;) {
        ssize_t n = read_once(io, off + done, dst + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && io->kind == MB_IO_DIRECT && errno == EINVAL)
            return mb_fail(MB_EUNSUPPORTED, "O_DIRECT read refused (%s)",
                           strerror(errno));
        if (n <= 0)
            return mb_fail(MB_EENV, "read at %llu: %s", (unsigned long long)(off + done),
                           n < 0 ? strerror(errno) : "unexpected end of file");
        done += (size_t)n;
        io->pos = off + done;
    }
    return 0;
}

int mb_file_io_read(struct mb_file_io *io, uint64_t off, void *dst, size_t len)
{
    if (io->kind != MB_IO_FREAD)
        return fd_read(io, off, dst, len);
    FILE *fp = io->fp;
    if (io->pos != off && fseeko(fp, (off_t)off, SEEK_SET) != 0)
        return mb_fail(MB_EENV, "fseek to %llu: %s", (unsigned long long)off, strerror(errno));
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
        close(io->fd);
    io->fp = NULL;
    io->fd = -1;
}

/* The madvise advice of a hint; -1 for none. */
static int hint_advice(enum mb_map_hint h)
{
    switch (h) {
    case MB_MAP_SEQUENTIAL:
        return MADV_SEQUENTIAL;
    case MB_MAP_RANDOM:
        return MADV_RANDOM;
    case MB_MAP_WILLNEED:
        return MADV_WILLNEED;
    default:
        return -1;
    }
}

int mb_file_map(struct mb_region *r, const char *path, size_t len, enum mb_map_hint h)
{
    memset(r, 0, sizeof *r);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    int flags = MAP_SHARED | (h == MB_MAP_POPULATE ? MAP_POPULATE : 0);
    void *p = mmap(NULL, len, PROT_READ, flags, fd, 0);
    int err = errno;
    close(fd);
    if (p == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap %s (%zu bytes): %s", path, len, strerror(err));
    r->map = r->base = p;
    r->map_len = r->len = len;
    int adv = hint_advice(h);
    if (adv >= 0 && madvise(p, len, adv) != 0) {
        err = errno;
        mb_region_unmap(r);
        return mb_fail(MB_EENV, "madvise: %s", strerror(err));
    }
    return 0;
}

void *mb_aligned_alloc(size_t align, size_t len)
{
    void *p = NULL;
    if (posix_memalign(&p, align, len ? len : align) != 0)
        return NULL;
    return p;
}

void mb_aligned_free(void *p)
{
    free(p);
}
