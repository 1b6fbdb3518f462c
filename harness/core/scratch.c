/* Scratch files, portably: exclusive creation (mb_fopen_new), a random
 * suffix retried on collision, content from a fill function, durability
 * (mb_stdio_sync), and registration for removal at exit and on signals. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/workload.h"

static void random_suffix(char *out, size_t n)
{
    static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    static uint64_t state;
    /* Only uniqueness matters, and the exclusive create guarantees it; the
     * seed just makes collisions (and so retries) rare across processes. */
    if (!state)
        state = mb_now_ns() ^ (uint64_t)(uintptr_t)&state;
    for (size_t i = 0; i < n; i++)
        out[i] = chars[mb_rand_next(&state) % (sizeof chars - 1)];
    out[n] = '\0';
}

int mb_scratch_create(const char *dir, const char *tag, uint64_t size, mb_fill_fn fill,
                      char **path_out)
{
    enum { CHUNK = 1 << 20, ATTEMPTS = 100 };
    int rc = mb_dir_check_writable(dir);
    if (rc)
        return rc;
    size_t dlen = strlen(dir), len = dlen + strlen(tag) + 32;
    char *path = malloc(len);
    uint8_t *buf = malloc(CHUNK);
    FILE *f = NULL;
    if (!path || !buf) {
        rc = mb_fail(MB_ENOMEM, "out of memory");
        goto fail_early;
    }
    /* '/' separates on Windows too. */
    const char *sep = dlen && (dir[dlen - 1] == '/' || dir[dlen - 1] == '\\') ? "" : "/";
    for (int attempt = 0; attempt < ATTEMPTS && !f; attempt++) {
        char suffix[8];
        random_suffix(suffix, 6);
        snprintf(path, len, "%s%smmbench-%s-%s", dir, sep, tag, suffix);
        f = mb_fopen_new(path);
        if (!f && !mb_path_exists(path))
            break; /* not a name collision: retrying cannot help */
    }
    if (!f) {
        char why[400];
        snprintf(why, sizeof why, "%s", mb_last_error());
        rc = mb_fail(MB_EUSAGE, "cannot create a scratch file in '%s' (%s)", dir, why);
        goto fail_early;
    }
    /* Registered before anything can fail or be interrupted. */
    if ((rc = mb_cleanup_register(path)) != 0) {
        fclose(f);
        remove(path);
        goto fail_early;
    }
    for (uint64_t off = 0; off < size;) {
        size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
        fill(buf, off, n);
        if (fwrite(buf, 1, n, f) != n) {
            rc = mb_fail(MB_EENV, "writing scratch file %s failed", path);
            goto fail;
        }
        off += n;
    }
    /* Durable before any cold repetition: eviction drops only clean pages,
     * and an uncached read must find the bytes on the device. */
    if ((rc = mb_stdio_sync(f)) != 0)
        goto fail;
    if (fclose(f) != 0) {
        f = NULL;
        rc = mb_fail(MB_EENV, "closing scratch file %s failed", path);
        goto fail;
    }
    free(buf);
    *path_out = path;
    return 0;
fail:
    if (f)
        fclose(f);
    mb_scratch_remove(path);
fail_early:
    free(buf);
    free(path);
    return rc;
}

void mb_scratch_remove(const char *path)
{
    /* Only a path mb_scratch_create() registered: never someone else's
     * file. Removed before it is forgotten, so a signal in between cannot
     * leave it behind. */
    if (mb_cleanup_known(path)) {
        remove(path);
        mb_cleanup_forget(path);
    }
}
