/* C7: a FILE_MAP_COPY view shares the file's pages until it writes one; the
 * write goes to a private copy: the view sees it, another view of the same
 * mapping does not, and the file is never changed, flushed or not. */
#include <stdlib.h>
#include <string.h>

#include "w32test.h"

int main(void)
{
    size_t gran = mb_alloc_granularity();
    uint64_t size = 2 * (uint64_t)gran;
    char *path = w32t_file("cow", size);
    if (!path)
        return w32t_finish("copy_on_write");

    struct mb_w32_map cow;
    int rc = mb_w32_map_file(path, 0, 0, MB_W32_MAP_COPY, &cow);
    if (!CHECK(rc == 0, "PAGE_WRITECOPY mapping + FILE_MAP_COPY view (%s)",
               rc ? mb_last_error() : "ok"))
        return w32t_finish("copy_on_write");
    uint8_t *ro = MapViewOfFile(cow.mapping, FILE_MAP_READ, 0, 0, 0);
    if (!CHECK(ro != NULL, "a second, read-only view of the same mapping"))
        return w32t_finish("copy_on_write");
    uint8_t *cv = cow.view;
    CHECK(ro != cv, "the two views are at different addresses (%p, %p)", (void *)cv, (void *)ro);
    CHECK(w32t_same(cv, 0, (size_t)size) && w32t_same(ro, 0, (size_t)size),
          "before any write both views show the file");

    memset(cv + 100, 'X', 50);
    const uint8_t flipped = (uint8_t)~w32t_byte(gran + 7);
    cv[gran + 7] = flipped;
    CHECK(cv[100] == 'X' && cv[149] == 'X' && cv[gran + 7] == flipped,
          "the copy-on-write view sees its own writes");
    CHECK(w32t_same(ro, 0, (size_t)size), "the other view of the same mapping does not");
    CHECK(w32t_same(cv + 4096, 4096, gran - 4096),
          "pages the view did not write still show the file");
    CHECK(FlushViewOfFile(cv, 0), "FlushViewOfFile on the copy-on-write view succeeds");

    UnmapViewOfFile(ro);
    mb_w32_unmap(&cow);
    uint8_t *back = NULL;
    size_t len = 0;
    rc = mb_file_read_all(path, &back, &len);
    CHECK(rc == 0 && len == size && w32t_same(back, 0, len),
          "the file is unchanged after the writes, the flush and the unmap (%zu bytes read)", len);
    free(back);
    mb_scratch_remove(path);
    free(path);
    return w32t_finish("copy_on_write");
}
