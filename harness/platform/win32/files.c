/* Scratch files, whole-file reads, atomic commits, directory checks and the
 * stdio helpers, through CreateFile and friends. Paths are the ANSI code
 * page's, as the C runtime's fopen takes them, so that a path works the same
 * for every method. */
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

int mb_w32_open(const char *path, unsigned flags, HANDLE *h)
{
    DWORD access = GENERIC_READ | (flags & MB_W32_OPEN_WRITE ? GENERIC_WRITE : 0);
    DWORD attrs = FILE_ATTRIBUTE_NORMAL;
    if (flags & MB_W32_OPEN_RANDOM)
        attrs |= FILE_FLAG_RANDOM_ACCESS;
    if (flags & MB_W32_OPEN_SEQUENTIAL)
        attrs |= FILE_FLAG_SEQUENTIAL_SCAN;
    if (flags & MB_W32_OPEN_UNCACHED)
        attrs |= FILE_FLAG_NO_BUFFERING;
    HANDLE f = CreateFileA(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, attrs, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return mb_fail(MB_EENV, "CreateFile %s: %s", path, mb_w32_strerror(GetLastError()));
    *h = f;
    return 0;
}

static bool is_sep(char c)
{
    return c == '\\' || c == '/';
}

int mb_dir_check_writable(const char *dir)
{
    DWORD a = GetFileAttributesA(dir);
    if (a == INVALID_FILE_ATTRIBUTES)
        return mb_fail(MB_EUSAGE, "directory '%s' does not exist (%s)", dir,
                       mb_w32_strerror(GetLastError()));
    if (!(a & FILE_ATTRIBUTE_DIRECTORY))
        return mb_fail(MB_EUSAGE, "'%s' is not a directory", dir);
    /* Windows has no access(W_OK) for directories (ACLs decide): create and
     * drop a file of our own, which touches nothing that is not ours. */
    char probe[4096];
    snprintf(probe, sizeof probe, "%s%smmbench-probe-%lu-%llu", dir,
             *dir && is_sep(dir[strlen(dir) - 1]) ? "" : "\\", (unsigned long)GetCurrentProcessId(),
             (unsigned long long)mb_now_ns());
    HANDLE h = CreateFileA(probe, GENERIC_WRITE, 0, NULL, CREATE_NEW,
                           FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return mb_fail(MB_EUSAGE, "directory '%s' is not writable (%s)", dir,
                       mb_w32_strerror(GetLastError()));
    CloseHandle(h);
    return 0;
}

const char *mb_default_scratch_dir(void)
{
    static char dir[MAX_PATH + 1];
    /* %TMP% / %TEMP% / the profile's Temp: a disk directory on Windows. */
    DWORD n = GetTempPathA(sizeof dir, dir);
    if (n == 0 || n >= sizeof dir)
        return ".";
    /* Keep "C:\" but drop the separator of "C:\Users\x\Temp\". */
    if (n > 3 && is_sep(dir[n - 1]))
        dir[n - 1] = '\0';
    return dir;
}

bool mb_path_exists(const char *path)
{
    return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES;
}

static int make_dir(const char *path)
{
    if (CreateDirectoryA(path, NULL))
        return 0;
    DWORD err = GetLastError();
    DWORD a = GetFileAttributesA(path);
    /* Roots and existing directories may report ACCESS_DENIED rather than
     * ALREADY_EXISTS; either way a directory is there. */
    if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY))
        return 0;
    return mb_fail(MB_EUSAGE, "cannot create directory '%s' (%s)", path, mb_w32_strerror(err));
}

