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
