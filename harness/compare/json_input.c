/* Reads mmbench's results.json and any Google Benchmark JSON into per-
 * benchmark series. Structural problems (not JSON, no benchmarks array, a
 * field of the wrong type) make the whole file unusable: the gate must not
 * pass a build on input it could not read. A bad value in one entry (errored
 * run, NaN, zero time) only excludes that entry, and the output names it. */
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "mmbench/compare.h"
#include "mmbench/error.h"

static int bad(char *err, size_t errlen, const char *fmt, ...) MB_PRINTF_LIKE(3, 4);

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    /* The message is one line even when the input put a newline in a name. */
    for (char *p = err; p && *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    return MB_EUSAGE;
}

static const char *type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "?";
}

/* Excludes one entry, with a reason short enough for one output line. */
static int exclude(struct mb_cmp_series *s, int failed, const char *fmt, const char *arg)
{
    char reason[160];
    snprintf(reason, sizeof reason, fmt, arg);
    for (char *p = reason; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    return mb_cmp_series_exclude(s, reason, failed);
}

/* Whether the entry says it did not run: error_occurred (every version) or
 * skipped (newer Google Benchmark). Sets *why. */
static int did_not_run(const json_t *e, const char **why)
{
    const json_t *msg = json_object_get(e, "error_message");
    const json_t *skip_msg = json_object_get(e, "skip_message");
    if (json_is_true(json_object_get(e, "error_occurred"))) {
        *why = json_is_string(msg) ? json_string_value(msg) : "error_occurred";
        return 1;
    }
    const json_t *skipped = json_object_get(e, "skipped");
    if (json_is_true(skipped) || (json_is_string(skipped) && json_string_length(skipped) &&
                                  strcmp(json_string_value(skipped), "NotSkipped") != 0)) {
        *why = json_is_string(skip_msg) ? json_string_value(skip_msg) : "skipped";
        return 1;
    }
    return 0;
}

static int read_value(struct mb_cmp_set *set, struct mb_cmp_series *s, const json_t *e,
                      const json_t *v, const char *metric, int is_time, double factor);

static int read_entry(struct mb_cmp_set *set, const json_t *e, size_t i, const char *label,
                      const char *metric, int is_time, char *err, size_t errlen)
{
    if (!json_is_object(e))
        return bad(err, errlen, "%s: benchmarks[%zu] is %s, not an object", label, i,
                   type_name(e));
    const json_t *run_type = json_object_get(e, "run_type");
    if (run_type && !json_is_string(run_type))
        return bad(err, errlen, "%s: benchmarks[%zu].run_type is %s, not a string", label, i,
                   type_name(run_type));
    if (run_type && strcmp(json_string_value(run_type), "aggregate") == 0)
        return 0; /* computed from the iterations, which are compared instead */

    /* compare.py pairs entries by "name"; iteration entries' name == run_name. */
    const json_t *name = json_object_get(e, "name");
    if (!name)
        name = json_object_get(e, "run_name");
    if (!name)
        return bad(err, errlen, "%s: benchmarks[%zu] has no name", label, i);
    if (!json_is_string(name))
        return bad(err, errlen, "%s: benchmarks[%zu].name is %s, not a string", label, i,
                   type_name(name));

    struct mb_cmp_series *s = mb_cmp_set_get(set, json_string_value(name));
    if (!s)
        return MB_ENOMEM;

    const json_t *v = json_object_get(e, metric);
    if (v && !json_is_number(v) && !json_is_null(v))
        return bad(err, errlen, "%s: benchmarks[%zu].%s is %s, not a number", label, i, metric,
                   type_name(v));
    if (v)
        set->with_metric++;

    double factor = 1.0;
    if (is_time) {
        const json_t *unit = json_object_get(e, "time_unit");
        if (unit && !json_is_string(unit))
            return bad(err, errlen, "%s: benchmarks[%zu].time_unit is %s, not a string", label,
                       i, type_name(unit));
        /* Google Benchmark's default unit when a writer leaves it out. */
        const char *u = unit ? json_string_value(unit) : "ns";
        factor = mb_cmp_unit_to_ns(u);
        if (factor == 0)
            return bad(err, errlen, "%s: benchmarks[%zu].time_unit '%.20s' is not ns, us, ms or s",
                       label, i, u);
    }

    return read_value(set, s, e, v, metric, is_time, factor);
}

/* The metric of one entry into its series, or the reason it is left out. */
static int read_value(struct mb_cmp_set *set, struct mb_cmp_series *s, const json_t *e,
                      const json_t *v, const char *metric, int is_time, double factor)
{
    const char *why;
    if (did_not_run(e, &why))
        return exclude(s, 1, "did not run: %.100s", why);
    if (!v)
        return exclude(s, 0, "no %.60s", metric);
    if (json_is_null(v))
        return exclude(s, 0, "%.60s is NaN, Infinity or null", metric);
    double x = json_number_value(v) * factor;
    if (!isfinite(x))
        return exclude(s, 0, "%.60s is not finite", metric);
    if (is_time && x <= 0)
        return exclude(s, 0, "%.60s is not above zero", metric);
    /* A denormal time is no measurement; a denormal counter is a zero. */
    if (is_time && x < DBL_MIN)
        return exclude(s, 0, "%.60s is denormal (below 2.2e-308)", metric);
    if (!is_time && fabs(x) < DBL_MIN)
        x = 0;
    return mb_cmp_series_push(s, x, set->files);
}

int mb_cmp_parse(struct mb_cmp_set *set, const char *text, size_t len, const char *label,
                 const char *metric, char *err, size_t errlen)
{
    size_t clean_len;
    char *clean = mb_cmp_json_nonfinite_to_null(text, len, &clean_len);
    if (!clean)
        return MB_ENOMEM;
    json_error_t jerr;
    /* Integers as reals: a counter beyond int64 is still a number to compare. */
    json_t *root = json_loadb(clean, clean_len, JSON_DECODE_INT_AS_REAL, &jerr);
    free(clean);
    if (!root)
        return bad(err, errlen, "%s: not JSON (line %d: %.80s)", label, jerr.line, jerr.text);

    int rc = 0;
    const json_t *list = json_is_object(root) ? json_object_get(root, "benchmarks") : NULL;
    if (!json_is_object(root)) {
        rc = bad(err, errlen, "%s: not a results file (the top level is %s, not an object)", label,
                 type_name(root));
    } else if (!list) {
        rc = bad(err, errlen, "%s: no \"benchmarks\" array (not Google Benchmark JSON)", label);
    } else if (!json_is_array(list)) {
        rc = bad(err, errlen, "%s: \"benchmarks\" is %s, not an array", label, type_name(list));
    } else {
        int is_time = mb_cmp_metric_is_time(metric);
        for (size_t i = 0; i < json_array_size(list) && !rc; i++)
            rc = read_entry(set, json_array_get(list, i), i, label, metric, is_time, err, errlen);
        if (!rc)
            set->files++;
    }
    json_decref(root);
    return rc;
}

#ifndef O_NONBLOCK
#define O_NONBLOCK 0 /* no FIFOs to block on where the flag does not exist */
#endif
#ifndef O_BINARY
#define O_BINARY 0
#endif

/* Reads up to cap + 1 bytes of `fd` into a new buffer, so that a source
 * larger than the cap is detected without reading it all. Returns the
 * buffer (caller frees) or NULL with errno set. */
static char *read_capped(int fd, size_t cap, size_t *len)
{
    size_t size = 1 << 16, n = 0;
    char *buf = malloc(size);
    if (!buf)
        return NULL;
    for (;;) {
        if (n == size) {
            size_t bigger = size > cap / 2 ? cap + 1 : size * 2;
            char *nb = bigger > size ? realloc(buf, bigger) : NULL;
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            size = bigger;
        }
        ssize_t got = read(fd, buf + n, size - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            errno = e;
            return NULL;
        }
        if (got == 0 || (n += (size_t)got) > cap)
            break;
    }
    *len = n;
    return buf;
}

/* Opens `path` for reading without ever blocking: a FIFO without a writer
 * would hang open(2), a device would never end. Returns the descriptor, or
 * -1 with a message in err. */
static int open_regular(const char *path, char *err, size_t errlen, off_t *size)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_BINARY);
    if (fd < 0) {
        bad(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        bad(err, errlen, "cannot read %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        bad(err, errlen, "%s is not a regular file (a %s); give a results file or - for "
                         "standard input", path,
            S_ISDIR(st.st_mode) ? "directory" : S_ISFIFO(st.st_mode) ? "FIFO" : "device or socket");
        close(fd);
        return -1;
    }
#if O_NONBLOCK
    /* Regular files ignore O_NONBLOCK; cleared anyway so reads are plain. */
    int fl = fcntl(fd, F_GETFL);
    if (fl != -1)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
#endif
    *size = st.st_size;
    return fd;
}

int mb_cmp_load(struct mb_cmp_set *set, const char *path, const char *metric, size_t max_input,
                char *err, size_t errlen)
{
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "standard input" : path;
    off_t size = 0;
    int fd = is_stdin ? 0 : open_regular(path, err, errlen, &size);
    if (fd < 0)
        return MB_EUSAGE;
    if (!is_stdin && (uintmax_t)size > (uintmax_t)max_input) {
        close(fd);
        return bad(err, errlen, "%s is %jd bytes, more than --max-input %zu", name,
                   (intmax_t)size, max_input);
    }
    size_t len = 0;
    char *text = read_capped(fd, max_input, &len);
    int saved = errno;
    if (!is_stdin)
        close(fd);
    if (!text)
        return saved == ENOMEM ? bad(err, errlen, "%s: out of memory reading it", name)
                               : bad(err, errlen, "cannot read %s: %s", name, strerror(saved));
    if (len > max_input) {
        free(text);
        return bad(err, errlen, "%s holds more than --max-input %zu bytes", name, max_input);
    }
    int rc = mb_cmp_parse(set, text, len, name, metric, err, errlen);
    free(text);
    return rc;
}
