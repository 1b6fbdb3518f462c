/* Shared by the descriptor-based POSIX methods. */
#ifndef MMBENCH_FD_COMMON_H
#define MMBENCH_FD_COMMON_H

#include "mmbench/method.h"

/* Opens t->path read-only and, when t->readahead_off, advises
 * POSIX_FADV_RANDOM so the kernel reads only what is asked. Returns 0 and *fd,
 * or MB_EENV. */
int mb_posix_open_ro(const struct mb_target *t, int *fd);

#endif
