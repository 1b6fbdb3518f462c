/* A CSV file read back with libcsv in strict mode, as pandas or DuckDB
 * would read it: the tests check the files a reporter wrote, not the bytes
 * it meant to write. */
#ifndef MB_CSV_TABLE_H
#define MB_CSV_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct csv_table {
    char ***cell;       /* cell[row][field], row 0 the header */
    size_t *nfields;    /* per row */
    size_t nrows, cap;
};

/* Parses `text` whole (strict quoting, the last row ended by a newline).
 * Returns true on success; on failure prints why to stderr. Every row must
 * have the header's width and no line may start with '#'. */
bool csv_table_parse(const char *text, struct csv_table *t);

/* The index of header column `name`, or -1. */
int csv_table_column(const struct csv_table *t, const char *name);

/* Cell (row, column named `name`); NULL when the column is missing. */
const char *csv_table_get(const struct csv_table *t, size_t row, const char *name);

void csv_table_free(struct csv_table *t);

#endif
