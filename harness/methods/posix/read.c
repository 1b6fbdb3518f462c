/* read: one read() per record on a plain descriptor, lseek only when the
 * next record is not where the file offset stands (random order). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fd_common.h"
#include "mmbench/error.h"

static int read_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    struct mb_fd_reader *r = t->priv;
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

const struct mb_method mb_method_read = {
    .name = "read",
    .help = "one read() system call per record (lseek only out of order)",
    .open = mb_fd_open,
    .access = read_access,
    .close = mb_fd_close,
};
