/* io_uring is Linux's; Windows has I/O rings (ioringapi.h) since 11, which
 * mmbench does not drive yet, so each call says so. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static const char why[] = "io_uring is a Linux interface (Windows I/O rings are not driven yet)";

int mb_uring_init(struct mb_uring *u, unsigned depth)
{
    (void)depth;
    memset(u, 0, sizeof *u);
    return mb_fail(MB_EUNSUPPORTED, "unsupported here: %s", why);
}

void mb_uring_exit(struct mb_uring *u)
{
    memset(u, 0, sizeof *u);
}

int mb_uring_read_file(struct mb_uring *u, const struct mb_uring_pass *ps)
{
    (void)u, (void)ps;
    return mb_fail(MB_EUNSUPPORTED, "unsupported here: %s", why);
}

const char *mb_uring_unsupported(void)
{
    return why;
}
