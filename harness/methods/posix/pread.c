/* pread: one pread() per record, offset given explicitly, no seeking. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "fd_common.h"

static int pread_open(struct mb_target *t)
{
    int fd;
    int rc = mb_posix_open_ro(t, &fd);
    if (rc)
        return rc;
    /* The descriptor is the whole state: keep it in the pointer slot. */
    t->priv = (void *)(intptr_t)(fd + 1);
    return 0;
}

static int pread_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    int fd = (int)((intptr_t)t->priv - 1);
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, (char *)dst + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return mb_fail(MB_EENV, "pread at %llu: %s", (unsigned long long)(off + done),
                           n == 0 ? "unexpected end of file" : strerror(errno));
        done += (size_t)n;
    }
    return 0;
}

static int pread_close(struct mb_target *t)
{
    if (!t->priv)
        return 0;
    int fd = (int)((intptr_t)t->priv - 1);
    t->priv = NULL;
    if (close(fd) != 0)
        return mb_fail(MB_EENV, "close: %s", strerror(errno));
    return 0;
}

const struct mb_method mb_method_pread = {
    .name = "pread",
    .help = "one pread() system call per record at an explicit offset",
    .flags = MB_M_SYSCALL,
    .open = pread_open,
    .access = pread_access,
    .close = pread_close,
};
