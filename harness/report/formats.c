/* The output formats --format can name, and the calls that hand one event
 * to every reporter of a run. */
#include <stdio.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/report.h"
#include "reporters.h"

static const struct mb_format formats[] = {
    {"csv", true, mb_reporter_csv},
    {"json", true, mb_reporter_json},
    {"console", false, mb_reporter_console},
};

const struct mb_format *mb_formats(size_t *n)
{
    *n = sizeof formats / sizeof formats[0];
    return formats;
}

const struct mb_format *mb_format_find(const char *name)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, name) == 0)
            return &formats[i];
    return NULL;
}

int mb_report_begin(const struct mb_reporter *r, size_t n, const struct mb_run_info *info,
                    const struct mb_case *cases, size_t ncases)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].ops->begin) {
            int rc = r[i].ops->begin(r[i].st, info, cases, ncases);
            if (rc)
                return rc;
        }
    return 0;
}

int mb_report_sample(const struct mb_reporter *r, size_t n, const struct mb_case *c,
                     const struct mb_sample *s)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].ops->sample) {
            int rc = r[i].ops->sample(r[i].st, c, s);
            if (rc)
                return rc;
        }
    return 0;
}

int mb_report_aggregate(const struct mb_reporter *r, size_t n, const struct mb_case *c,
                        const struct mb_summary *s)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].ops->aggregate) {
            int rc = r[i].ops->aggregate(r[i].st, c, s);
            if (rc)
                return rc;
        }
    return 0;
}

char *mb_entry_name(const struct mb_case *c, int phase, char *buf, size_t len)
{
    if (phase < 0 || (size_t)phase >= c->nphases)
        snprintf(buf, len, "%s", c->name);
    else
        snprintf(buf, len, "%s/phase:%s", c->name, c->phases[phase]);
    return buf;
}
