/* floor: the same records copied out of a heap buffer that already holds the
 * file. No I/O method can beat it; the gap to it is what I/O costs. */
#include <stdlib.h>

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

static int floor_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    const struct heap_copy *h = t->prepared;
    return mb_copy_span(dst, h->buf, h->len, off, len);
}

static int floor_pass(struct mb_target *t, const uint64_t *offs, size_t n, size_t len,
                      uint8_t *dst)
{
    const struct heap_copy *h = t->prepared;
    return mb_copy_records(dst, h->buf, h->len, t->file_size, offs, n, len);
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
    .access = floor_access,
    .pass = floor_pass,
    .release = floor_release,
};