int mb_mkdir_p(const char *path)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf)
        return mb_fail(MB_EUSAGE, "bad path: '%s'", path);
    memcpy(buf, path, len + 1);
    /* Skip what cannot be created: a drive ("C:"), a UNC share
     * ("\\server\share") or the leading separators of a rooted path. */
    size_t start = 0;
    if (len >= 2 && buf[1] == ':')
        start = 2;
    if (len >= 2 && is_sep(buf[0]) && is_sep(buf[1])) {
        start = 2;
        for (int parts = 0; start < len && parts < 2; start++)
            if (is_sep(buf[start]))
                parts++;
    }
    while (start < len && is_sep(buf[start]))
        start++;
    for (size_t i = start; i < len; i++) {
        if (!is_sep(buf[i]) || is_sep(buf[i - 1]))
            continue;
        char c = buf[i];
        buf[i] = '\0';
        int rc = make_dir(buf);
        buf[i] = c;
        if (rc)
            return rc;
    }
    int rc = make_dir(buf);
    return rc ? rc : mb_dir_check_writable(buf);
}

/* A name nobody can predict is not needed (CREATE_NEW refuses an existing
 * file); one unlikely to collide saves retries. */
int mb_file_read_all(const char *path, uint8_t **buf, size_t *len)
{
    HANDLE h;
    int rc = mb_w32_open(path, MB_W32_OPEN_SEQUENTIAL, &h);
    if (rc)
        return rc;
    LARGE_INTEGER size;
    if (!GetFileSizeEx(h, &size)) {
        rc = mb_fail(MB_EENV, "GetFileSizeEx %s: %s", path, mb_w32_strerror(GetLastError()));
        CloseHandle(h);
        return rc;
    }
    if ((uint64_t)size.QuadPart > SIZE_MAX - 1) {
        CloseHandle(h);
        return mb_fail(MB_ENOMEM, "%s is too large to read into memory", path);
    }
    size_t n = (size_t)size.QuadPart;
    uint8_t *b = malloc(n ? n : 1);
    if (!b) {
        CloseHandle(h);
        return mb_fail(MB_ENOMEM, "out of memory for %zu bytes", n);
    }
    size_t done = 0;
    while (done < n) {
        DWORD want = n - done > (1u << 30) ? (1u << 30) : (DWORD)(n - done), got = 0;
        BOOL ok = ReadFile(h, b + done, want, &got, NULL);
        if (!ok || got == 0) {
            rc = mb_fail(MB_EENV, "ReadFile %s: %s", path,
                         ok ? "short file" : mb_w32_strerror(GetLastError()));
            free(b);
            CloseHandle(h);
            return rc;
        }
        done += got;
    }
    CloseHandle(h);
    *buf = b;
    *len = n;
    return 0;
}

