/* pread: one pread() per record, offset given explicitly, no seeking. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fd_common.h"
#include "mmbench/error.h"

static int pread_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    const struct mb_fd_reader *r = t->priv;
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(r->fd, (char *)dst + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return mb_fail(MB_EENV, "pread at %llu: %s", (unsigned long long)(off + done),
                           n == 0 ? "unexpected end of file" : strerror(errno));
        done += (size_t)n;
    }
    return 0;
}

const struct mb_method mb_method_pread = {
    .name = "pread",
    .help = "one pread() system call per record at an explicit offset",
    .open = mb_fd_open,
    .access = pread_access,
    .close = mb_fd_close,
};
