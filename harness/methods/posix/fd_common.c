#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "fd_common.h"

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
