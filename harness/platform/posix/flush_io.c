/* Files for the flush suite: a shared read-write view and a second
 * descriptor, msync / munmap / close / fdatasync / pwrite as separate
 * calls, the page-cache state of one file (cachestat) and of the machine
 * (/proc/meminfo), reads around the page cache (O_DIRECT), and the kind of
 * the scratch filesystem (statfs). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "posix.h"

#ifndef __NR_cachestat
#define __NR_cachestat 451 /* the same number on every architecture (Linux 6.5) */
#endif
#define TMPFS_MAGIC_ 0x01021994
#define RAMFS_MAGIC_ 0x858458f6

const char *mb_flush_unsupported(void)
{
    return NULL;
}

int mb_flush_open(struct mb_flush_file *f, const char *path, size_t len)
{
    f->view = NULL;
    f->len = len;
    f->fd = open(path, O_RDWR | O_CLOEXEC);
    f->fd2 = f->fd < 0 ? -1 : open(path, O_RDWR | O_CLOEXEC);
    if (f->fd2 < 0) {
        int err = errno;
        mb_flush_close(f);
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(err));
    }
    return 0;
}

int mb_flush_map(struct mb_flush_file *f)
{
    void *p = mmap(NULL, f->len, PROT_READ | PROT_WRITE, MAP_SHARED, (int)f->fd, 0);
    if (p == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap (%zu bytes, shared): %s", f->len, strerror(errno));
    f->view = p;
    return 0;
}

int mb_flush_msync(const struct mb_flush_file *f, size_t off, size_t len, bool wait)
{
    if (msync(f->view + off, len, wait ? MS_SYNC : MS_ASYNC) != 0)
        return mb_fail(MB_EENV, "msync(%s) of %zu bytes at %zu: %s", wait ? "MS_SYNC" : "MS_ASYNC",
                       len, off, strerror(errno));
    return 0;
}

int mb_flush_unmap(struct mb_flush_file *f)
{
    int rc = f->view && munmap(f->view, f->len) != 0 ? -1 : 0;
    int err = errno;
    f->view = NULL;
    return rc ? mb_fail(MB_EENV, "munmap: %s", strerror(err)) : 0;
}

int mb_flush_close_fd(struct mb_flush_file *f)
{
    int rc = f->fd >= 0 && close((int)f->fd) != 0 ? -1 : 0;
    int err = errno;
    f->fd = -1;
    return rc ? mb_fail(MB_EENV, "close: %s", strerror(err)) : 0;
}

int mb_flush_datasync(const struct mb_flush_file *f)
{
    if (fdatasync((int)f->fd2) != 0)
        return mb_fail(MB_EENV, "fdatasync: %s", strerror(errno));
    return 0;
}

int mb_flush_pwrite(const struct mb_flush_file *f, const void *buf, size_t len, uint64_t off)
{
    return mb_px_pwrite_full((int)f->fd2, buf, len, off);
}

void mb_flush_close(struct mb_flush_file *f)
{
    if (f->view)
        munmap(f->view, f->len);
    if (f->fd >= 0)
        close((int)f->fd);
    if (f->fd2 >= 0)
        close((int)f->fd2);
    f->view = NULL;
    f->fd = f->fd2 = -1;
}

/* struct cachestat_range and struct cachestat of <linux/mman.h> (Linux
 * 6.5), spelled out so that older headers build. */
struct cs_range {
    uint64_t off, len;
};
struct cs_stat {
    uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

int mb_flush_file_dirty(const char *path, uint64_t *dirty, uint64_t *writeback)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    struct cs_range r = {0, 0}; /* len 0: to the end of the file */
    struct cs_stat cs;
    long rc = syscall(__NR_cachestat, fd, &r, &cs, 0);
    int err = errno;
    close(fd);
    if (rc != 0 && err == ENOSYS)
        return mb_fail(MB_EUNSUPPORTED, "cachestat(2) needs Linux 6.5 or later");
    if (rc != 0)
        return mb_fail(MB_EENV, "cachestat %s: %s", path, strerror(err));
    *dirty = cs.nr_dirty;
    *writeback = cs.nr_writeback;
    return 0;
}

int mb_flush_meminfo(uint64_t *dirty, uint64_t *writeback)
{
    FILE *fp = fopen("/proc/meminfo", "re");
    if (!fp)
        return mb_fail(MB_EUNSUPPORTED, "/proc/meminfo: %s", strerror(errno));
    char line[128];
    unsigned long long kb;
    int found = 0;
    while (fgets(line, sizeof line, fp)) {
        if (sscanf(line, "Dirty: %llu kB", &kb) == 1 && (found |= 1))
            *dirty = kb * 1024 / mb_page_size();
        else if (sscanf(line, "Writeback: %llu kB", &kb) == 1 && (found |= 2))
            *writeback = kb * 1024 / mb_page_size();
    }
    fclose(fp);
    return found == 3 ? 0 : mb_fail(MB_EENV, "/proc/meminfo lacks Dirty or Writeback");
}

bool mb_flush_direct_ok(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0)
        return false;
    size_t page = mb_page_size();
    void *buf = NULL;
    bool ok = posix_memalign(&buf, page, page) == 0 && pread(fd, buf, page, 0) >= 0;
    free(buf);
    close(fd);
    return ok;
}

int mb_flush_read_back(const char *path, uint64_t off, size_t len, uint8_t *dst, bool direct)
{
    enum { CHUNK = 1 << 20 };
    int fd = open(path, O_RDONLY | O_CLOEXEC | (direct ? O_DIRECT : 0));
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s%s: %s", path, direct ? " (O_DIRECT)" : "",
                       strerror(errno));
    /* O_DIRECT wants a buffer aligned like the device's blocks: a page is. */
    void *buf = NULL;
    if (posix_memalign(&buf, mb_page_size(), CHUNK) != 0) {
        close(fd);
        return mb_fail(MB_ENOMEM, "out of memory");
    }
    int rc = 0;
    for (size_t done = 0; !rc && done < len;) {
        size_t want = len - done < CHUNK ? len - done : CHUNK;
        ssize_t n = pread(fd, buf, want, (off_t)(off + done));
        if (n <= 0)
            rc = mb_fail(MB_EENV, "reading %s back at %llu: %s", path,
                         (unsigned long long)(off + done), n < 0 ? strerror(errno) : "end of file");
        else
            memcpy(dst + done, buf, (size_t)n), done += (size_t)n;
    }
    free(buf);
    close(fd);
    return rc;
}

int mb_flush_durable_fs(const char *dir)
{
    struct statfs sf;
    if (statfs(dir, &sf) != 0)
        return mb_fail(MB_EENV, "statfs %s: %s", dir, strerror(errno));
    if ((unsigned long)sf.f_type == TMPFS_MAGIC_ || (unsigned long)sf.f_type == RAMFS_MAGIC_)
        return mb_fail(MB_EUNSUPPORTED, "%s is on a memory filesystem (tmpfs/ramfs): nothing "
                                        "written there is ever durable; give --dir on a disk",
                       dir);
    return 0;
}
