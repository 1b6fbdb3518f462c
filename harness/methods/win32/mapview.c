/* MapViewOfFile: CreateFile + CreateFileMapping(PAGE_READONLY) + one view
 * of the whole file per pass, and each record copied out of the view; pages
 * arrive through page faults, so the method makes no read calls (it counts
 * zero, which is exact). Readahead off opens the file with
 * FILE_FLAG_RANDOM_ACCESS: Windows' only per-file hint; it governs the cache
 * manager, and whether the memory manager's fault clustering honours it for
 * views is not documented. */
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "mmbench/platform.h"
#include "win32.h"

static int mapview_open(struct mb_target *t)
{
    struct mb_w32_map *m = calloc(1, sizeof *m);
    if (!m)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = mb_w32_map_file(t->path, 0, 0, t->readahead_off ? MB_W32_MAP_RANDOM : 0, m);
    if (rc) {
        free(m);
        return rc;
    }
    mb_guard_watch(m->view, m->len);
    t->priv = m;
    return 0;
}

static int mapview_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    const struct mb_w32_map *m = t->priv;
    return mb_copy_span(dst, m->view, m->len, off, len);
}

static int mapview_pass(struct mb_target *t, const uint64_t *offs, size_t n, size_t len,
                        uint8_t *dst)
{
    const struct mb_w32_map *m = t->priv;
    return mb_copy_records(dst, m->view, m->len, t->file_size, offs, n, len);
}

static int mapview_close(struct mb_target *t)
{
    struct mb_w32_map *m = t->priv;
    int rc = 0;
    if (m) {
        mb_guard_watch(NULL, 0);
        rc = mb_w32_unmap(m);
        free(m);
        t->priv = NULL;
    }
    return rc;
}

const struct mb_method mb_method_MapViewOfFile = {
    .name = "MapViewOfFile",
    .help = "CreateFileMapping + MapViewOfFile of the whole file once per pass, memcpy each record "
            "out (FILE_FLAG_RANDOM_ACCESS when readahead is off)",
    .flags = MB_M_COUNTS_CALLS,
    .open = mapview_open,
    .access = mapview_access,
    .pass = mapview_pass,
    .close = mapview_close,
};
