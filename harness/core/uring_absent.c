/* The io_uring calls of a build that has no io_uring (Windows; Linux without
 * liburing): each one fails as unsupported with the reason CMake gave in
 * MB_URING_ABSENT, so the io_uring cases say why and the rest runs. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

#ifndef MB_URING_ABSENT
#define MB_URING_ABSENT "this build has no io_uring"
#endif

int mb_uring_init(struct mb_uring *u, unsigned depth)
{
    (void)depth;
    memset(u, 0, sizeof *u);
    return mb_fail(MB_EUNSUPPORTED, "%s", MB_URING_ABSENT);
}

void mb_uring_exit(struct mb_uring *u)
{
    memset(u, 0, sizeof *u);
}

int mb_uring_read_file(struct mb_uring *u, const struct mb_uring_pass *ps)
{
    (void)u, (void)ps;
    return mb_fail(MB_EUNSUPPORTED, "%s", MB_URING_ABSENT);
}

const char *mb_uring_unsupported(void)
{
    return MB_URING_ABSENT;
}
