/* Time units: Google Benchmark files may mix ns, us, ms and s (one per entry),
 * so every time is brought to ns before two series are compared. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mmbench/compare.h"

int mb_cmp_metric_is_time(const char *metric)
{
    return strcmp(metric, "real_time") == 0 || strcmp(metric, "cpu_time") == 0;
}

double mb_cmp_unit_to_ns(const char *unit)
{
    static const struct { const char *name; double ns; } units[] = {
        {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].name) == 0)
            return units[i].ns;
    return 0;
}

char *mb_cmp_format_ns(double ns, char *buf, size_t len)
{
    static const struct { const char *name; double ns; } scale[] = {
        {"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"ns", 1.0},
    };
    if (!isfinite(ns)) {
        snprintf(buf, len, "-");
        return buf;
    }
    size_t i = 0;
    while (i + 1 < sizeof scale / sizeof scale[0] && fabs(ns) < scale[i].ns * 0.9995)
        i++;
    double x = ns / scale[i].ns, a = fabs(x);
    /* Three significant digits; %g would switch to exponents near 1000. */
    int decimals = a < 9.995 ? 2 : a < 99.95 ? 1 : 0;
    if (i + 1 == sizeof scale / sizeof scale[0] && a >= 9.995)
        decimals = 0;
    snprintf(buf, len, "%.*f %s", decimals, x, scale[i].name);
    return buf;
}
