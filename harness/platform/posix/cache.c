/* Cache state of one file: evict it (fdatasync + POSIX_FADV_DONTNEED, which
 * drops only clean pages with no mapping), warm it, and measure residency with
 * mincore. Other files' pages are left alone. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

int mb_cache_evict(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    int rc = 0;
    if (fdatasync(fd) != 0)
        rc = mb_fail(MB_EENV, "fdatasync %s: %s", path, strerror(errno));
    int e = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    if (!rc && e)
        rc = mb_fail(MB_EENV, "posix_fadvise(DONTNEED) %s: %s", path, strerror(e));
    close(fd);
    return rc;
}

int mb_cache_drop_all(void)
{
    sync();
    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "cannot open /proc/sys/vm/drop_caches (%s): --drop-caches needs root",
                       strerror(errno));
    ssize_t w = write(fd, "1", 1);
    int err = errno;
    close(fd);
    if (w != 1)
        return mb_fail(MB_EENV, "writing /proc/sys/vm/drop_caches: %s", strerror(err));
    return 0;
}

int mb_cache_warm(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        ;
    int err = errno;
    close(fd);
    if (n < 0)
        return mb_fail(MB_EENV, "read %s: %s", path, strerror(err));
    return 0;
}

int mb_cache_resident(const char *path, uint64_t *resident, uint64_t *total)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return mb_fail(MB_EENV, "fstat %s: %s", path, strerror(errno));
    }
    size_t page = mb_page_size();
    size_t len = (size_t)st.st_size;
    uint64_t pages = (len + page - 1) / page;
    if (len == 0) {
        close(fd);
        *resident = 0;
        *total = 0;
        return 0;
    }
    /* Mapping does not fault anything in; mincore reports the page cache. */
    void *addr = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (addr == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap for mincore %s: %s", path, strerror(errno));
    unsigned char *vec = malloc(pages);
    if (!vec) {
        munmap(addr, len);
        return mb_fail(MB_ENOMEM, "out of memory");
    }
    int rc = 0;
    if (mincore(addr, len, vec) != 0) {
        rc = mb_fail(MB_EENV, "mincore %s: %s", path, strerror(errno));
    } else {
        uint64_t r = 0;
        for (uint64_t i = 0; i < pages; i++)
            r += vec[i] & 1u;
        *resident = r;
        *total = pages;
    }
    free(vec);
    munmap(addr, len);
    return rc;
}
