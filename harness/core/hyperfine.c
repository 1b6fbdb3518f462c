/* hyperfine's --export-json, read with jansson. Times are seconds there and
 * nanoseconds in a sample; an exit code is null when the command died of a
 * signal. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/hyperfine.h"

void mb_hyperfine_free(struct mb_hyperfine_result *r)
{
    free(r->times_ns);
    free(r->exit_codes);
    memset(r, 0, sizeof *r);
}

/* A non-negative number of seconds, in ns; -1 when it is not one. */
static double seconds_ns(const json_t *v)
{
    if (!json_is_number(v))
        return -1;
    double s = json_number_value(v);
    return s >= 0 ? s * 1e9 : -1;
}

static int fill_runs(const json_t *res, const char *path, struct mb_hyperfine_result *r)
{
    const json_t *times = json_object_get(res, "times");
    const json_t *codes = json_object_get(res, "exit_codes");
    size_t n = json_array_size(times);
    if (!json_is_array(times) || !json_is_array(codes) || n == 0 || json_array_size(codes) != n)
        return mb_fail(MB_EENV, "%s: no per-run times and exit_codes of equal length "
                       "(hyperfine 1.x --export-json)", path);
    r->times_ns = malloc(n * sizeof *r->times_ns);
    r->exit_codes = malloc(n * sizeof *r->exit_codes);
    if (!r->times_ns || !r->exit_codes)
        return mb_fail(MB_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *code = json_array_get(codes, i);
        r->times_ns[i] = seconds_ns(json_array_get(times, i));
        if (r->times_ns[i] < 0 || !(json_is_integer(code) || json_is_null(code)))
            return mb_fail(MB_EENV, "%s: run %zu has no valid time or exit code", path, i);
        r->exit_codes[i] = json_is_null(code) ? -1 : (int)json_integer_value(code);
    }
    r->runs = n;
    return 0;
}

int mb_hyperfine_read(const char *path, size_t index, struct mb_hyperfine_result *r)
{
    memset(r, 0, sizeof *r);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root)
        return mb_fail(MB_EENV, "%s: not JSON (%s, line %d)", path, jerr.text, jerr.line);
    const json_t *res = json_array_get(json_object_get(root, "results"), index);
    int rc;
    if (!json_is_object(res)) {
        rc = mb_fail(MB_EENV, "%s: no result %zu in \"results\"", path, index);
    } else if ((rc = fill_runs(res, path, r)) == 0) {
        r->user_ns = seconds_ns(json_object_get(res, "user"));
        r->system_ns = seconds_ns(json_object_get(res, "system"));
        if (r->user_ns < 0 || r->system_ns < 0)
            rc = mb_fail(MB_EENV, "%s: result %zu has no user and system time", path, index);
    }
    json_decref(root);
    if (rc)
        mb_hyperfine_free(r);
    return rc;
}
