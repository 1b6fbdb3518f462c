/* Memory shared with worker processes on Win32: a paging-file section
 * whose inheritable handle the re-launched workers inherit and map by its
 * value (shared_mem.h). */
#include "win32.h"

#include "mmbench/error.h"
#include "mmbench/shared_mem.h"

int mb_shared_mem_create(struct mb_shared_mem *s, size_t len)
{
    SECURITY_ATTRIBUTES sa = {.nLength = sizeof sa, .bInheritHandle = TRUE};
    HANDLE h = CreateFileMappingA(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE,
                                  (DWORD)((uint64_t)len >> 32), (DWORD)len, NULL);
    s->handle = -1;
    s->len = len;
    s->base = h ? MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, len) : NULL;
    if (!s->base) {
        int rc = mb_fail(MB_ENOMEM, "a shared section of %zu bytes: %s", len,
                         mb_w32_strerror(GetLastError()));
        if (h)
            CloseHandle(h);
        return rc;
    }
    s->handle = (intptr_t)h;
    return 0;
}

int mb_shared_mem_attach(struct mb_shared_mem *s, intptr_t handle, size_t len)
{
    s->handle = -1;
    s->len = len;
    s->base = MapViewOfFile((HANDLE)handle, FILE_MAP_WRITE, 0, 0, len);
    if (!s->base)
        return mb_fail(MB_EUSAGE, "handle %lld is not a shared section of %zu bytes: %s",
                       (long long)handle, len, mb_w32_strerror(GetLastError()));
    s->handle = handle;
    return 0;
}

/* The handle is closed only with the view it came with: a zeroed *s holds
 * handle 0, which is no section of ours. */
void mb_shared_mem_release(struct mb_shared_mem *s)
{
    if (s->base) {
        UnmapViewOfFile(s->base);
        CloseHandle((HANDLE)s->handle);
    }
    s->base = NULL;
    s->handle = -1;
}
