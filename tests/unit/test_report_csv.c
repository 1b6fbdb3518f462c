/* The CSV reporter against tests/golden/{samples,summary}.csv, byte for
 * byte; then the same files read back with libcsv's csv_parse: a header
 * first, a fixed number of fields per row, numbers or empty cells (never
 * NaN / Infinity), quoted text intact, "# key: value" lines after the rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mmbench/platform.h"
#include "mmbench/report.h"
#include "report_fixture.h"
#include "testutil.h"

#define MAX_ROWS 16
#define MAX_FIELDS 48

struct table {
    char *cell[MAX_ROWS][MAX_FIELDS];
    size_t nfields[MAX_ROWS];
    size_t nrows;
    bool overflow;
};

static void on_field(void *s, size_t len, void *data)
{
    struct table *t = data;
    if (t->nrows >= MAX_ROWS || t->nfields[t->nrows] >= MAX_FIELDS) {
        t->overflow = true;
        return;
    }
    char *copy = malloc(len + 1);
    memcpy(copy, s ? s : "", len);
    copy[len] = '\0';
    t->cell[t->nrows][t->nfields[t->nrows]++] = copy;
}

static void on_row(int c, void *data)
{
    (void)c;
    struct table *t = data;
    if (t->nrows < MAX_ROWS)
        t->nrows++;
    else
        t->overflow = true;
}

static void table_free(struct table *t)
{
    for (size_t r = 0; r < MAX_ROWS; r++)
        for (size_t f = 0; f < t->nfields[r]; f++)
            free(t->cell[r][f]);
}

/* Parses the rows of `text` (everything before the first "# " line) with
 * libcsv in strict mode, and checks that every later line is "# key: value". */
static void parse_csv(const char *text, struct table *t)
{
    memset(t, 0, sizeof *t);
    const char *footer = strstr(text, "\n# ");
    assert_non_null(footer);
    size_t len = (size_t)(footer - text) + 1;
    assert_true(text[0] != '#'); /* header on the first line */

    struct csv_parser p;
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    assert_int_equal(csv_parse(&p, text, len, on_field, on_row, t), len);
    assert_int_equal(csv_fini(&p, on_field, on_row, t), 0);
    csv_free(&p);
    assert_false(t->overflow);

    for (const char *l = footer + 1; *l; l = strchr(l, '\n') + 1) {
        const char *colon = strstr(l, ": ");
        const char *eol = strchr(l, '\n');
        assert_non_null(eol); /* the file ends with a newline */
        if (strncmp(l, "# ", 2) != 0 || !colon || colon > eol) {
            print_error("not a '# key: value' line: %.*s\n", (int)(eol - l), l);
            fail();
        }
    }
}

static int column(const struct table *t, const char *name)
{
    for (size_t f = 0; f < t->nfields[0]; f++)
        if (strcmp(t->cell[0][f], name) == 0)
            return (int)f;
    print_error("no column %s\n", name);
    fail();
    return -1;
}

/* Every row has the header's width; every cell of a numeric column is
 * empty or a finite number. */
static void check_cells(const struct table *t, const char *first_numeric)
{
    int from = column(t, first_numeric);
    for (size_t r = 1; r < t->nrows; r++) {
        assert_int_equal(t->nfields[r], t->nfields[0]);
        for (size_t f = 0; f < t->nfields[r]; f++) {
            const char *c = t->cell[r][f];
            if (strcasestr(c, "nan") || strcasestr(c, "inf")) {
                print_error("row %zu column %s holds '%s'\n", r, t->cell[0][f], c);
                fail();
            }
            if ((int)f < from || !*c || strcmp(t->cell[0][f], "note") == 0)
                continue;
            char *end;
            double v = strtod(c, &end);
            if (*end || !isfinite(v)) {
                print_error("row %zu column %s: '%s' is not a number\n", r, t->cell[0][f], c);
                fail();
            }
        }
    }
}

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = tu_mkdtemp(mb_default_scratch_dir(), "csv");
    if (!dir)
        return -1;
    struct mb_reporter *r = mb_reporter_csv(dir);
    if (!r)
        return -1;
    int rc = fixture_run(r);
    r->destroy(r);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmtree(dir);
    free(dir);
    return 0;
}

static void test_only_final_files(void **state)
{
    (void)state;
    /* no .tmp.<pid> file left beside them */
    assert_int_equal(tu_count_entries(dir), 2);
}

