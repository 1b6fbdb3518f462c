/* io_uring reads for the sweep suite, through liburing: a ring of a given
 * queue depth kept for a case, and whole-file passes that keep that many
 * block reads in flight. Where the kernel, a seccomp filter or
 * kernel.io_uring_disabled refuses a ring, every call says why; a build
 * without liburing compiles harness/core/uring_absent.c instead. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

#include <liburing.h>

int mb_uring_init(struct mb_uring *u, unsigned depth)
{
    memset(u, 0, sizeof *u);
    if (depth == 0 || depth > MB_URING_MAX_DEPTH)
        return mb_fail(MB_EUSAGE, "io_uring depth %u is not within 1..%d", depth,
                       MB_URING_MAX_DEPTH);
    struct io_uring *ring = calloc(1, sizeof *ring);
    if (!ring)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = io_uring_queue_init(depth, ring, 0);
    if (rc < 0) {
        free(ring);
        /* ENOSYS: no io_uring in the kernel; EPERM: seccomp or
         * kernel.io_uring_disabled. */
        return mb_fail(MB_EUNSUPPORTED,
                       "io_uring_queue_init: %s (kernel, seccomp or "
                       "/proc/sys/kernel/io_uring_disabled)",
                       strerror(-rc));
    }
    u->ring = ring;
    u->depth = depth;
    return 0;
}

void mb_uring_exit(struct mb_uring *u)
{
    if (u->ring) {
        io_uring_queue_exit(u->ring);
        free(u->ring);
    }
    memset(u, 0, sizeof *u);
}

/* Queues the read of unit i into slot s. */
static void queue_read(struct io_uring *ring, int fd, const struct mb_uring_pass *ps, size_t i,
                       unsigned s, uint64_t *slot_off)
{
    uint64_t off = (uint64_t)(ps->order ? ps->order[i] : i) * ps->block;
    size_t len = ps->size - off < ps->block ? (size_t)(ps->size - off) : ps->block;
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    io_uring_prep_read(sqe, fd, ps->bufs + (size_t)s * ps->block, (unsigned)len, off);
    io_uring_sqe_set_data64(sqe, s);
    slot_off[s] = off;
}

/* Reaps one completion: checks it and hands its bytes to ps->done. */
static int reap(struct io_uring *ring, const struct mb_uring_pass *ps, const uint64_t *slot_off,
                unsigned *slot)
{
    struct io_uring_cqe *cqe;
    int rc = io_uring_wait_cqe(ring, &cqe);
    if (rc < 0)
        return mb_fail(MB_EENV, "io_uring_wait_cqe: %s", strerror(-rc));
    unsigned s = (unsigned)io_uring_cqe_get_data64(cqe);
    int res = cqe->res;
    io_uring_cqe_seen(ring, cqe);
    uint64_t off = slot_off[s];
    size_t len = ps->size - off < ps->block ? (size_t)(ps->size - off) : ps->block;
    if (res < 0 && res == -EINVAL && ps->direct)
        return mb_fail(MB_EUNSUPPORTED, "O_DIRECT read refused (%s)",
                       strerror(-res));
    if (res < 0 || (size_t)res != len)
        return mb_fail(MB_EENV, "io_uring read at %llu: %s", (unsigned long long)off,
                       res < 0 ? strerror(-res) : "short read");
    ps->done(ps->arg, off, ps->bufs + (size_t)s * ps->block, len);
    *slot = s;
    return 0;
}

int mb_uring_read_file(struct mb_uring *u, const struct mb_uring_pass *ps)
{
    int fd = open(ps->path, O_RDONLY | (ps->direct ? O_DIRECT : 0));
    if (fd < 0 && ps->direct && errno == EINVAL)
        return mb_fail(MB_EUNSUPPORTED,
                       "the filesystem holding %s refuses O_DIRECT", ps->path);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", ps->path, strerror(errno));
    uint64_t slot_off[MB_URING_MAX_DEPTH];
    size_t next = 0, inflight = 0;
    int rc = 0;
    for (unsigned s = 0; s < u->depth && next < ps->n; s++, next++, inflight++)
        queue_read(u->ring, fd, ps, next, s, slot_off);
    while (!rc && inflight) {
        int sub = io_uring_submit(u->ring);
        if (sub < 0) {
            rc = mb_fail(MB_EENV, "io_uring_submit: %s", strerror(-sub));
            break;
        }
        unsigned s = 0;
        if ((rc = reap(u->ring, ps, slot_off, &s)) != 0)
            break;
        inflight--;
        if (next < ps->n) {
            queue_read(u->ring, fd, ps, next++, s, slot_off);
            inflight++;
        }
    }
    /* A failed pass leaves reads in flight: drained before their buffers
     * and the descriptor go. */
    while (rc && inflight--) {
        struct io_uring_cqe *cqe;
        io_uring_submit(u->ring);
        if (io_uring_wait_cqe(u->ring, &cqe) < 0)
            break;
        io_uring_cqe_seen(u->ring, cqe);
    }
    close(fd);
    return rc;
}

const char *mb_uring_unsupported(void)
{
    return NULL;
}
