/* mmbench-overhead: what mmbench's measurement adds to the work it times.
 * The records suite's warm `floor` and `mmap` passes (1,000 x 20-byte
 * records) run through the runner and as the same loops written by hand,
 * interleaved in rounds in one process, with the same repetitions, warm-up
 * and pass count rule; it prints each round's median per-pass times and the
 * ratios mmbench / hand. A benchmark, not a test: its figures depend on the
 * machine and on what else runs.
 *
 * usage: mmbench-overhead [ROUNDS [DIR]]   (default 5 rounds, the default
 * scratch directory) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "mmbench/platform.h"
#include "mmbench/read_records.h"
#include "mmbench/runner.h"
#include "mmbench/stats.h"
#include "mmbench/workload.h"

enum { REPS = 25, WARMUP = 2, TRIES = 5, RECORDS = 1000, RECORD_SIZE = 20 };
#define MIN_TIME_NS 2000000.0

/* ---- by hand ------------------------------------------------------------ */

struct hand {
    const struct mb_workload *w;
    uint8_t *heap;              /* the floor's copy of the file */
    uint8_t *dst;
};

static int hand_floor(struct hand *h)
{
    const struct mb_workload *w = h->w;
    for (size_t i = 0; i < w->nrecords; i++)
        memcpy(h->dst + i * w->record_size, h->heap + w->offsets[i], w->record_size);
    __asm__ volatile("" ::"r"(h->dst) : "memory"); /* each pass's copies happen */
    return 0;
}

static int hand_mmap(struct hand *h)
{
    const struct mb_workload *w = h->w;
    int fd = open(w->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    uint8_t *p = mmap(NULL, w->file_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return -1;
    for (size_t i = 0; i < w->nrecords; i++)
        memcpy(h->dst + i * w->record_size, p + w->offsets[i], w->record_size);
    munmap(p, w->file_size);
    __asm__ volatile("" ::"r"(h->dst) : "memory");
    return 0;
}

static double hand_rep(int (*pass)(struct hand *), struct hand *h, unsigned passes)
{
    uint64_t t0 = mb_now_ns();
    for (unsigned i = 0; i < passes; i++)
        if (pass(h))
            return -1;
    return (double)(mb_now_ns() - t0) / passes;
}

static double median(double *v, size_t n)
{
    mb_sort(v, n);
    return mb_stat_median(v, n);
}

/* The runner's protocol, by hand: passes from the fastest of a few single
 * passes, then REPS repetitions each after WARMUP discarded ones. */
static double hand_median(int (*pass)(struct hand *), struct hand *h)
{
    double one = 1e18, v[REPS];
    for (int i = 0; i < TRIES; i++) {
        double t = hand_rep(pass, h, 1);
        one = t > 0 && t < one ? t : one;
    }
    unsigned passes = (unsigned)(MIN_TIME_NS / one) + 1;
    for (int r = 0; r < REPS; r++) {
        for (int k = 0; k < WARMUP; k++)
            hand_rep(pass, h, passes);
        v[r] = hand_rep(pass, h, passes);
    }
    return median(v, REPS);
}

/* ---- through mmbench ----------------------------------------------------- */

struct capture {
    double median;
};

static int capture_aggregate(void *st, const struct mb_case *c, const struct mb_summary *s)
{
    (void)c;
    if (s->phase < 0)
        ((struct capture *)st)->median = mb_summary_get(s, MB_F_WALL, "median");
    return 0;
}

static void capture_destroy(void *st)
{
    (void)st;
}

static const struct mb_reporter_ops capture_ops = {
    .name = "capture", .aggregate = capture_aggregate, .destroy = capture_destroy};

static double mmbench_median(const char *method, struct mb_workload *w)
{
    struct mb_case c;
    struct mb_read_records rr;
    struct capture cap = {.median = -1};
    struct mb_reporter rep = {&capture_ops, &cap};
    struct mb_run_config cfg = {.reps = REPS, .warmup = WARMUP, .min_time_ns = (uint64_t)MIN_TIME_NS};
    if (mb_read_records_case(&c, "records", &rr, mb_method_find(method), w, MB_CACHE_WARM, false))
        return -1;
    int rc = mb_run_cases(&c, 1, &cfg, &rep, 1);
    return rc == 0 ? cap.median : -1;
}

/* ---- rounds --------------------------------------------------------------- */

static void round_once(unsigned r, struct mb_workload *w, struct hand *h, double ratio[2])
{
    /* The four measurements of a round in a seeded random order. */
    int order[4] = {0, 1, 2, 3};
    uint64_t st = 1000 + r;
    for (int i = 3; i > 0; i--) {
        int j = (int)(mb_rand_next(&st) % (uint64_t)(i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    double m[4];
    for (int i = 0; i < 4; i++) {
        int k = order[i];
        m[k] = k == 0   ? mmbench_median("floor", w)
               : k == 1 ? hand_median(hand_floor, h)
               : k == 2 ? mmbench_median("mmap", w)
                        : hand_median(hand_mmap, h);
    }
    ratio[0] = m[0] / m[1];
    ratio[1] = m[2] / m[3];
    printf("%5u %12.1f %12.1f %8.3f %12.1f %12.1f %8.3f\n", r + 1, m[0], m[1], ratio[0], m[2], m[3],
           ratio[1]);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 5;
    const char *dir = argc > 2 ? argv[2] : mb_default_scratch_dir();
    if (rounds < 1 || rounds > 1000) {
        fprintf(stderr, "usage: mmbench-overhead [ROUNDS (1-1000) [DIR]]\n");
        return 2;
    }
    mb_cleanup_install();
    struct mb_workload w;
    struct hand h = {.w = &w};
    if (mb_workload_create(&w, dir, "overhead", RECORDS, RECORD_SIZE, MB_ACCESS_SEQUENTIAL, 42) ||
        mb_file_read_all(w.path, &h.heap, &(size_t){0}) || !(h.dst = malloc(w.pass_bytes))) {
        fprintf(stderr, "mmbench-overhead: %s\n", mb_last_error());
        return 1;
    }
    printf("median ns per pass, %d reps x (%d warm-up), %u rounds; ratio = mmbench / hand\n",
           REPS, WARMUP, rounds);
    printf("%5s %12s %12s %8s %12s %12s %8s\n", "round", "floor mmb", "floor hand", "ratio",
           "mmap mmb", "mmap hand", "ratio");
    double *rf = calloc(rounds, sizeof *rf), *rm = calloc(rounds, sizeof *rm);
    for (unsigned r = 0; rf && rm && r < rounds; r++) {
        double ratio[2];
        round_once(r, &w, &h, ratio);
        rf[r] = ratio[0];
        rm[r] = ratio[1];
    }
    if (rf && rm)
        printf("median ratio: floor %.3f, warm mmap %.3f\n", median(rf, rounds),
               median(rm, rounds));
    free(rf);
    free(rm);
    free(h.heap);
    free(h.dst);
    mb_workload_free(&w);
    return 0;
}
