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

static uint64_t unit_off(const struct mb_uring_pass *ps, size_t i)
{
    return (uint64_t)(ps->order ? ps->order[i] : i) * ps->block;
}

static size_t unit_len(const struct mb_uring_pass *ps, uint64_t off)
{
    return ps->size - off < ps->block ? (size_t)(ps->size - off) : ps->block;
}

/* Queues the read of unit i into its buffer. */
static void queue_read(struct io_uring *ring, int fd, const struct mb_uring_pass *ps, size_t i)
{
    uint64_t off = unit_off(ps, i);
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    io_uring_prep_read(sqe, fd, ps->bufs + (i % (2 * ps->half)) * ps->block,
                       (unsigned)unit_len(ps, off), off);
    io_uring_sqe_set_data64(sqe, i);
}

/* Submits what is queued and reaps one completion, counting it in done[]
 * (units complete in each half of the buffers). */
static int reap(struct io_uring *ring, const struct mb_uring_pass *ps, size_t done[2])
{
    int sub = io_uring_submit(ring);
    if (sub < 0)
        return mb_fail(MB_EENV, "io_uring_submit: %s", strerror(-sub));
    struct io_uring_cqe *cqe;
    int rc = io_uring_wait_cqe(ring, &cqe);
    if (rc < 0)
        return mb_fail(MB_EENV, "io_uring_wait_cqe: %s", strerror(-rc));
    size_t i = (size_t)io_uring_cqe_get_data64(cqe);
    int res = cqe->res;
    io_uring_cqe_seen(ring, cqe);
    uint64_t off = unit_off(ps, i);
    if (res < 0 && res == -EINVAL && ps->direct)
        return mb_fail(MB_EUNSUPPORTED, "O_DIRECT read refused (%s)", strerror(-res));
    if (res < 0 || (size_t)res != unit_len(ps, off))
        return mb_fail(MB_EENV, "io_uring read at %llu: %s", (unsigned long long)off,
                       res < 0 ? strerror(-res) : "short read");
    done[(i / ps->half) % 2]++;
    return 0;
}

/* Before unit `next` reuses a half of the buffers: waits for the units
 * that half holds (they are, but for a slow one, complete) and checks
 * them. */
static int recycle_half(struct mb_uring *u, const struct mb_uring_pass *ps, size_t next,
                        size_t done[2], size_t *inflight)
{
    size_t h = (next / ps->half) % 2;
    int rc = 0;
    while (!rc && done[h] < ps->half) {
        rc = reap(u->ring, ps, done);
        --*inflight;
    }
    if (!rc) {
        ps->check(ps->arg, next - 2 * ps->half, ps->half);
        done[h] = 0;
    }
    return rc;
}

/* The pass itself on an open descriptor: leaves nothing in flight when it
 * succeeds. */
static int run_pass(struct mb_uring *u, const struct mb_uring_pass *ps, int fd, size_t *inflight)
{
    size_t done[2] = {0, 0}, next = 0;
    int rc = 0;
    while (!rc && (next < ps->n || *inflight)) {
        while (!rc && next < ps->n && *inflight < u->depth) {
            if (next >= 2 * ps->half && next % ps->half == 0 &&
                (rc = recycle_half(u, ps, next, done, inflight)) != 0)
                break;
            queue_read(u->ring, fd, ps, next++);
            ++*inflight;
        }
        if (!rc && *inflight) {
            rc = reap(u->ring, ps, done);
            --*inflight;
        }
    }
    if (rc || ps->n == 0)
        return rc;
    /* The units not checked yet: the half before the last round's, then it. */
    size_t last = (ps->n - 1) / ps->half * ps->half;
    if (last >= ps->half)
        ps->check(ps->arg, last - ps->half, ps->half);
    ps->check(ps->arg, last, ps->n - last);
    return 0;
}

int mb_uring_read_file(struct mb_uring *u, const struct mb_uring_pass *ps)
{
    if (ps->half < u->depth)
        return mb_fail(MB_EUSAGE, "io_uring pass: %zu buffers per half for a depth of %u",
                       ps->half, u->depth);
    int fd = open(ps->path, O_RDONLY | (ps->direct ? O_DIRECT : 0));
    if (fd < 0 && ps->direct && errno == EINVAL)
        return mb_fail(MB_EUNSUPPORTED,
                       "the filesystem holding %s refuses O_DIRECT", ps->path);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", ps->path, strerror(errno));
    size_t inflight = 0;
    int rc = run_pass(u, ps, fd, &inflight);
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
