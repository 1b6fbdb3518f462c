/* A mapped file that shrinks under a pass raises SIGBUS on the next access
 * past its new end. The runner's fault guard turns that into a failure of
 * the case (MB_EENV, "the file was truncated during the pass (SIGBUS at
 * offset N)", N the offset in the mapping registered with mb_guard_watch),
 * the next case still runs, and the process survives. Twice: a case that
 * truncates the file from inside its own pass, and a records case (mmap
 * method, mb_read_records_case) whose file is truncated by its prepare
 * hook, before the pass maps it.
 *
 * The runs happen in main(), before cmocka: cmocka installs its own
 * SIGBUS handler around every test (and restores the old one after it),
 * which would take the fault from the runner's guard. The tests check what
 * the runs left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/read_records.h"
#include "mmbench/runner.h"
#include "testutil.h"

#define PAGES 4
#define TOUCH_PAGE 2 /* touched after the file is cut to one page */

static char *dir;

/* ---- a pass that truncates its own mapped file ---------------------- */

struct shrinking {
    char *path;
    size_t len;
    unsigned char *map;         /* held between pass and release */
    unsigned passes, releases;
};

static void fill_ones(uint8_t *dst, uint64_t off, size_t n)
{
    (void)off;
    memset(dst, 1, n);
}

static int shrink_setup(struct mb_case *c)
{
    struct shrinking *s = c->data;
    s->len = PAGES * mb_page_size();
    return mb_scratch_create(dir, "sigbus", s->len, fill_ones, &s->path);
}

/* Before each repetition: the file back at its full size. */
static int shrink_prepare(struct mb_case *c)
{
    struct shrinking *s = c->data;
    return truncate(s->path, (off_t)s->len) == 0 ? 0 : mb_fail(MB_EENV, "truncate %s", s->path);
}

