/* floor: the same records copied out of a heap buffer that already holds the
 * file. No I/O method can beat it; the gap to it is what I/O costs. */
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "mmbench/platform.h"

struct heap_copy {
    uint8_t *buf;
    size_t len;
};

static int floor_prepare(struct mb_target *t)
{
    struct heap_copy *h = calloc(1, sizeof *h);
    if (!h)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = mb_file_read_all(t->path, &h->buf, &h->len);
    if (rc) {
        free(h);
        return rc;
    }
    t->prepared = h;
    return 0;
}

static int floor_open(struct mb_target *t)
{
    (void)t;
    return 0;
}

static int floor_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    const struct heap_copy *h = t->prepared;
    if (off > h->len || len > h->len - off)
        return mb_fail(MB_EVERIFY, "record at %llu is beyond the %zu-byte buffer",
                       (unsigned long long)off, h->len);
    memcpy(dst, h->buf + off, len);
    return 0;
}

static int floor_close(struct mb_target *t)
{
    (void)t;
    return 0;
}

static void floor_release(struct mb_target *t)
{
    struct heap_copy *h = t->prepared;
    if (h) {
        free(h->buf);
        free(h);
        t->prepared = NULL;
    }
}

const struct mb_method mb_method_floor = {
    .name = "floor",
    .help = "memcpy from a heap copy loaded before the timed region: the bound no I/O method can beat",
    .flags = MB_M_IN_MEMORY,
    .prepare = floor_prepare,
    .open = floor_open,
    .access = floor_access,
    .close = floor_close,
    .release = floor_release,
};
