/* A case whose file can never be made cold (the case keeps it mapped and
 * touched, and POSIX_FADV_DONTNEED leaves mapped pages alone; on tmpfs
 * nothing is evicted anyway): every repetition runs and is reported as not
 * cold, none counts, and the case fails saying why. In results.json each
 * such repetition is an error entry in Google Benchmark's form, and the
 * failed case gets no extra entry (a reader counts it once); summary.csv
 * says it. The next case runs and reports normally. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "csv_table.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "report_fixture.h"
#include "testutil.h"

#define REPS 3
#define PAGES 4

static char *dir;

struct pinned {
    char *path;
    void *map;
    size_t len;
};

static void fill_zero(uint8_t *dst, uint64_t off, size_t n)
{
    (void)off;
    memset(dst, 0, n);
}

/* The file, mapped and every page touched for the whole case. */
static int pin_setup(struct mb_case *c)
{
    struct pinned *p = c->data;
    p->len = PAGES * mb_page_size();
    int rc = mb_scratch_create(dir, "pinned", p->len, fill_zero, &p->path);
    if (rc)
        return rc;
    c->cache_path = p->path;
    FILE *f = fopen(p->path, "rb");
    if (!f)
        return mb_fail(MB_EENV, "open %s", p->path);
    p->map = mmap(NULL, p->len, PROT_READ, MAP_SHARED, fileno(f), 0);
    fclose(f);
    if (p->map == MAP_FAILED) {
        p->map = NULL;
        return mb_fail(MB_EENV, "mmap %s", p->path);
    }
    volatile const unsigned char *b = p->map;
    for (size_t i = 0; i < p->len; i += mb_page_size())
        (void)b[i];
    return 0;
}

static int pin_pass(struct mb_case *c, struct mb_pass *p)
{
    (void)c, (void)p;
    return 0;
}

static void pin_teardown(struct mb_case *c)
{
    struct pinned *p = c->data;
    if (p->map)
        munmap(p->map, p->len);
    if (p->path)
        mb_scratch_remove(p->path);
    free(p->path);
}

static const struct mb_case_ops pin_ops = {
    .setup = pin_setup, .pass = pin_pass, .teardown = pin_teardown};

static int ok_pass(struct mb_case *c, struct mb_pass *p)
{
    (void)c, (void)p;
    return 0;
}

static const struct mb_case_ops ok_ops = {.pass = ok_pass};

static struct pinned pinned;
static struct mb_case cases[2];
static int run_rc;

static int setup(void **state)
{
    (void)state;
    dir = tu_mkdtemp(mb_default_scratch_dir(), "miss");
    if (!dir)
        return -1;
    mb_case_init(&cases[0], "test", &pin_ops, &pinned);
    /* the path is known once setup made the file: set there */
    if (mb_case_cache(&cases[0], MB_CACHE_COLD, NULL) != 0)
        return -1;
    mb_case_init(&cases[1], "test", &ok_ops, NULL);
    if (mb_case_param(&cases[1], "kind", "ok", true) != 0)
        return -1;
    struct mb_run_config cfg = {.reps = REPS, .warmup = 0, .min_time_ns = 0};
    run_rc = tu_run_with_formats(cases, 2, &cfg, "csv,json", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmtree(dir);
    free(dir);
    return 0;
}

static void test_case_fails_saying_why(void **state)
{
    (void)state;
    assert_int_equal(run_rc, 1);
    assert_int_equal(cases[0].status, MB_EENV);
    if (!strstr(cases[0].error, "could not be made cold in any repetition")) {
        print_error("error: '%s'\n", cases[0].error);
        fail();
    }
    assert_int_equal(cases[1].status, 0);
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(absent)";
}

static void test_json_one_error_entry_per_repetition(void **state)
{
    (void)state;
    char path[4200];
    snprintf(path, sizeof path, "%s/results.json", dir);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    assert_non_null(root);
    json_t *b, *bm = json_object_get(root, "benchmarks");
    size_t i, errors = 0, others = 0, ok_entries = 0;
    json_array_foreach(bm, i, b)
    {
        if (strcmp(str(b, "name"), cases[0].name) != 0) {
            ok_entries += strcmp(str(b, "run_name"), cases[1].name) == 0;
            continue;
        }
        if (!json_is_true(json_object_get(b, "error_occurred"))) {
            others++;
            continue;
        }
        errors++;
        assert_non_null(strstr(str(b, "error_message"), "not cold"));
        assert_non_null(json_object_get(b, "repetition_index")); /* a repetition's entry */
        assert_true(json_is_number(json_object_get(b, "real_time")));
        assert_true(json_is_number(json_object_get(b, "cpu_time")));
        assert_string_equal(str(b, "time_unit"), "ns");
        assert_true(json_is_number(json_object_get(b, "iterations")));
    }
    assert_int_equal(errors, REPS); /* and no extra entry for the failed case */
    assert_int_equal(others, 0);
    assert_int_equal(ok_entries, REPS + 4);
    json_decref(root);
}

static void test_csv_says_it(void **state)
{
    (void)state;
    char *text = fixture_read(dir, "summary.csv");
    assert_non_null(text);
    struct csv_table t;
    bool ok = csv_table_parse(text, &t);
    free(text);
    assert_true(ok);
    assert_int_equal(t.nrows, 1 + 2);
    assert_string_equal(csv_table_get(&t, 1, "case"), cases[0].name);
    assert_string_equal(csv_table_get(&t, 1, "n"), "0");
    assert_string_equal(csv_table_get(&t, 1, "reps"), "3");
    assert_string_equal(csv_table_get(&t, 1, "cache_misses"), "3");
    assert_string_equal(csv_table_get(&t, 1, "status"), "environment error");
    assert_non_null(strstr(csv_table_get(&t, 1, "note"), "could not be made cold"));
    assert_string_equal(csv_table_get(&t, 2, "status"), "ok");
    csv_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_fails_saying_why),
        cmocka_unit_test(test_json_one_error_entry_per_repetition),
        cmocka_unit_test(test_csv_says_it),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
