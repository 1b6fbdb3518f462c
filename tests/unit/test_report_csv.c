/* The CSV reporter against tests/golden/{samples,summary}.csv, byte for
 * byte; then the same files read back with libcsv in strict mode: a header
 * first and nothing but rows after it (no comment lines: run metadata lives
 * in results.json), a fixed number of fields per row, numbers or empty cells
 * (never NaN / Infinity), quoted text intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_table.h"
#include "mmbench/platform.h"
#include "mmbench/report.h"
#include "report_fixture.h"
#include "testutil.h"

static int column(const struct csv_table *t, const char *name)
{
    int c = csv_table_column(t, name);
    if (c < 0) {
        print_error("no column %s\n", name);
        fail();
    }
    return c;
}

static const char *cell(const struct csv_table *t, size_t row, const char *name)
{
    return t->cell[row][column(t, name)];
}

/* Every cell of a numeric column (from `first_numeric` on, but the note) is
 * empty or a finite number; no cell anywhere spells NaN or Infinity. */
static void check_cells(const struct csv_table *t, const char *first_numeric)
{
    int from = column(t, first_numeric);
    for (size_t r = 1; r < t->nrows; r++) {
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

static void read_table(const char *name, struct csv_table *t)
{
    char *text = fixture_read(dir, name);
    assert_non_null(text);
    bool ok = csv_table_parse(text, t);
    free(text);
    assert_true(ok);
}

static int setup(void **state)
{
    (void)state;
    dir = tu_mkdtemp(mb_default_scratch_dir(), "csv");
    if (!dir)
        return -1;
    struct mb_reporter r;
    if (fixture_reporter("csv", dir, &r) != 0)
        return -1;
    int rc = fixture_run(&r);
    r.ops->destroy(r.st);
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
    struct csv_table t;
    read_table("samples.csv", &t);
    /* the series columns (the union of every case's parameters, then the
     * phase), the sample's own, one column per field of fields.def, then
     * the custom counters */
    static const char *const head[] = {
        "suite", "case", "method", "cache", "readahead", "access", "records",
        "record_size_bytes", "item", "size_bytes", "phase", "rep", "order", "passes", "cache_ok",
        "verified"};
    size_t nhead = sizeof head / sizeof head[0];
    assert_int_equal(t.nfields[0], nhead + MB_F_COUNT + 1);
    for (size_t f = 0; f < nhead; f++)
        assert_string_equal(t.cell[0][f], head[f]);
    for (size_t f = 0; f < MB_F_COUNT; f++)
        assert_string_equal(t.cell[0][nhead + f], mb_fields[f].name);
    assert_string_equal(t.cell[0][nhead + MB_F_COUNT], "widgets");
    /* the names issue 2 fixed, whatever else is added */
    static const char *const required[] = {"wall_ns", "user_ns", "sys_ns", "os_calls",
                                           "storage_bytes", "storage_ops", "major_faults",
                                           "minor_faults", "resident_before", "file_pages"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        column(&t, required[i]);
    /* 2 cases x 3 reps, the failed case none, the phased one 2 reps x 3 */
    assert_int_equal(t.nrows, 1 + 6 + 6);
    check_cells(&t, "rep");
    for (size_t r = 1; r <= 6; r++) {
        assert_string_equal(cell(&t, r, "phase"), "total"); /* an unphased case */
        assert_string_equal(cell(&t, r, "size_bytes"), "");  /* not its parameter */
        assert_string_equal(cell(&t, r, "widgets"), "");     /* nor its counter */
    }
    static const char *const phases[] = {"fill", "drop", "total"};
    for (size_t r = 7; r <= 12; r++) {
        assert_string_equal(cell(&t, r, "suite"), "phased");
        assert_string_equal(cell(&t, r, "phase"), phases[(r - 7) % 3]);
        assert_string_equal(cell(&t, r, "size_bytes"), "4096");
        assert_string_equal(cell(&t, r, "method"), "");
        assert_string_equal(cell(&t, r, "widgets"), "7");
    }
    /* warm rows: the unavailable counters are empty, not 0 */
    for (size_t r = 4; r <= 6; r++) {
        assert_string_equal(cell(&t, r, "method"), "read");
        assert_string_equal(cell(&t, r, "storage_bytes"), "");
        assert_string_equal(cell(&t, r, "device_reads"), "");
        assert_string_equal(cell(&t, r, "device_writes"), "");
        assert_string_equal(cell(&t, r, "minor_faults"), "0.25");
        assert_string_equal(cell(&t, r, "rss_anon_bytes"), "-1024");
        assert_string_equal(cell(&t, r, "passes"), "4");
    }
    /* the repetition that was not cold says so */
    assert_string_equal(cell(&t, 3, "cache_ok"), "0");
    assert_string_equal(cell(&t, 3, "resident_before"), "1");
    /* the schedule's order is recorded */
    assert_string_equal(cell(&t, 2, "order"), "3");
    assert_string_equal(cell(&t, 4, "order"), "1");
    /* derived from the work of a pass */
    assert_string_equal(cell(&t, 1, "bytes_per_second"), "60000000");
    assert_string_equal(cell(&t, 1, "work_items"), "3");
    csv_table_free(&t);
}

static void test_summary_parse(void **state)
{
    (void)state;
    struct csv_table t;
    read_table("summary.csv", &t);
    /* one row per unphased case, fill / drop / total for the phased one */
    assert_int_equal(t.nrows, 1 + 3 + 3);
    assert_string_equal(t.cell[0][0], "suite");
    check_cells(&t, "n");
    assert_string_equal(cell(&t, 1, "status"), "ok");
    assert_string_equal(cell(&t, 1, "phase"), "total");
    assert_string_equal(cell(&t, 1, "n"), "2");
    assert_string_equal(cell(&t, 1, "cache_misses"), "1");
    assert_non_null(strstr(cell(&t, 1, "note"), "1 of 3 repetitions not cold"));
    assert_string_equal(cell(&t, 2, "storage_bytes_median"), "");
    assert_string_equal(cell(&t, 2, "wall_ns_median"), "255.75");
    assert_string_equal(cell(&t, 3, "status"), "verification failed");
    assert_string_equal(cell(&t, 3, "note"), FIXTURE_ERROR); /* quoting round-trips */
    assert_string_equal(cell(&t, 3, "wall_ns_median"), "");
    assert_string_equal(cell(&t, 4, "phase"), "fill");
    assert_string_equal(cell(&t, 4, "wall_ns_median"), "110");
    assert_string_equal(cell(&t, 5, "phase"), "drop");
    assert_string_equal(cell(&t, 6, "phase"), "total");
    assert_string_equal(cell(&t, 6, "wall_ns_median"), "425");
    assert_string_equal(cell(&t, 6, "widgets_median"), "7");
    assert_string_equal(cell(&t, 1, "widgets_median"), "");
    csv_table_free(&t);
}

/* pandas, R, DuckDB and gnuplot read the files with no options: nothing but
 * the header and rows. What the old footer said is in results.json's
 * context (test_report_json checks it there). */
static void test_no_metadata_lines(void **state)
{
    (void)state;
    static const char *const files[] = {"samples.csv", "summary.csv"};
    for (size_t i = 0; i < 2; i++) {
        char *text = fixture_read(dir, files[i]);
        assert_non_null(text);
        assert_true(text[0] != '#');
        assert_null(strstr(text, "\n#"));
        assert_null(strstr(text, "mmbench_version"));
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_final_files), cmocka_unit_test(test_samples_golden),
        cmocka_unit_test(test_summary_golden),   cmocka_unit_test(test_samples_parse),
        cmocka_unit_test(test_summary_parse),    cmocka_unit_test(test_no_metadata_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
