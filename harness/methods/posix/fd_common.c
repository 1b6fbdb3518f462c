/* Opening and closing a file for the descriptor-based POSIX methods. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_common.h"
#include "mmbench/error.h"

int mb_posix_open_ro(const struct mb_target *t, int *fd)
{
    int d = open(t->path, O_RDONLY | O_CLOEXEC);
    if (d < 0)
        return mb_fail(MB_EENV, "open %s: %s", t->path, strerror(errno));
    if (t->readahead_off) {
        int e = posix_fadvise(d, 0, 0, POSIX_FADV_RANDOM);
        if (e) {
            close(d);
            return mb_fail(MB_EENV, "posix_fadvise(RANDOM): %s", strerror(e));
        }
    }
    *fd = d;
    return 0;
}

int mb_fd_open(struct mb_target *t)
{
    struct mb_fd_reader *r = calloc(1, sizeof *r);
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

int mb_fd_close(struct mb_target *t)
{
    struct mb_fd_reader *r = t->priv;
    int rc = 0;
    if (r) {
        if (close(r->fd) != 0)
            rc = mb_fail(MB_EENV, "close: %s", strerror(errno));
        free(r);
        t->priv = NULL;
    }
    return rc;
}
