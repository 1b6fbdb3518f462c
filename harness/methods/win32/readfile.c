/* ReadFile: one ReadFile call per record from the file pointer, as the
 * article's loop does ("1,000 records = 1,000 I/O operations"), with
 * SetFilePointerEx only when the next record is not where the pointer
 * stands (random order). The handle is opened with FILE_FLAG_RANDOM_ACCESS
 * when readahead is off, so the cache manager reads only what is asked.
 * A cold case (where the bypass is real) opens with FILE_FLAG_NO_BUFFERING
 * instead: every record then costs one read of the aligned sectors that hold
 * it, straight from the device into an aligned bounce buffer (at an explicit
 * OVERLAPPED offset, since consecutive records share sectors), and the
 * record is copied out of it. */
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "mmbench/platform.h"
#include "win32.h"

struct reader {
    HANDLE h;
    uint64_t pos;         /* where the file pointer stands */
    bool uncached;
    struct mb_w32_uncached u;
};

static int readfile_prepare(struct mb_target *t)
{
    struct reader *r = calloc(1, sizeof *r);
    if (!r)
        return mb_fail(MB_ENOMEM, "out of memory");
    r->h = INVALID_HANDLE_VALUE;
    r->uncached = t->cold && mb_w32_uncached_reads_work();
    if (r->uncached) {
        int rc = mb_w32_uncached_init(t->path, &r->u);
        if (rc) {
            free(r);
            return rc;
        }
    }
    t->uncached = r->uncached;
    t->prepared = r;
    return 0;
}

static int readfile_open(struct mb_target *t)
{
    struct reader *r = t->prepared;
    unsigned flags = r->uncached ? MB_W32_OPEN_UNCACHED
                                 : (t->readahead_off ? MB_W32_OPEN_RANDOM : 0);
    int rc = mb_w32_open(t->path, flags, &r->h);
    if (rc)
        return rc;
    r->pos = 0;
    t->priv = r;
    return 0;
}

/* One ReadFile call from the file pointer; *got receives what it delivered. */
static int read_once(struct mb_target *t, HANDLE h, uint64_t off, void *dst, DWORD len, DWORD *got)
{
    t->calls++;
    if (!ReadFile(h, dst, len, got, NULL) && GetLastError() != ERROR_HANDLE_EOF)
        return mb_fail(MB_EENV, "ReadFile at %llu: %s", (unsigned long long)off,
                       mb_w32_strerror(GetLastError()));
    return 0;
}

static int readfile_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    struct reader *r = t->priv;
    if (len > 0x7fffffffu)
        return mb_fail(MB_EUSAGE, "a %zu-byte record is too large for one ReadFile", len);
    DWORD got = 0;
    int rc;
    if (!r->uncached) {
        if (r->pos != off) {
            LARGE_INTEGER to = {.QuadPart = (LONGLONG)off};
            if (!SetFilePointerEx(r->h, to, NULL, FILE_BEGIN))
                return mb_fail(MB_EENV, "SetFilePointerEx to %llu: %s", (unsigned long long)off,
                               mb_w32_strerror(GetLastError()));
        }
        size_t done = 0;
        while (done < len) {
            if ((rc = read_once(t, r->h, off + done, (char *)dst + done, (DWORD)(len - done),
                                &got)))
                return rc;
            if (got == 0)
                return mb_fail(MB_EENV, "ReadFile at %llu: unexpected end of file",
                               (unsigned long long)(off + done));
            done += got;
        }
        r->pos = off + len;
        return 0;
    }
    t->calls++;
    return mb_w32_uncached_read(&r->u, r->h, off, len, dst);
}

static int readfile_close(struct mb_target *t)
{
    struct reader *r = t->priv;
    int rc = 0;
    if (r && r->h != INVALID_HANDLE_VALUE) {
        if (!CloseHandle(r->h))
            rc = mb_fail(MB_EENV, "CloseHandle: %s", mb_w32_strerror(GetLastError()));
        r->h = INVALID_HANDLE_VALUE;
    }
    t->priv = NULL;
    return rc;
}

static void readfile_release(struct mb_target *t)
{
    struct reader *r = t->prepared;
    if (!r)
        return;
    mb_w32_uncached_free(&r->u);
    free(r);
    t->prepared = NULL;
}

const struct mb_method mb_method_ReadFile = {
    .name = "ReadFile",
    .help = "one ReadFile call per record (FILE_FLAG_RANDOM_ACCESS when readahead is off; cold: "
            "FILE_FLAG_NO_BUFFERING, aligned sector reads)",
    .flags = MB_M_COUNTS_CALLS,
    .prepare = readfile_prepare,
    .open = readfile_open,
    .access = readfile_access,
    .close = readfile_close,
    .release = readfile_release,
};