static int shrink_pass(struct mb_case *c, struct mb_pass *p)
{
    struct shrinking *s = c->data;
    (void)p;
    s->passes++;
    int fd = open(s->path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s", s->path);
    void *m = mmap(NULL, s->len, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap %s", s->path);
    s->map = m;
    mb_guard_watch(m, s->len);
    /* another descriptor cuts the file to one page under the mapping */
    int fd2 = open(s->path, O_RDWR | O_CLOEXEC);
    if (fd2 < 0 || ftruncate(fd2, (off_t)mb_page_size()) != 0) {
        if (fd2 >= 0)
            close(fd2);
        return mb_fail(MB_EENV, "ftruncate %s", s->path);
    }
    close(fd2);
    volatile const unsigned char *b = s->map;
    unsigned char x = b[TOUCH_PAGE * mb_page_size() + 5]; /* past the new end: SIGBUS */
    return x == 1 ? 0 : mb_fail(MB_EVERIFY, "read %u past the end of the file", x);
}

/* After every repetition, even one a fault cut short: the mapping goes. */
static void shrink_release(struct mb_case *c)
{
    struct shrinking *s = c->data;
    s->releases++;
    mb_guard_watch(NULL, 0);
    if (s->map)
        munmap(s->map, s->len);
    s->map = NULL;
}

static void shrink_teardown(struct mb_case *c)
{
    struct shrinking *s = c->data;
    mb_scratch_remove(s->path);
    free(s->path);
    s->path = NULL;
}

static const struct mb_case_ops shrink_ops = {
    .setup = shrink_setup,
    .prepare = shrink_prepare,
    .pass = shrink_pass,
    .release = shrink_release,
    .teardown = shrink_teardown,
};

static int ok_pass(struct mb_case *c, struct mb_pass *p)
{
    (void)p;
    (*(unsigned *)c->data)++;
    return 0;
}

static const struct mb_case_ops ok_ops = {.pass = ok_pass};

/* The case failed with the guard's message naming offset `offset`. */
static void expect_sigbus(int status, const char *error, size_t offset)
{
    char want[128];
    snprintf(want, sizeof want, "truncated during the pass (SIGBUS at offset %zu)", offset);
    assert_int_equal(status, MB_EENV);
    if (!strstr(error, want)) {
        print_error("error '%s'; want '%s'\n", error, want);
        fail();
    }
}

/* What the first scenario left. */
static struct {
    int rc, rc2;                /* of the two runs */
    int status[2], status2;
    char error[256], error2[256];
    struct shrinking s;
    unsigned after;
    size_t nsamples[2];
} one;

static void run_truncated_in_the_pass(void)
{
    struct mb_case cases[2];
    mb_case_init(&cases[0], "test", &shrink_ops, &one.s);
    mb_case_param(&cases[0], "kind", "shrinking", true);
    mb_case_init(&cases[1], "test", &ok_ops, &one.after);
    mb_case_param(&cases[1], "kind", "after", true);
    static struct tu_capture cap;
    struct mb_reporter *r = tu_capture_init(&cap);
    struct mb_run_config cfg = {.reps = 3, .warmup = 0, .min_time_ns = 0};
    one.rc = mb_run_cases(cases, 2, &cfg, r, 1);
    for (int i = 0; i < 2; i++) {
        one.status[i] = cases[i].status;
        const struct tu_case_log *l = tu_capture_find(&cap, &cases[i]);
        one.nsamples[i] = l ? l->ns : 99;
    }
    memcpy(one.error, cases[0].error, sizeof one.error);
    /* and again: the guard still works after a fault */
    struct shrinking s2 = {0};
    mb_case_init(&cases[0], "test", &shrink_ops, &s2);
    one.rc2 = mb_run_cases(cases, 1, &cfg, r, 1);
    one.status2 = cases[0].status;
    memcpy(one.error2, cases[0].error, sizeof one.error2);
}

static void test_truncated_in_the_pass(void **state)
{
    (void)state;
    /* we are here: the process survived */
    assert_int_equal(one.rc, 1);
    expect_sigbus(one.status[0], one.error, TOUCH_PAGE * mb_page_size() + 5);
    assert_int_equal(one.s.passes, 1);   /* dropped after the fault */
    assert_int_equal(one.s.releases, 1); /* and its mapping released */
    assert_null(one.s.path);             /* torn down */
    assert_int_equal(one.nsamples[0], 0);
    /* the next case ran every repetition */
    assert_int_equal(one.status[1], 0);
    assert_int_equal(one.after, 3);
    assert_int_equal(one.nsamples[1], 3);
    /* a second run faults the same way */
    assert_int_equal(one.rc2, 1);
    expect_sigbus(one.status2, one.error2, TOUCH_PAGE * mb_page_size() + 5);
}

/* ---- the records case (mmap) on a file its prepare hook cut ---------- */

static const struct mb_case_ops *rr_ops; /* mb_read_records_case's own hooks */
static struct mb_workload w;

/* Its prepare, then the cut: the pass maps the size the workload knows
 * and copies records past the file's new end. */
static int cutting_prepare(struct mb_case *c)
{
    int rc = rr_ops->prepare ? rr_ops->prepare(c) : 0;
    if (rc)
        return rc;
    return truncate(w.path, (off_t)mb_page_size()) == 0 ? 0
                                                         : mb_fail(MB_EENV, "truncate %s", w.path);
}

/* What the second scenario left. */
static struct {
    int setup_rc, rc;
    int status[2];
    char error[256];
    bool mapping_left;
    unsigned after;
} two;

static void run_records_mmap_truncated_in_prepare(void)
{
    const struct mb_method *mmap_m = mb_method_find("mmap");
    size_t page = mb_page_size();
    /* four pages of 64-byte records */
    two.setup_rc = mmap_m ? mb_workload_create(&w, dir, "cut", 4 * page / 64, 64,
                                               MB_ACCESS_SEQUENTIAL, 1)
                          : -1;
    if (two.setup_rc)
        return;
    static struct mb_read_records rr;
    struct mb_case cases[2];
    two.setup_rc = mb_read_records_case(&cases[0], "records", &rr, mmap_m, &w, MB_CACHE_WARM,
                                        false);
    if (two.setup_rc)
        return;
    rr_ops = cases[0].ops;
    static struct mb_case_ops cutting;
    cutting = *rr_ops;
    cutting.prepare = cutting_prepare;
    cases[0].ops = &cutting;
    mb_case_init(&cases[1], "test", &ok_ops, &two.after);

    static struct tu_capture cap;
    struct mb_reporter *r = tu_capture_init(&cap);
    struct mb_run_config cfg = {.reps = 2, .warmup = 0, .min_time_ns = 0};
    two.rc = mb_run_cases(cases, 2, &cfg, r, 1);
    two.status[0] = cases[0].status;
    two.status[1] = cases[1].status;
    memcpy(two.error, cases[0].error, sizeof two.error);
    two.mapping_left = rr.t.priv != NULL;
    mb_workload_free(&w);
}

static void test_records_mmap_truncated_in_prepare(void **state)
{
    (void)state;
    assert_int_equal(two.setup_rc, 0);
    assert_int_equal(two.rc, 1);
    /* the first record past one page starts at the page boundary */
    expect_sigbus(two.status[0], two.error, mb_page_size());
    assert_false(two.mapping_left); /* the method's mapping was closed by release */
    assert_int_equal(two.status[1], 0);
    assert_int_equal(two.after, 2);
}

int main(void)
{
    dir = tu_mkdtemp(mb_default_scratch_dir(), "sigbus");
    if (!dir) {
        fprintf(stderr, "cannot create a directory in %s\n", mb_default_scratch_dir());
        return 1;
    }
    run_truncated_in_the_pass();
    run_records_mmap_truncated_in_prepare();
    tu_rmtree(dir);
    free(dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncated_in_the_pass),
        cmocka_unit_test(test_records_mmap_truncated_in_prepare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
