/* File mappings the Win32 way, as the article describes them: CreateFile,
 * CreateFileMapping (the section), MapViewOfFile (a view of it at an offset
 * that is a multiple of the allocation granularity), FlushViewOfFile +
 * FlushFileBuffers for durability, and mappings backed by the paging file
 * (CreateFileMapping on INVALID_HANDLE_VALUE). */
#include <string.h>

#include "mmbench/cow.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

static void close_handles(struct mb_w32_map *m)
{
    if (m->mapping)
        CloseHandle(m->mapping);
    if (m->file && m->file != INVALID_HANDLE_VALUE)
        CloseHandle(m->file);
    m->mapping = NULL;
    m->file = INVALID_HANDLE_VALUE;
}

int mb_w32_map_file(const char *path, uint64_t offset, size_t len, unsigned flags,
                    struct mb_w32_map *m)
{
    memset(m, 0, sizeof *m);
    m->file = INVALID_HANDLE_VALUE;
    int rc = mb_view_offset_check(offset); /* Windows would say ERROR_MAPPED_ALIGNMENT */
    if (rc)
        return rc;
    bool write = flags & MB_W32_MAP_WRITE, copy = flags & MB_W32_MAP_COPY;
    unsigned open_flags = (write ? MB_W32_OPEN_WRITE : 0) |
                          (flags & MB_W32_MAP_RANDOM ? MB_W32_OPEN_RANDOM : 0);
    rc = mb_w32_open(path, open_flags, &m->file);
    if (rc)
        return rc;
    LARGE_INTEGER size;
    if (!GetFileSizeEx(m->file, &size)) {
        rc = mb_fail(MB_EENV, "GetFileSizeEx %s: %s", path, mb_w32_strerror(GetLastError()));
        goto fail;
    }
    uint64_t fsize = (uint64_t)size.QuadPart;
    if (len == 0) {
        if (offset >= fsize) {
            rc = mb_fail(MB_EUSAGE, "offset %llu is at or beyond the end of %s (%llu bytes)",
                         (unsigned long long)offset, path, (unsigned long long)fsize);
            goto fail;
        }
        if (fsize - offset > SIZE_MAX) {
            rc = mb_fail(MB_ENOMEM, "%s is too large to map whole", path);
            goto fail;
        }
        len = (size_t)(fsize - offset);
    }
    uint64_t end = offset + len;
    /* A section's size is fixed when it is created: a writable one larger
     * than the file grows the file to that size; a read-only one cannot. */
    uint64_t section = end > fsize ? end : 0; /* 0: the file's current size */
    DWORD protect = copy ? PAGE_WRITECOPY : write ? PAGE_READWRITE : PAGE_READONLY;
    m->mapping = CreateFileMappingA(m->file, NULL, protect, (DWORD)(section >> 32),
                                    (DWORD)section, NULL);
    if (!m->mapping) {
        rc = mb_fail(MB_EENV, "CreateFileMapping %s: %s", path, mb_w32_strerror(GetLastError()));
        goto fail;
    }
    DWORD access = copy ? FILE_MAP_COPY : write ? FILE_MAP_WRITE : FILE_MAP_READ;
    m->view = MapViewOfFile(m->mapping, access, (DWORD)(offset >> 32), (DWORD)offset, len);
    if (!m->view) {
        rc = mb_fail(MB_EENV, "MapViewOfFile %s at %llu: %s", path, (unsigned long long)offset,
                     mb_w32_strerror(GetLastError()));
        goto fail;
    }
    m->offset = offset;
    m->len = len;
    return 0;
fail:
    close_handles(m);
    return rc;
}

int mb_w32_map_pagefile(const char *name, size_t len, bool inheritable, struct mb_w32_map *m,
                        bool *existed)
{
    memset(m, 0, sizeof *m);
    m->file = INVALID_HANDLE_VALUE;
    SECURITY_ATTRIBUTES sa = {.nLength = sizeof sa, .bInheritHandle = inheritable};
    uint64_t size = len;
    m->mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE,
                                    (DWORD)(size >> 32), (DWORD)size, name);
    DWORD err = GetLastError();
    if (!m->mapping)
        return mb_fail(MB_EENV, "CreateFileMapping(paging file%s%s): %s", name ? ", " : "",
                       name ? name : "", mb_w32_strerror(err));
    if (existed)
        *existed = err == ERROR_ALREADY_EXISTS;
    m->view = MapViewOfFile(m->mapping, FILE_MAP_WRITE, 0, 0, len);
    if (!m->view) {
        err = GetLastError();
        close_handles(m);
        return mb_fail(MB_EENV, "MapViewOfFile(paging file): %s", mb_w32_strerror(err));
    }
    m->len = len;
    return 0;
}

int mb_w32_map_flush(const struct mb_w32_map *m)
{
    if (!m->view || m->file == INVALID_HANDLE_VALUE)
        return 0;
    /* FlushViewOfFile only starts the writes of dirty pages; the data is
     * durable once FlushFileBuffers has returned. */
    if (!FlushViewOfFile(m->view, m->len))
        return mb_fail(MB_EENV, "FlushViewOfFile: %s", mb_w32_strerror(GetLastError()));
    if (!FlushFileBuffers(m->file)) {
        DWORD err = GetLastError();
        /* A read-only handle cannot be flushed, and has nothing to flush. */
        if (err != ERROR_ACCESS_DENIED)
            return mb_fail(MB_EENV, "FlushFileBuffers: %s", mb_w32_strerror(err));
    }
    return 0;
}

int mb_w32_unmap(struct mb_w32_map *m)
{
    int rc = 0;
    if (m->view && !UnmapViewOfFile(m->view))
        rc = mb_fail(MB_EENV, "UnmapViewOfFile: %s", mb_w32_strerror(GetLastError()));
    m->view = NULL;
    m->len = 0;
    close_handles(m);
    return rc;
}
