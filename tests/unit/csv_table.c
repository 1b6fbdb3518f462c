/* CSV files read back with libcsv (see csv_table.h). */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"

struct parse_state {
    struct csv_table *t;
    size_t fields;      /* of the row being read */
    char **row;
    bool oom;
};

static void on_field(void *s, size_t len, void *data)
{
    struct parse_state *ps = data;
    char **row = realloc(ps->row, (ps->fields + 1) * sizeof *row);
    char *copy = malloc(len + 1);
    if (!row || !copy) {
        free(copy);
        if (row)
            ps->row = row;
        ps->oom = true;
        return;
    }
    memcpy(copy, s ? s : "", len);
    copy[len] = '\0';
    row[ps->fields++] = copy;
    ps->row = row;
}

static void on_row(int c, void *data)
{
    struct parse_state *ps = data;
    struct csv_table *t = ps->t;
    (void)c;
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char ***cell = realloc(t->cell, cap * sizeof *cell);
        size_t *nf = cell ? realloc(t->nfields, cap * sizeof *nf) : NULL;
        if (cell)
            t->cell = cell;
        if (!cell || !nf) {
            ps->oom = true;
            return;
        }
        t->nfields = nf;
        t->cap = cap;
    }
    t->cell[t->nrows] = ps->row;
    t->nfields[t->nrows++] = ps->fields;
    ps->row = NULL;
    ps->fields = 0;
}

bool csv_table_parse(const char *text, struct csv_table *t)
{
    memset(t, 0, sizeof *t);
    size_t len = strlen(text);
    if (len == 0 || text[len - 1] != '\n') {
        fprintf(stderr, "CSV is empty or does not end with a newline\n");
        return false;
    }
    /* A comment line is one a reader without options takes for data. */
    for (const char *l = text; *l; l = strchr(l, '\n') + 1)
        if (*l == '#') {
            fprintf(stderr, "comment line in CSV: %.*s\n", (int)strcspn(l, "\n"), l);
            return false;
        }
    struct parse_state ps = {.t = t};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return false;
    size_t used = csv_parse(&p, text, len, on_field, on_row, &ps);
    int fini = csv_fini(&p, on_field, on_row, &ps);
    int err = csv_error(&p);
    csv_free(&p);
    for (size_t i = 0; i < ps.fields; i++)
        free(ps.row[i]);
    free(ps.row);
    if (used != len || fini != 0 || ps.oom) {
        fprintf(stderr, "libcsv: %s\n", csv_strerror(err));
        return false;
    }
    for (size_t r = 1; r < t->nrows; r++)
        if (t->nfields[r] != t->nfields[0]) {
            fprintf(stderr, "row %zu has %zu fields, the header %zu\n", r, t->nfields[r],
                    t->nfields[0]);
            return false;
        }
    return t->nrows > 0;
}

int csv_table_column(const struct csv_table *t, const char *name)
{
    if (!t->nrows)
        return -1;
    for (size_t f = 0; f < t->nfields[0]; f++)
        if (strcmp(t->cell[0][f], name) == 0)
            return (int)f;
    return -1;
}

const char *csv_table_get(const struct csv_table *t, size_t row, const char *name)
{
    int c = csv_table_column(t, name);
    if (c < 0 || row >= t->nrows || (size_t)c >= t->nfields[row])
        return NULL;
    return t->cell[row][c];
}

void csv_table_free(struct csv_table *t)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t f = 0; f < t->nfields[r]; f++)
            free(t->cell[r][f]);
        free(t->cell[r]);
    }
    free(t->cell);
    free(t->nfields);
    memset(t, 0, sizeof *t);
}
