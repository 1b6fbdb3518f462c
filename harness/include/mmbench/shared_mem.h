/* Zeroed memory that this process shares with its worker processes
 * (mb_workers_start): MAP_SHARED | MAP_ANONYMOUS on POSIX, which a fork
 * inherits; on Windows a paging-file section whose inheritable handle the
 * re-launched workers inherit and map by its value (mb_shared_mem_attach). */
#ifndef MMBENCH_SHARED_MEM_H
#define MMBENCH_SHARED_MEM_H

#include <stddef.h>
#include <stdint.h>

struct mb_shared_mem {
    void *base;                 /* NULL when not mapped */
    size_t len;
    intptr_t handle;            /* the section (Windows); -1 on POSIX */
};

/* Creates `len` bytes of zeroed shared memory in *s. Returns 0 or
 * MB_ENOMEM; on failure s->base is NULL. */
int mb_shared_mem_create(struct mb_shared_mem *s, size_t len);

/* In a worker started afresh (Windows), maps the inherited section
 * `handle` of `len` bytes into *s. Returns 0, MB_EUSAGE (not such a
 * section) or MB_EUNSUPPORTED (POSIX: workers are forked and inherit the
 * memory). */
int mb_shared_mem_attach(struct mb_shared_mem *s, intptr_t handle, size_t len);

/* Unmaps and closes; safe on a zeroed *s, on one that failed, and twice. */
void mb_shared_mem_release(struct mb_shared_mem *s);

#endif
