/* The locks the lostupdates suite's workers share, the Win32 twins: a
 * named mutex stands for the process-shared robust mutex (its name is what
 * lives in the shared memory; WAIT_ABANDONED is EOWNERDEAD), and a
 * LockFileEx lock on one byte beyond any content stands for flock (Windows
 * locks are mandatory: one on the data would block the loads themselves).
 * A whole-file load or save is ReadFile / WriteFile at offset 0. */
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

#define NAME_BYTES 64
#define MAX_OPEN 128

/* This process's handles of the mutexes it uses, by the address of the
 * shared memory holding the name (and the name, which changes when the
 * memory is initialized again). */
static struct {
    const void *at;
    char name[NAME_BYTES];
    HANDLE h;
} opened[MAX_OPEN];

size_t mb_pmutex_size(void)
{
    return NAME_BYTES;
}

static int slot_of(const void *m)
{
    int free_slot = -1;
    for (int i = 0; i < MAX_OPEN; i++) {
        if (opened[i].at == m)
            return i;
        if (!opened[i].at && free_slot < 0)
            free_slot = i;
    }
    return free_slot;
}

static void forget(int i)
{
    if (opened[i].h)
        CloseHandle(opened[i].h);
    memset(&opened[i], 0, sizeof opened[i]);
}

int mb_pmutex_init(void *m)
{
    static unsigned counter;
    int i = slot_of(m);
    if (i < 0)
        return mb_fail(MB_EENV, "more than %d shared mutexes in use", MAX_OPEN);
    forget(i);
    char name[NAME_BYTES];
    snprintf(name, sizeof name, "Local\\mmbench-mutex-%lu-%u", (unsigned long)GetCurrentProcessId(),
             counter++);
    /* This handle keeps the name alive while the memory names it. */
    HANDLE h = CreateMutexA(NULL, FALSE, name);
    if (!h)
        return mb_fail(MB_EENV, "CreateMutex %s: %s", name, mb_w32_strerror(GetLastError()));
    opened[i].at = m;
    opened[i].h = h;
    memcpy(opened[i].name, name, sizeof name);
    memcpy(m, name, sizeof name);
    return 0;
}

/* This process's handle of the mutex named at m, opened on first use. */
static int handle_of(void *m, HANDLE *h)
{
    int i = slot_of(m);
    if (i >= 0 && opened[i].at == m && strncmp(opened[i].name, m, NAME_BYTES) == 0) {
        *h = opened[i].h;
        return 0;
    }
    if (i < 0)
        return mb_fail(MB_EENV, "more than %d shared mutexes in use", MAX_OPEN);
    forget(i);
    char name[NAME_BYTES];
    memcpy(name, m, sizeof name);
    name[NAME_BYTES - 1] = '\0';
    HANDLE o = OpenMutexA(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, name);
    if (!o)
        return mb_fail(MB_EENV, "OpenMutex %s: %s", name, mb_w32_strerror(GetLastError()));
    opened[i].at = m;
    opened[i].h = *h = o;
    memcpy(opened[i].name, name, sizeof name);
    return 0;
}

int mb_pmutex_lock(void *m, bool *owner_died)
{
    HANDLE h;
    *owner_died = false;
    int rc = handle_of(m, &h);
    if (rc)
        return rc;
    DWORD r = WaitForSingleObject(h, INFINITE);
    /* Its owner ended holding it: this thread owns it now (EOWNERDEAD). */
    *owner_died = r == WAIT_ABANDONED;
    if (r != WAIT_OBJECT_0 && r != WAIT_ABANDONED)
        return mb_fail(MB_EENV, "waiting for a mutex: %s", mb_w32_strerror(GetLastError()));
    return 0;
}

int mb_pmutex_consistent(void *m)
{
    (void)m; /* an abandoned Windows mutex is usable again as soon as it is owned */
    return 0;
}

int mb_pmutex_unlock(void *m)
{
    HANDLE h;
    int rc = handle_of(m, &h);
    if (!rc && !ReleaseMutex(h))
        rc = mb_fail(MB_EENV, "ReleaseMutex: %s", mb_w32_strerror(GetLastError()));
    return rc;
}

void mb_pmutex_destroy(void *m)
{
    int i = slot_of(m);
    if (i >= 0 && opened[i].at == m)
        forget(i);
}

/* ---- whole-file loads and saves under an advisory lock --------------------- */

/* The byte a lock is taken on: beyond any content, below mb_lock_take's. */
#define LFILE_LOCK_HIGH 0x20000000u

static HANDLE lf_handle(int fd)
{
    return (HANDLE)_get_osfhandle(fd);
}

int mb_lfile_open(const char *path, int *fd)
{
    HANDLE h;
    *fd = -1;
    int rc = mb_w32_open(path, MB_W32_OPEN_WRITE, &h);
    if (rc)
        return rc;
    if ((*fd = _open_osfhandle((intptr_t)h, _O_RDWR | _O_BINARY)) < 0) {
        CloseHandle(h);
        return mb_fail(MB_EENV, "no C runtime descriptor for %s", path);
    }
    return 0;
}

int mb_lfile_lock(int fd, bool take)
{
    OVERLAPPED ov = {.OffsetHigh = LFILE_LOCK_HIGH};
    BOOL ok = take ? LockFileEx(lf_handle(fd), LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &ov)
                   : UnlockFileEx(lf_handle(fd), 0, 1, 0, &ov);
    return ok ? 0 : mb_fail(MB_EENV, "%s: %s", take ? "LockFileEx" : "UnlockFileEx",
                            mb_w32_strerror(GetLastError()));
}

int mb_lfile_load(int fd, void *buf, size_t cap, size_t *len)
{
    uint8_t *p = buf;
    *len = 0;
    while (*len < cap) {
        OVERLAPPED ov = {.Offset = (DWORD)*len, .OffsetHigh = (DWORD)((uint64_t)*len >> 32)};
        DWORD want = cap - *len > (1u << 30) ? (1u << 30) : (DWORD)(cap - *len), got = 0;
        if (!ReadFile(lf_handle(fd), p + *len, want, &got, &ov)) {
            if (GetLastError() == ERROR_HANDLE_EOF)
                break;
            return mb_fail(MB_EENV, "ReadFile: %s", mb_w32_strerror(GetLastError()));
        }
        if (got == 0)
            break;
        *len += got;
    }
    return 0;
}

int mb_lfile_save(int fd, const void *buf, size_t len)
{
    HANDLE h = lf_handle(fd);
    const uint8_t *p = buf;
    for (size_t done = 0; done < len;) {
        OVERLAPPED ov = {.Offset = (DWORD)done, .OffsetHigh = (DWORD)((uint64_t)done >> 32)};
        DWORD want = len - done > (1u << 30) ? (1u << 30) : (DWORD)(len - done), put = 0;
        if (!WriteFile(h, p + done, want, &put, &ov) || put == 0)
            return mb_fail(MB_EENV, "WriteFile: %s", mb_w32_strerror(GetLastError()));
        done += put;
    }
    LARGE_INTEGER end = {.QuadPart = (LONGLONG)len};
    if (!SetFilePointerEx(h, end, NULL, FILE_BEGIN) || !SetEndOfFile(h))
        return mb_fail(MB_EENV, "cutting the file to %zu bytes: %s", len,
                       mb_w32_strerror(GetLastError()));
    return 0;
}

void mb_lfile_close(int fd)
{
    if (fd >= 0)
        _close(fd);
}
