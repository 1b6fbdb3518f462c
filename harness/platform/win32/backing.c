/* Backing objects of a shared mapping on Windows: a data file
 * (CreateFileMapping over the file) and a section backed by the paging file
 * (CreateFileMapping(INVALID_HANDLE_VALUE, ...)), the article's two cases;
 * private memory is VirtualAlloc. memfd has no Windows twin, and a named
 * paging-file section dies with its last handle, so it is the shared-anon
 * kind with a name: both report unsupported. */
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

void mb_backing_init(struct mb_backing *b, enum mb_backing_kind kind, size_t len,
                     const char *path)
{
    *b = (struct mb_backing){.kind = kind, .len = len, .path = path, .handle = -1,
                             .section = -1};
}

bool mb_backing_has_handle(enum mb_backing_kind kind)
{
    return kind == MB_BACKING_FILE || kind == MB_BACKING_SHARED_ANON;
}

const char *mb_backing_unsupported(enum mb_backing_kind kind)
{
    if (kind == MB_BACKING_MEMFD)
        return "Windows has no memfd; the paging-file section is the shared-anon kind";
    if (kind == MB_BACKING_SHM)
        return "a named paging-file section dies with its last handle: it is shared-anon with a "
               "name, and cannot be read back after close";
    return NULL;
}

/* Keeps what mb_w32_map_* opened in *b, handle by handle. */
static void keep(struct mb_backing *b, const struct mb_w32_map *m)
{
    b->handle = m->file == INVALID_HANDLE_VALUE ? -1 : (intptr_t)m->file;
    b->section = (intptr_t)m->mapping;
    b->base = m->view;
}

int mb_backing_create(struct mb_backing *b)
{
    const char *why = mb_backing_unsupported(b->kind);
    if (why)
        return mb_fail(MB_EUNSUPPORTED, "%s", why);
    struct mb_w32_map m = {0};
    int rc = 0;
    if (b->kind == MB_BACKING_PRIVATE_ANON) {
        b->base = VirtualAlloc(NULL, b->len, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        return b->base ? 0 : mb_fail(MB_EENV, "VirtualAlloc: %s", mb_w32_strerror(GetLastError()));
    }
    /* A mapping larger than its (empty) file grows the file: the ftruncate. */
    if (b->kind == MB_BACKING_FILE)
        rc = mb_w32_map_file(b->path, 0, b->len, MB_W32_MAP_WRITE, &m);
    else
        rc = mb_w32_map_pagefile(NULL, b->len, false, &m, NULL);
    if (!rc)
        keep(b, &m);
    return rc;
}

int mb_backing_unmap(struct mb_backing *b)
{
    if (!b->base)
        return 0;
    BOOL ok = b->kind == MB_BACKING_PRIVATE_ANON ? VirtualFree(b->base, 0, MEM_RELEASE)
                                                 : UnmapViewOfFile(b->base);
    b->base = NULL;
    return ok ? 0 : mb_fail(MB_EENV, "unmapping: %s", mb_w32_strerror(GetLastError()));
}

int mb_backing_close(struct mb_backing *b)
{
    BOOL ok = TRUE;
    if (b->section != -1 && b->section != 0)
        ok = CloseHandle((HANDLE)b->section) && ok;
    if (b->handle != -1)
        ok = CloseHandle((HANDLE)b->handle) && ok;
    b->section = b->handle = -1;
    return ok ? 0 : mb_fail(MB_EENV, "CloseHandle: %s", mb_w32_strerror(GetLastError()));
}

int mb_backing_durable(const struct mb_backing *b)
{
    if (b->kind != MB_BACKING_FILE)
        return mb_fail(MB_EUNSUPPORTED, "only a file is made durable");
    HANDLE h;
    int rc = mb_w32_open(b->path, MB_W32_OPEN_WRITE, &h);
    if (rc)
        return rc;
    BOOL ok = FlushFileBuffers(h);
    DWORD err = GetLastError();
    CloseHandle(h);
    return ok ? 0 : mb_fail(MB_EENV, "FlushFileBuffers %s: %s", b->path, mb_w32_strerror(err));
}

int mb_backing_read_back(const struct mb_backing *b, uint64_t off, void *buf, size_t n)
{
    if (b->kind != MB_BACKING_FILE)
        return mb_fail(MB_EUNSUPPORTED, "nothing to reopen once unmapped and closed");
    HANDLE h;
    int rc = mb_w32_open(b->path, 0, &h);
    if (rc)
        return rc;
    size_t got = 0;
    while (got < n && !rc) {
        OVERLAPPED ov = {0};
        uint64_t at = off + got;
        ov.Offset = (DWORD)at;
        ov.OffsetHigh = (DWORD)(at >> 32);
        DWORD want = n - got > (1u << 30) ? (1u << 30) : (DWORD)(n - got), r = 0;
        if (!ReadFile(h, (char *)buf + got, want, &r, &ov))
            rc = mb_fail(MB_EENV, "read back at %llu: %s", (unsigned long long)at,
                         mb_w32_strerror(GetLastError()));
        else if (r == 0)
            rc = mb_fail(MB_EENV, "read back at %llu: end of file", (unsigned long long)at);
        got += r;
    }
    CloseHandle(h);
    return rc;
}

void mb_backing_release(struct mb_backing *b)
{
    mb_backing_unmap(b);
    mb_backing_close(b);
}
