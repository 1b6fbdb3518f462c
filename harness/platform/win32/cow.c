/* Copy-on-write views on Windows: a section of the file (CreateFileMapping)
 * viewed with FILE_MAP_COPY (private copies, the file never changes) or
 * FILE_MAP_WRITE (writes reach the file), at an offset that is a multiple of
 * the allocation granularity; demand-zero private memory (VirtualAlloc) as
 * the baseline; PageFaultCount as the fault count. Windows has no fork. */
#include <string.h>

#define PSAPI_VERSION 2 /* GetProcessMemoryInfo from kernel32 (K32...), no psapi.dll */
#include "win32.h"
#include <psapi.h>

#include "mmbench/cow.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"

int mb_cow_map_anon(struct mb_cow_view *v, size_t len)
{
    void *p = VirtualAlloc(NULL, len, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!p)
        return mb_fail(MB_EENV, "VirtualAlloc (%zu bytes): %s", len,
                       mb_w32_strerror(GetLastError()));
    v->base = p;
    return 0;
}

int mb_cow_map_file(struct mb_cow_view *v, const char *path, bool shared, uint64_t offset,
                    size_t len)
{
    struct mb_w32_map m;
    int rc = mb_w32_map_file(path, offset, len, shared ? MB_W32_MAP_WRITE : MB_W32_MAP_COPY,
                             &m);
    if (rc)
        return rc;
    v->base = m.view;
    v->file = (intptr_t)m.file;
    v->section = (intptr_t)m.mapping;
    return 0;
}

/* The mapping.c view behind a file view. */
static struct mb_w32_map as_w32(const struct mb_cow_view *v)
{
    return (struct mb_w32_map){.file = (HANDLE)v->file, .mapping = (HANDLE)v->section,
                               .view = v->base, .offset = v->offset, .len = v->len};
}

const char *mb_cow_view_name(enum mb_cow_kind kind)
{
    switch (kind) {
    case MB_COW_FILE_PRIVATE:
        return "FILE_MAP_COPY";
    case MB_COW_FILE_SHARED:
        return "FILE_MAP_WRITE";
    case MB_COW_ANON_PRIVATE:
        break;
    }
    return "VirtualAlloc";
}

int mb_cow_flush(const struct mb_cow_view *v)
{
    if (!v->base || v->kind != MB_COW_FILE_SHARED)
        return 0;
    struct mb_w32_map m = as_w32(v);
    return mb_w32_map_flush(&m);
}

void mb_cow_unmap(struct mb_cow_view *v)
{
    if (v->base && v->kind == MB_COW_ANON_PRIVATE) {
        VirtualFree(v->base, 0, MEM_RELEASE);
    } else if (v->base) {
        struct mb_w32_map m = as_w32(v);
        (void)mb_w32_unmap(&m);
    }
    memset(v, 0, sizeof *v);
}

const char *mb_cow_faults_unsupported(void)
{
    if (mb_w32_wine_version())
        return "Wine's PageFaultCount (GetProcessMemoryInfo) always reads 0";
    return NULL;
}

int mb_cow_faults(uint64_t *faults)
{
    const char *why = mb_cow_faults_unsupported();
    if (why)
        return mb_fail(MB_EUNSUPPORTED, "%s", why);
    PROCESS_MEMORY_COUNTERS pmc;
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc))
        return mb_fail(MB_EUNSUPPORTED, "GetProcessMemoryInfo: %s",
                       mb_w32_strerror(GetLastError()));
    *faults = pmc.PageFaultCount;
    return 0;
}

const char *mb_cow_fork_unsupported(void)
{
    return "Windows has no fork(): a new process never starts with its parent's private "
           "pages, so there is no page shared until the child writes it (a FILE_MAP_COPY "
           "view in another process is a copy of its own)";
}