static void test_samples_golden(void **state)
{
    (void)state;
    assert_true(fixture_matches_golden(dir, "samples.csv"));
}

static void test_summary_golden(void **state)
{
    (void)state;
    assert_true(fixture_matches_golden(dir, "summary.csv"));
}

static void test_samples_parse(void **state)
{
    (void)state;
    char *text = fixture_read(dir, "samples.csv");
    assert_non_null(text);
    struct table t;
    parse_csv(text, &t);
    /* the series and sample columns, then one column per field of sample.h */
    static const char *const head[] = {
        "suite", "case", "method", "cache", "readahead", "access", "records",
        "record_size_bytes", "rep", "passes", "cache_ok", "checksum_ok", "resident_before",
        "file_pages"};
    size_t nhead = sizeof head / sizeof head[0];
    assert_int_equal(t.nfields[0], nhead + MB_F_COUNT);
    for (size_t f = 0; f < nhead; f++)
        assert_string_equal(t.cell[0][f], head[f]);
    for (size_t f = 0; f < MB_F_COUNT; f++)
        assert_string_equal(t.cell[0][nhead + f], mb_fields[f].name);
    /* the names issue 2 fixes, whatever else is added */
    static const char *const required[] = {"wall_ns", "user_ns", "sys_ns", "os_calls",
                                           "storage_bytes", "storage_ops", "major_faults",
                                           "minor_faults"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        column(&t, required[i]);
    assert_int_equal(t.nrows, 1 + 6); /* 2 cases x 3 reps; the failed case has none */
    check_cells(&t, "rep");
    /* warm rows: the unavailable counters are empty, not 0 */
    int sb = column(&t, "storage_bytes"), dr = column(&t, "device_reads");
    for (size_t r = 4; r <= 6; r++) {
        assert_string_equal(t.cell[r][column(&t, "method")], "read");
        assert_string_equal(t.cell[r][sb], "");
        assert_string_equal(t.cell[r][dr], "");
        assert_string_equal(t.cell[r][column(&t, "minor_faults")], "0.25");
    }
    /* the repetition that was not cold says so */
    assert_string_equal(t.cell[3][column(&t, "cache_ok")], "0");
    assert_string_equal(t.cell[3][column(&t, "resident_before")], "1");
    table_free(&t);
    free(text);
}

static void test_summary_parse(void **state)
{
    (void)state;
    char *text = fixture_read(dir, "summary.csv");
    assert_non_null(text);
    struct table t;
    parse_csv(text, &t);
    assert_int_equal(t.nrows, 1 + 3); /* one row per case */
    assert_string_equal(t.cell[0][0], "suite");
    check_cells(&t, "n");
    int status = column(&t, "status"), note = column(&t, "note"), n = column(&t, "n");
    assert_string_equal(t.cell[1][status], "ok");
    assert_string_equal(t.cell[1][n], "2");
    assert_string_equal(t.cell[1][column(&t, "cache_misses")], "1");
    assert_non_null(strstr(t.cell[1][note], "1 of 3 repetitions not cold"));
    assert_string_equal(t.cell[2][column(&t, "storage_bytes_median")], "");
    assert_string_equal(t.cell[2][column(&t, "wall_ns_median")], "255.75");
    assert_string_equal(t.cell[3][status], "verification failed");
    assert_string_equal(t.cell[3][note], FIXTURE_ERROR); /* quoting round-trips */
    assert_string_equal(t.cell[3][column(&t, "wall_ns_median")], "");
    table_free(&t);
    free(text);
}

static void test_footer(void **state)
{
    (void)state;
    char *text = fixture_read(dir, "summary.csv");
    assert_non_null(text);
    static const char *const keys[] = {
        "\n# mmbench_version: 0.1.0\n", "\n# git_commit: 0123456789ab\n",
        "\n# date: 2024-01-02T03:04:05+0000\n", "\n# kernel: 6.1.0-golden",
        "\n# filesystem: ext4\n", "\n# page_size: 4096\n", "\n# thp: madvise\n",
        "\n# readahead_kb: 128\n", "\n# command_line: mmbench run --suite records"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strstr(text, keys[i])) {
            print_error("footer lacks %s\n", keys[i] + 1);
            fail();
        }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_final_files), cmocka_unit_test(test_samples_golden),
        cmocka_unit_test(test_summary_golden),   cmocka_unit_test(test_samples_parse),
        cmocka_unit_test(test_summary_parse),    cmocka_unit_test(test_footer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
