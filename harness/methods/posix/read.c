/* read: one read() per record on a plain descriptor, lseek only when the
 * next record is not where the file offset stands (random order). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "fd_common.h"

struct reader {
    int fd;
    uint64_t pos;
};

static int read_open(struct mb_target *t)
{
    struct reader *r = calloc(1, sizeof *r);
    if (!r)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = mb_posix_open_ro(t, &r->fd);
    if (rc) {
        free(r);
        return rc;
    }
    t->priv = r;
    return 0;
}

static int read_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    struct reader *r = t->priv;
    if (r->pos != off && lseek(r->fd, (off_t)off, SEEK_SET) < 0)
        return mb_fail(MB_EENV, "lseek: %s", strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t n = read(r->fd, (char *)dst + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return mb_fail(MB_EENV, "read at %llu: %s", (unsigned long long)(off + done),
                           n == 0 ? "unexpected end of file" : strerror(errno));
        done += (size_t)n;
    }
    r->pos = off + len;
    return 0;
}

static int read_close(struct mb_target *t)
{
    struct reader *r = t->priv;
    int rc = 0;
    if (r) {
        if (close(r->fd) != 0)
            rc = mb_fail(MB_EENV, "close: %s", strerror(errno));
        free(r);
        t->priv = NULL;
    }
    return rc;
}

const struct mb_method mb_method_read = {
    .name = "read",
    .help = "one read() system call per record (lseek only out of order)",
    .flags = MB_M_SYSCALL,
    .open = read_open,
    .access = read_access,
    .close = read_close,
};
