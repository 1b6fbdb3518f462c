/* floor: the same records copied out of a heap buffer that already holds the
 * file. No I/O method can beat it; the gap to it is what I/O costs. */
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "mmbench/platform.h"

struct heap_copy {
    uint8_t *buf;             /* page-aligned, as a mapping is (see mb_workload_arena) */
    size_t len;
    uint8_t *mem;             /* what was allocated */
};

static int floor_prepare(struct mb_target *t)
{
    enum { PAGE = 4096 };
    struct heap_copy *h = calloc(1, sizeof *h);
    uint8_t *file = NULL;
    if (!h)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = mb_file_read_all(t->path, &file, &h->len);
    if (!rc && !(h->mem = malloc(h->len + PAGE)))
        rc = mb_fail(MB_ENOMEM, "out of memory for a %zu-byte heap copy", h->len);
    if (rc) {
        free(file);
        free(h);
        return rc;
    }
    h->buf = (uint8_t *)(((uintptr_t)h->mem + PAGE - 1) / PAGE * PAGE);
    memcpy(h->buf, file, h->len);
    free(file);
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
        free(h->mem);
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
