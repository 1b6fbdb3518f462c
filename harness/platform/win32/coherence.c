/* A file, its views and handle I/O on Win32 (coherence.h): one
 * CreateFileMapping object per file and a MapViewOfFile per view (Windows
 * documents views of one mapping object as coherent), ReadFile / WriteFile
 * with an offset. */
#include <string.h>
#include "win32.h"

#include "mmbench/coherence.h"
#include "mmbench/error.h"

int mb_coh_open(struct mb_coh_file *f, const char *path, size_t len)
{
    HANDLE h;
    f->handle = -1;
    f->mapping = 0;
    f->len = len;
    int rc = mb_w32_open(path, MB_W32_OPEN_WRITE, &h);
    if (rc)
        return rc;
    HANDLE m = CreateFileMappingA(h, NULL, PAGE_READWRITE, 0, 0, NULL);
    if (!m) {
        rc = mb_fail(MB_EENV, "CreateFileMapping %s: %s", path, mb_w32_strerror(GetLastError()));
        CloseHandle(h);
        return rc;
    }
    f->handle = (intptr_t)h;
    f->mapping = (intptr_t)m;
    return 0;
}

int mb_coh_view(struct mb_coh_file *f, void **view)
{
    void *p = MapViewOfFile((HANDLE)f->mapping, FILE_MAP_WRITE, 0, 0, f->len);
    if (!p)
        return mb_fail(MB_EENV, "MapViewOfFile (%zu bytes, write): %s", f->len,
                       mb_w32_strerror(GetLastError()));
    *view = p;
    return 0;
}

void mb_coh_unview(struct mb_coh_file *f, void *view)
{
    (void)f;
    if (view)
        UnmapViewOfFile(view);
}

static OVERLAPPED at(uint64_t off)
{
    OVERLAPPED o;
    memset(&o, 0, sizeof o);
    o.Offset = (DWORD)off;
    o.OffsetHigh = (DWORD)(off >> 32);
    return o;
}

int mb_coh_write(struct mb_coh_file *f, const void *buf, size_t len, uint64_t off)
{
    OVERLAPPED o = at(off);
    DWORD put = 0;
    if (!WriteFile((HANDLE)f->handle, buf, (DWORD)len, &put, &o))
        return mb_fail(MB_EENV, "WriteFile of %zu bytes at %llu: %s", len,
                       (unsigned long long)off, mb_w32_strerror(GetLastError()));
    if (put != len)
        return mb_fail(MB_EENV, "WriteFile at %llu wrote %lu of %zu bytes",
                       (unsigned long long)off, (unsigned long)put, len);
    return 0;
}

int mb_coh_read(struct mb_coh_file *f, void *buf, size_t len, uint64_t off)
{
    OVERLAPPED o = at(off);
    DWORD got = 0;
    if (!ReadFile((HANDLE)f->handle, buf, (DWORD)len, &got, &o))
        return mb_fail(MB_EENV, "ReadFile of %zu bytes at %llu: %s", len,
                       (unsigned long long)off, mb_w32_strerror(GetLastError()));
    if (got != len)
        return mb_fail(MB_EENV, "ReadFile at %llu read %lu of %zu bytes",
                       (unsigned long long)off, (unsigned long)got, len);
    return 0;
}

void mb_coh_close(struct mb_coh_file *f)
{
    if (f->mapping)
        CloseHandle((HANDLE)f->mapping);
    if (f->handle != -1)
        CloseHandle((HANDLE)f->handle);
    f->mapping = 0;
    f->handle = -1;
}
