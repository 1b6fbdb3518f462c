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
    t->priv = m;
    return 0;
}

static int mapview_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    const struct mb_w32_map *m = t->priv;
    if (off > m->len || len > m->len - off)
        return mb_fail(MB_EVERIFY, "record at %llu is beyond the %zu-byte view",
                       (unsigned long long)off, m->len);
    memcpy(dst, (const char *)m->view + off, len);
    return 0;
}

static int mapview_close(struct mb_target *t)
{
    struct mb_w32_map *m = t->priv;
    int rc = 0;
    if (m) {
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
    .flags = MB_M_MAPPED | MB_M_COUNTS_CALLS,
    .open = mapview_open,
    .access = mapview_access,
    .close = mapview_close,
};
