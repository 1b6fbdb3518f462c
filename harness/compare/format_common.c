/* Number formatting shared by the table, markdown and JSON outputs, so the
 * three never disagree on what a figure is. */
#include <math.h>
#include <stdio.h>

#include "format_common.h"

char *mb_cmpf_value(const struct mb_cmp_report *r, double v, char *buf, size_t len)
{
    if (r->metric_is_time)
        return mb_cmp_format_ns(v, buf, len);
    if (!isfinite(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.6g", v);
    return buf;
}

char *mb_cmpf_change(double ratio, char *buf, size_t len)
{
    if (isnan(ratio))
        snprintf(buf, len, "-");
    else if (isinf(ratio))
        snprintf(buf, len, ratio > 0 ? "+inf" : "-inf");
    else
        snprintf(buf, len, "%+.1f%%", (ratio - 1) * 100);
    return buf;
}

double mb_cmpf_p_value(const struct mb_cmp_row *row)
{
    return row->ratio >= 1 ? row->p_slower : row->p_faster;
}

char *mb_cmpf_p(const struct mb_cmp_row *row, char *buf, size_t len)
{
    double p = mb_cmpf_p_value(row);
    if (isnan(p))
        snprintf(buf, len, "-");
    else if (p < 0.0001)
        snprintf(buf, len, "%.1e", p);
    else
        snprintf(buf, len, "%.4f", p);
    return buf;
}