int mb_file_commit(const char *tmp_path, const char *final_path)
{
    /* rename() on Windows refuses an existing target; MoveFileEx replaces it
     * in one step on the same volume. */
    if (!MoveFileExA(tmp_path, final_path, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        return mb_fail(MB_EENV, "MoveFileEx %s -> %s: %s", tmp_path, final_path,
                       mb_w32_strerror(GetLastError()));
    return 0;
}

int mb_stdio_sync(void *f)
{
    if (fflush((FILE *)f) != 0)
        return mb_fail(MB_EENV, "flushing a file failed");
    HANDLE h = (HANDLE)_get_osfhandle(_fileno((FILE *)f));
    if (h == INVALID_HANDLE_VALUE || !FlushFileBuffers(h))
        return mb_fail(MB_EENV, "FlushFileBuffers: %s", mb_w32_strerror(GetLastError()));
    return 0;
}

void *mb_fopen_new(const char *path)
{
    /* msvcrt's fopen rejects C11's "x" mode; CREATE_NEW is the same
     * promise. Binary mode: files end lines with \n as on Linux, so every
     * reader sees the same bytes. Delete sharing lets an interrupted run's
     * cleanup remove the file while it is still open. */
    HANDLE h = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                           CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        mb_fail(MB_EENV, "cannot create %s: %s", path, mb_w32_strerror(GetLastError()));
        return NULL;
    }
    int fd = _open_osfhandle((intptr_t)h, _O_WRONLY | _O_BINARY);
    if (fd < 0) {
        CloseHandle(h);
        DeleteFileA(path);
        mb_fail(MB_EENV, "cannot create %s: no C runtime descriptor left", path);
        return NULL;
    }
    FILE *f = _fdopen(fd, "wb");
    if (!f) {
        _close(fd);
        DeleteFileA(path);
        mb_fail(MB_EENV, "cannot create %s: no stdio stream left", path);
    }
    return f;
}

int mb_stdio_no_readahead(void *stream)
{
    FILE *f = stream;
    int fd = _fileno(f);
    HANDLE h = (HANDLE)_get_osfhandle(fd);
    if (h == INVALID_HANDLE_VALUE)
        return mb_fail(MB_EENV, "the stream has no Win32 handle");
    /* A handle's caching hints are fixed when it is opened: open the same
     * file again with FILE_FLAG_RANDOM_ACCESS and put the new handle under
     * the stream's descriptor. Only valid before the first read (the new
     * handle starts at offset 0), which is when fread's open calls it. */
    HANDLE r = ReOpenFile(h, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                          FILE_FLAG_RANDOM_ACCESS);
    if (r == INVALID_HANDLE_VALUE)
        return mb_fail(MB_EENV, "ReOpenFile(FILE_FLAG_RANDOM_ACCESS): %s",
                       mb_w32_strerror(GetLastError()));
    int nfd = _open_osfhandle((intptr_t)r, _O_RDONLY | _O_BINARY);
    if (nfd < 0) {
        CloseHandle(r);
        return mb_fail(MB_EENV, "no C runtime descriptor left");
    }
    int rc = _dup2(nfd, fd);
    _close(nfd);
    return rc == 0 ? 0 : mb_fail(MB_EENV, "_dup2 of the random-access handle failed");
}

bool mb_path_is_sep(char c)
{
    return is_sep(c);
}

int mb_file_sync(const char *path)
{
    HANDLE h = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return mb_fail(MB_EENV, "open %s: %s", path, mb_w32_strerror(GetLastError()));
    BOOL ok = FlushFileBuffers(h);
    DWORD err = GetLastError();
    CloseHandle(h);
    return ok ? 0 : mb_fail(MB_EENV, "FlushFileBuffers %s: %s", path, mb_w32_strerror(err));
}

int mb_file_remove(const char *path)
{
    if (DeleteFileA(path) || GetLastError() == ERROR_FILE_NOT_FOUND)
        return 0;
    return mb_fail(MB_EENV, "cannot remove %s: %s", path, mb_w32_strerror(GetLastError()));
}

int mb_dir_create_unique(const char *prefix, char **path_out)
{
    size_t len = strlen(prefix) + 24;
    char *p = malloc(len);
    if (!p)
        return mb_fail(MB_ENOMEM, "out of memory");
    for (int attempt = 0; attempt < 100; attempt++) {
        snprintf(p, len, "%s%lu%04x", prefix, (unsigned long)GetCurrentProcessId(),
                 (unsigned)((mb_now_ns() + (uint64_t)attempt) & 0xffff));
        if (CreateDirectoryA(p, NULL)) {
            *path_out = p;
            return 0;
        }
        if (GetLastError() != ERROR_ALREADY_EXISTS)
            break;
    }
    mb_fail(MB_EENV, "cannot create directory %s: %s", p, mb_w32_strerror(GetLastError()));
    free(p);
    return MB_EENV;
}

int mb_dir_sync(const char *dir)
{
    (void)dir; /* NTFS journals metadata; a directory cannot be flushed */
    return 0;
}

int mb_dir_commit(const char *from, const char *to)
{
    /* MoveFileEx cannot replace a directory: an empty one is removed first. */
    DWORD a = GetFileAttributesA(to);
    if (a != INVALID_FILE_ATTRIBUTES && (!(a & FILE_ATTRIBUTE_DIRECTORY) || !RemoveDirectoryA(to)))
        return mb_fail(MB_EUSAGE, "%s already exists and is not an empty directory", to);
    if (!MoveFileExA(from, to, MOVEFILE_WRITE_THROUGH))
        return mb_fail(MB_EENV, "MoveFileEx %s -> %s: %s", from, to,
                       mb_w32_strerror(GetLastError()));
    return 0;
}

int mb_dir_remove(const char *dir)
{
    if (!RemoveDirectoryA(dir))
        return mb_fail(MB_EENV, "cannot remove directory %s: %s", dir,
                       mb_w32_strerror(GetLastError()));
    return 0;
}

int mb_dir_each(const char *dir, int (*fn)(const char *name, void *arg), void *arg)
{
    char pattern[4200];
    WIN32_FIND_DATAA d;
    snprintf(pattern, sizeof pattern, "%s\\*", dir);
    HANDLE h = FindFirstFileA(pattern, &d);
    if (h == INVALID_HANDLE_VALUE)
        return GetLastError() == ERROR_FILE_NOT_FOUND
                   ? 0
                   : mb_fail(MB_EENV, "cannot list %s: %s", dir, mb_w32_strerror(GetLastError()));
    int rc = 0;
    do {
        if (strcmp(d.cFileName, ".") != 0 && strcmp(d.cFileName, "..") != 0)
            rc = fn(d.cFileName, arg);
    } while (rc == 0 && FindNextFileA(h, &d));
    FindClose(h);
    return rc;
}

/* The lock is a byte range far beyond any content: Windows locks are
 * mandatory, and one on the data would block the run's own reads. */
#define LOCK_OFFSET_HIGH 0x40000000u

int mb_lock_take(const char *path, bool create, bool wait, mb_lock_t *lock)
{
    /* An existing file (a scratch file its run is still writing) is opened
     * for reading only: enough to lock it, and compatible with the writer's
     * sharing; a lock file this call creates is written (mb_lock_write). */
    HANDLE h = CreateFileA(path, GENERIC_READ | (create ? GENERIC_WRITE : 0),
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           create ? OPEN_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD err = GetLastError();
        if (!create && (err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND))
            return 1;
        return mb_fail(MB_EENV, "cannot open lock %s: %s", path, mb_w32_strerror(err));
    }
    OVERLAPPED ov = {0};
    ov.OffsetHigh = LOCK_OFFSET_HIGH;
    DWORD flags = LOCKFILE_EXCLUSIVE_LOCK | (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);
    if (!LockFileEx(h, flags, 0, 1, 0, &ov)) {
        DWORD err = GetLastError();
        CloseHandle(h);
        if (err == ERROR_LOCK_VIOLATION || err == ERROR_IO_PENDING)
            return 1;
        return mb_fail(MB_EENV, "cannot lock %s: %s", path, mb_w32_strerror(err));
    }
    *lock = (mb_lock_t)h;
    return 0;
}

int mb_lock_write(mb_lock_t lock, const char *text)
{
    HANDLE h = (HANDLE)lock;
    DWORD n = (DWORD)strlen(text), done = 0;
    LARGE_INTEGER zero = {0};
    if (!SetFilePointerEx(h, zero, NULL, FILE_BEGIN) || !SetEndOfFile(h) ||
        !WriteFile(h, text, n, &done, NULL) || done != n || !FlushFileBuffers(h))
        return mb_fail(MB_EENV, "writing an owner record: %s", mb_w32_strerror(GetLastError()));
    return 0;
}

void mb_lock_release(mb_lock_t lock, const char *path)
{
    if (path)
        DeleteFileA(path); /* shared for delete: gone when the handle closes */
    CloseHandle((HANDLE)lock);
}

int mb_file_tag_set(const char *path, const char *name, const char *value)
{
    (void)value;
    return mb_fail(MB_EUNSUPPORTED, "%s: no owner tag for %s on Windows", path, name);
}

int mb_file_tag_get(const char *path, const char *name, char *buf, size_t len)
{
    (void)buf;
    (void)len;
    return mb_fail(MB_EUNSUPPORTED, "%s: no owner tag for %s on Windows", path, name);
}
