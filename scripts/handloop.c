/* The shortest program that reads a file as a fio-crosscheck pair does: no
 * harness, no check, one loop around the read. scripts/fio-crosscheck builds
 * it and runs it next to fio and mmbench, so that each of mmbench's figures
 * can be set against what a hand-written loop gets on the same machine.
 *
 * Usage: handloop FILE ENGINE ORDER BLOCK SECONDS [BUFFER]
 *   ENGINE  psync | direct (psync on an O_DIRECT descriptor) | mmap (mapped
 *           once, memcpy out) | uring (io_uring, queue depth 1)
 *   ORDER   sequential | random (a seeded permutation of the blocks)
 *   BUFFER  pages (default: 4 KiB-aligned, in base pages) | huge (a 2 MiB-
 *           aligned transparent huge page, MADV_HUGEPAGE): an O_DIRECT read
 *           into base pages needs one segment per page, and a device that
 *           takes fewer segments per request than a block has pages gets it
 *           split
 * Whole passes over the file, after one untimed pass, until SECONDS have
 * passed; prints "bytes wall_ns cpu_ns user_ns" of the timed passes, then
 * the reads made by all passes, then a sum of the last block's bytes. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

enum { HUGE = 2 << 20 };

static uint64_t clock_ns(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t user_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (uint64_t)ru.ru_utime.tv_sec * 1000000000u + (uint64_t)ru.ru_utime.tv_usec * 1000u;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

struct job {
    int fd;
    const uint8_t *map;
    uint8_t *buf;
    size_t block, n;
    uint32_t *order;
#ifdef HAVE_LIBURING
    struct io_uring ring;
#endif
    char engine;
};

/* One pass: every block once, in the job's order. */
static void pass(struct job *j)
{
    for (size_t i = 0; i < j->n; i++) {
        off_t off = (off_t)(j->order ? j->order[i] : i) * (off_t)j->block;
        if (j->engine == 'm') {
            memcpy(j->buf, j->map + off, j->block);
            continue;
        }
#ifdef HAVE_LIBURING
        if (j->engine == 'u') {
            struct io_uring_cqe *cqe;
            io_uring_prep_read(io_uring_get_sqe(&j->ring), j->fd, j->buf, (unsigned)j->block, off);
            io_uring_submit(&j->ring);
            if (io_uring_wait_cqe(&j->ring, &cqe) < 0 || cqe->res != (int)j->block)
                die("io_uring read");
            io_uring_cqe_seen(&j->ring, cqe);
            continue;
        }
#endif
        if (pread(j->fd, j->buf, j->block, off) != (ssize_t)j->block)
            die("pread");
    }
}

static uint32_t *permutation(size_t n)
{
    uint32_t *o = malloc(n * sizeof *o);
    if (!o)
        die("malloc");
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < n; i++)
        o[i] = (uint32_t)i;
    for (size_t i = n - 1; i > 0; i--) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t k = (size_t)(x % (i + 1));
        uint32_t t = o[i];
        o[i] = o[k];
        o[k] = t;
    }
    return o;
}

int main(int argc, char **argv)
{
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: handloop FILE psync|direct|mmap|uring sequential|random BLOCK "
                        "SECONDS [pages|huge]\n");
        return 2;
    }
    static const char *const engines[] = {"psync", "direct", "mmap", "uring"};
    struct job j = {.block = (size_t)strtoull(argv[4], NULL, 10)};
    for (size_t k = 0; k < sizeof engines / sizeof engines[0]; k++)
        if (strcmp(argv[2], engines[k]) == 0)
            j.engine = engines[k][0];
    double seconds = atof(argv[5]);
    bool huge = argc == 7 && strcmp(argv[6], "huge") == 0;
    if (argc == 7 && !huge && strcmp(argv[6], "pages") != 0) {
        fprintf(stderr, "handloop: bad buffer '%s' (pages or huge)\n", argv[6]);
        return 2;
    }
    if (!j.engine || j.block == 0 || !(seconds > 0) ||
        (strcmp(argv[3], "random") != 0 && strcmp(argv[3], "sequential") != 0)) {
        fprintf(stderr, "handloop: bad engine, order, block or seconds\n");
        return 2;
    }
    j.fd = open(argv[1], O_RDONLY | (j.engine == 'd' ? O_DIRECT : 0));
    struct stat st;
    if (j.fd < 0 || fstat(j.fd, &st) != 0)
        die(argv[1]);
    j.n = (size_t)st.st_size / j.block;
    if (j.n == 0) {
        fprintf(stderr, "handloop: %s is smaller than one block\n", argv[1]);
        return 2;
    }
    j.order = strcmp(argv[3], "random") == 0 ? permutation(j.n) : NULL;
    size_t align = huge ? HUGE : 4096, len = (j.block + align - 1) / align * align;
    if (posix_memalign((void **)&j.buf, align, len))
        die("posix_memalign");
    if (huge && madvise(j.buf, len, MADV_HUGEPAGE) != 0)
        die("madvise(MADV_HUGEPAGE)");
    memset(j.buf, 0, j.block);
    if (j.engine == 'm' &&
        (j.map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, j.fd, 0)) == MAP_FAILED)
        die("mmap");
#ifdef HAVE_LIBURING
    if (j.engine == 'u' && io_uring_queue_init(1, &j.ring, 0) < 0)
        die("io_uring_queue_init");
#else
    if (j.engine == 'u') {
        fprintf(stderr, "handloop: built without liburing\n");
        return 1;
    }
#endif
    pass(&j); /* faults in a mapping, warms a ring */
    uint64_t bytes = 0, t0 = clock_ns(CLOCK_MONOTONIC), c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    uint64_t u0 = user_ns(), t1, passes = 1;
    do {
        pass(&j);
        passes++;
        bytes += (uint64_t)j.n * j.block;
        t1 = clock_ns(CLOCK_MONOTONIC);
    } while ((double)(t1 - t0) < seconds * 1e9);
    uint64_t c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID), u1 = user_ns();
    unsigned sum = 0;
    for (size_t i = 0; i < j.block; i++) /* the last block is used: no copy can be dropped */
        sum += j.buf[i];
    printf("%llu %llu %llu %llu %llu %u\n", (unsigned long long)bytes,
           (unsigned long long)(t1 - t0), (unsigned long long)(c1 - c0),
           (unsigned long long)(u1 - u0), (unsigned long long)(passes * j.n), sum);
    return 0;
}
