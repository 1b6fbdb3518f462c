/* mmap: map the whole file once per pass (MAP_SHARED, read-only) and copy
 * each record out of the mapping; pages arrive through page faults. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "mmbench/platform.h"
#include "fd_common.h"

struct view {
    void *addr;
    size_t len;
};

static int mmap_open(struct mb_target *t)
{
    struct view *v = calloc(1, sizeof *v);
    if (!v)
        return mb_fail(MB_ENOMEM, "out of memory");
    int fd;
    int rc = mb_posix_open_ro(t, &fd);
    if (rc) {
        free(v);
        return rc;
    }
    v->len = (size_t)t->file_size;
    v->addr = mmap(NULL, v->len, PROT_READ, MAP_SHARED, fd, 0);
    int err = errno;
    /* The mapping keeps the file referenced; the descriptor is not needed. */
    close(fd);
    if (v->addr == MAP_FAILED) {
        free(v);
        return mb_fail(MB_EENV, "mmap %s: %s", t->path, strerror(err));
    }
    /* Readahead off for a mapping means MADV_RANDOM: each fault reads one
     * page (fault-around still maps neighbours already in the cache). */
    if (t->readahead_off && madvise(v->addr, v->len, MADV_RANDOM) != 0) {
        err = errno;
        munmap(v->addr, v->len);
        free(v);
        return mb_fail(MB_EENV, "madvise(MADV_RANDOM): %s", strerror(err));
    }
    mb_guard_watch(v->addr, v->len);
    t->priv = v;
    return 0;
}

static int mmap_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    const struct view *v = t->priv;
    return mb_copy_span(dst, v->addr, v->len, off, len);
}

static int mmap_pass(struct mb_target *t, const uint64_t *offs, size_t n, size_t len,
                     uint8_t *dst)
{
    const struct view *v = t->priv;
    return mb_copy_records(dst, v->addr, v->len, t->file_size, offs, n, len);
}

static int mmap_close(struct mb_target *t)
{
    struct view *v = t->priv;
    int rc = 0;
    if (v) {
        mb_guard_watch(NULL, 0);
        if (munmap(v->addr, v->len) != 0)
            rc = mb_fail(MB_EENV, "munmap: %s", strerror(errno));
        free(v);
        t->priv = NULL;
    }
    return rc;
}

const struct mb_method mb_method_mmap = {
    .name = "mmap",
    .help = "mmap the file once per pass (MAP_SHARED, PROT_READ) and memcpy each record out",
    .open = mmap_open,
    .access = mmap_access,
    .pass = mmap_pass,
    .close = mmap_close,
};
