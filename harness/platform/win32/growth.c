/* Growing a mapped file on Win32: a read-write mapping object
 * (CreateFileMapping) larger than its file grows the file to the object's
 * size, and the object's size, like a view's, is fixed once created, so a
 * bigger view means a new object and a new view. The size is set directly
 * with SetFilePointerEx + SetEndOfFile, which Windows refuses while a
 * mapping object of the file is open. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/growth.h"
#include "win32.h"

#define FILE_HANDLE(g) ((HANDLE)(g)->fd)

const char *mb_growth_remap_unsupported(void)
{
    return "Win32 cannot resize a view or a mapping object once created (no mremap): a "
           "larger view needs a new mapping object";
}

const char *mb_growth_fault_name(void)
{
    return "an in-page error";
}

int mb_growth_open(struct mb_growth_file *g, const char *path)
{
    memset(g, 0, sizeof *g);
    g->section = -1;
    g->fd = -1;
    HANDLE h;
    int rc = mb_w32_open(path, MB_W32_OPEN_WRITE, &h);
    if (!rc)
        g->fd = (intptr_t)h;
    return rc;
}

int mb_growth_set_size(struct mb_growth_file *g, uint64_t size)
{
    LARGE_INTEGER at;
    at.QuadPart = (LONGLONG)size;
    if (!SetFilePointerEx(FILE_HANDLE(g), at, NULL, FILE_BEGIN) || !SetEndOfFile(FILE_HANDLE(g)))
        return mb_fail(MB_EENV, "SetEndOfFile at %llu bytes: %s", (unsigned long long)size,
                       mb_w32_strerror(GetLastError()));
    return 0;
}

int mb_growth_map(struct mb_growth_file *g, size_t len, bool grow)
{
    (void)grow; /* the mapping object grows the file either way */
    int rc = mb_growth_unmap(g);
    if (rc)
        return rc;
    uint64_t n = len;
    HANDLE s = CreateFileMappingA(FILE_HANDLE(g), NULL, PAGE_READWRITE, (DWORD)(n >> 32),
                                  (DWORD)n, NULL);
    if (!s)
        return mb_fail(MB_EENV, "CreateFileMapping of %zu bytes: %s", len,
                       mb_w32_strerror(GetLastError()));
    void *v = MapViewOfFile(s, FILE_MAP_WRITE, 0, 0, len);
    if (!v) {
        DWORD err = GetLastError();
        CloseHandle(s);
        return mb_fail(MB_EENV, "MapViewOfFile of %zu bytes: %s", len, mb_w32_strerror(err));
    }
    g->section = (intptr_t)s;
    g->view = v;
    g->view_len = len;
    return 0;
}

int mb_growth_remap(struct mb_growth_file *g, size_t len)
{
    (void)g, (void)len;
    return mb_fail(MB_EUNSUPPORTED, "%s", mb_growth_remap_unsupported());
}

int mb_growth_unmap(struct mb_growth_file *g)
{
    DWORD err = 0;
    if (g->view && !UnmapViewOfFile(g->view))
        err = GetLastError();
    if (g->section != -1 && !CloseHandle((HANDLE)g->section) && !err)
        err = GetLastError();
    g->view = NULL;
    g->view_len = 0;
    g->section = -1;
    return err ? mb_fail(MB_EENV, "UnmapViewOfFile: %s", mb_w32_strerror(err)) : 0;
}

int mb_growth_append(struct mb_growth_file *g, const void *buf, size_t len)
{
    LARGE_INTEGER zero = {.QuadPart = 0};
    if (!SetFilePointerEx(FILE_HANDLE(g), zero, NULL, FILE_END))
        return mb_fail(MB_EENV, "SetFilePointerEx to the end: %s",
                       mb_w32_strerror(GetLastError()));
    const uint8_t *p = buf;
    while (len > 0) {
        DWORD want = len > (1u << 30) ? 1u << 30 : (DWORD)len, got = 0;
        if (!WriteFile(FILE_HANDLE(g), p, want, &got, NULL) || got == 0)
            return mb_fail(MB_EENV, "WriteFile of %lu bytes: %s", (unsigned long)want,
                           mb_w32_strerror(GetLastError()));
        p += got;
        len -= got;
    }
    return 0;
}

int mb_growth_size(const struct mb_growth_file *g, uint64_t *size)
{
    LARGE_INTEGER n;
    if (!GetFileSizeEx(FILE_HANDLE(g), &n))
        return mb_fail(MB_EENV, "GetFileSizeEx: %s", mb_w32_strerror(GetLastError()));
    *size = (uint64_t)n.QuadPart;
    return 0;
}

int mb_growth_read(const struct mb_growth_file *g, uint64_t off, void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len > 0) {
        OVERLAPPED ov;
        memset(&ov, 0, sizeof ov);
        ov.Offset = (DWORD)off;
        ov.OffsetHigh = (DWORD)(off >> 32);
        DWORD want = len > (1u << 30) ? 1u << 30 : (DWORD)len, got = 0;
        if (!ReadFile(FILE_HANDLE(g), p, want, &got, &ov))
            return mb_fail(MB_EENV, "ReadFile of %lu bytes at %llu: %s", (unsigned long)want,
                           (unsigned long long)off, mb_w32_strerror(GetLastError()));
        if (got == 0)
            return mb_fail(MB_EENV, "ReadFile at %llu: end of file", (unsigned long long)off);
        p += got;
        len -= got;
        off += got;
    }
    return 0;
}

void mb_growth_close(struct mb_growth_file *g)
{
    (void)mb_growth_unmap(g);
    if (g->fd != -1)
        CloseHandle(FILE_HANDLE(g));
    g->fd = -1;
}
