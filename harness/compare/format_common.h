/* Helpers the three output formats share (private to harness/compare). */
#ifndef MB_COMPARE_FORMAT_COMMON_H
#define MB_COMPARE_FORMAT_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mmbench/compare.h"

/* A median as text: a time with its unit, or a counter's plain number. */
char *mb_cmpf_value(const struct mb_cmp_report *r, double v, char *buf, size_t len);

/* A ratio as a signed change in percent ("+25.3%", "-4.0%", "inf"). */
char *mb_cmpf_change(double ratio, char *buf, size_t len);

/* The p-value in the direction of the observed change, as text. */
char *mb_cmpf_p(const struct mb_cmp_row *row, char *buf, size_t len);

/* The one-sided corrected p-value in the direction of the observed change. */
double mb_cmpf_p_value(const struct mb_cmp_row *row);

/* Writes `s` for a terminal (to `out`, or nowhere when out is NULL): valid
 * UTF-8 as it is; control characters, DEL, backslash and invalid bytes as C
 * escapes (\n, \t, \\, \x1b), so a name can never move the cursor or
 * change colours. Returns the columns written (one per code point). */
size_t mb_cmpf_text(FILE *out, const char *s);

/* Writes `s` for markdown rendered as HTML: every character that markdown
 * or HTML reads as markup (& < > " ' ` | * _ [ ] ( ) # ! ~ \ and so on) as a
 * numeric character reference, control characters and invalid bytes as
 * visible \xNN text. */
void mb_cmpf_html(FILE *out, const char *s);

/* Writes the entries of `r` left out of the verdict, one line each after
 * `heading` (nothing when there are none): `bullet`, the name, then per
 * side how many were excluded (with "of N" when `totals`) and why, every
 * name and reason written through `esc`. */
void mb_cmpf_excluded(FILE *out, const struct mb_cmp_report *r, const char *heading,
                      const char *bullet, void (*esc)(FILE *, const char *), bool totals);

/* The inconclusive / failed reason of a row as one phrase, with figures. */
char *mb_cmpf_why(const struct mb_cmp_report *r, const struct mb_cmp_row *row, char *buf,
                  size_t len);

#endif
