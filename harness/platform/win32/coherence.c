/* The coherence suite's file, views, handle I/O, threads and shared memory
 * on Win32: one CreateFileMapping object per file and a MapViewOfFile per
 * view (Windows documents views of one mapping object as coherent),
 * ReadFile / WriteFile with an offset, CreateThread, and a paging-file
 * section whose inheritable handle the re-launched worker processes
 * (mb_workers_start) inherit. */
#include <stdlib.h>
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

struct mb_coh_thread {
    HANDLE h;
    int (*fn)(void *);
    void *arg;
    int rc;
};

static DWORD WINAPI thread_main(LPVOID p)
{
    struct mb_coh_thread *t = p;
    t->rc = t->fn(t->arg);
    return 0;
}

int mb_coh_thread_start(struct mb_coh_thread **out, int (*fn)(void *arg), void *arg)
{
    struct mb_coh_thread *t = calloc(1, sizeof *t);
    if (!t)
        return mb_fail(MB_ENOMEM, "out of memory");
    t->fn = fn;
    t->arg = arg;
    t->h = CreateThread(NULL, 0, thread_main, t, 0, NULL);
    if (!t->h) {
        int rc = mb_fail(MB_EENV, "CreateThread: %s", mb_w32_strerror(GetLastError()));
        free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int mb_coh_thread_join(struct mb_coh_thread *t)
{
    int rc = WaitForSingleObject(t->h, INFINITE) == WAIT_OBJECT_0
                 ? t->rc
                 : mb_fail(MB_EENV, "waiting for a thread: %s", mb_w32_strerror(GetLastError()));
    CloseHandle(t->h);
    free(t);
    return rc;
}

void mb_coh_yield(void)
{
    SwitchToThread();
}

int mb_coh_shared_create(struct mb_coh_shared *s, size_t len)
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

int mb_coh_shared_attach(struct mb_coh_shared *s, intptr_t handle, size_t len)
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

void mb_coh_shared_release(struct mb_coh_shared *s)
{
    if (s->base)
        UnmapViewOfFile(s->base);
    if (s->handle != -1)
        CloseHandle((HANDLE)s->handle);
    s->base = NULL;
    s->handle = -1;
}
