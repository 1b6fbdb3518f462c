/* Helpers the three output formats share (private to harness/compare). */
#ifndef MB_COMPARE_FORMAT_COMMON_H
#define MB_COMPARE_FORMAT_COMMON_H

#include <stddef.h>

#include "mmbench/compare.h"

/* A median as text: a time with its unit, or a counter's plain number. */
char *mb_cmpf_value(const struct mb_cmp_report *r, double v, char *buf, size_t len);

/* A ratio as a signed change in percent ("+25.3%", "-4.0%", "inf"). */
char *mb_cmpf_change(double ratio, char *buf, size_t len);

/* The p-value in the direction of the observed change, as text. */
char *mb_cmpf_p(const struct mb_cmp_row *row, char *buf, size_t len);

/* The one-sided corrected p-value in the direction of the observed change. */
double mb_cmpf_p_value(const struct mb_cmp_row *row);

#endif
