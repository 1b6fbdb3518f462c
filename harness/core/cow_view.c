/* The portable half of a copy-on-write view: the offset rule (C10) and the
 * bookkeeping, written once for both platforms' mapping calls. */
#include <string.h>

#include "mmbench/cow.h"

int mb_cow_map(struct mb_cow_view *v, enum mb_cow_kind kind, const char *path, uint64_t offset,
               size_t len)
{
    memset(v, 0, sizeof *v);
    v->file = v->section = -1;
    int rc = kind == MB_COW_ANON_PRIVATE ? 0 : mb_view_offset_check(offset);
    if (rc)
        return rc;
    if (kind == MB_COW_ANON_PRIVATE)
        rc = mb_cow_map_anon(v, len);
    else
        rc = mb_cow_map_file(v, path, kind == MB_COW_FILE_SHARED, offset, len);
    if (rc) {
        memset(v, 0, sizeof *v);
        return rc;
    }
    v->len = len;
    v->offset = kind == MB_COW_ANON_PRIVATE ? 0 : offset;
    v->kind = kind;
    return 0;
}
