/* Shared by the descriptor-based POSIX methods. */
#ifndef MMBENCH_FD_COMMON_H
#define MMBENCH_FD_COMMON_H

#include <stdint.h>

#include "mmbench/method.h"

/* Opens t->path read-only and, when t->readahead_off, advises
 * POSIX_FADV_RANDOM so the kernel reads only what is asked. Returns 0 and *fd,
 * or MB_EENV. */
int mb_posix_open_ro(const struct mb_target *t, int *fd);

/* The state of read and pread between open and close. */
struct mb_fd_reader {
    int fd;
    uint64_t pos;             /* the file offset (read: lseek only when a record is not next) */
};

/* Opens the file into a new struct mb_fd_reader in t->priv. Returns 0,
 * MB_EENV or MB_ENOMEM. */
int mb_fd_open(struct mb_target *t);

/* Closes and frees what mb_fd_open made; safe when it made nothing.
 * Returns 0 or MB_EENV. */
int mb_fd_close(struct mb_target *t);

#endif
