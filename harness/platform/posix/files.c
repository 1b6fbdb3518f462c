/* Scratch files, whole-file reads, atomic commits, directory checks and the
 * locks that keep two runs apart. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "posix.h"

int mb_dir_check_writable(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return mb_fail(MB_EUSAGE, "directory '%s' does not exist (%s)", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return mb_fail(MB_EUSAGE, "'%s' is not a directory", dir);
    if (access(dir, W_OK | X_OK) != 0)
        return mb_fail(MB_EUSAGE, "directory '%s' is not writable (%s)", dir, strerror(errno));
    return 0;
}

const char *mb_default_scratch_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/var/tmp";
}

bool mb_path_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int mb_mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    if (strlen(path) >= sizeof buf)
        return mb_fail(MB_EUSAGE, "path too long (%zu characters; at most %d): %.80s...",
                       strlen(path), PATH_MAX - 1, path);
    strcpy(buf, path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return mb_fail(MB_EUSAGE, "cannot create directory '%s' (%s)", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return mb_fail(MB_EUSAGE, "cannot create directory '%s' (%s)", buf, strerror(errno));
    return mb_dir_check_writable(buf);
}

int mb_file_read_all(const char *path, uint8_t **buf, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return mb_fail(MB_EENV, "fstat %s: %s", path, strerror(errno));
    }
    size_t n = (size_t)st.st_size;
    uint8_t *b = malloc(n ? n : 1);
    if (!b) {
        close(fd);
        return mb_fail(MB_ENOMEM, "out of memory for %zu bytes", n);
    }
    size_t done = 0;
    while (done < n) {
        ssize_t r = read(fd, b + done, n - done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(b);
            close(fd);
            return mb_fail(MB_EENV, "read %s: %s", path, r == 0 ? "short file" : strerror(errno));
        }
        done += (size_t)r;
    }
    close(fd);
    *buf = b;
    *len = n;
    return 0;
}

int mb_file_commit(const char *tmp_path, const char *final_path)
{
    if (rename(tmp_path, final_path) != 0)
        return mb_fail(MB_EENV, "rename %s -> %s: %s", tmp_path, final_path, strerror(errno));
    return 0;
}

int mb_stdio_sync(void *f)
{
    if (fflush((FILE *)f) != 0)
        return mb_fail(MB_EENV, "writing a file failed: %s", strerror(errno));
    if (fsync(fileno((FILE *)f)) != 0)
        return mb_fail(MB_EENV, "making a file durable (fsync): %s", strerror(errno));
    return 0;
}

int mb_stdio_no_readahead(void *f)
{
    int e = posix_fadvise(fileno((FILE *)f), 0, 0, POSIX_FADV_RANDOM);
    return e ? mb_fail(MB_EENV, "posix_fadvise(RANDOM): %s", strerror(e)) : 0;
}

void *mb_fopen_new(const char *path)
{
    /* "x": O_CREAT|O_EXCL, never someone else's file. */
    FILE *f = fopen(path, "wx");
    if (!f)
        mb_fail(MB_EENV, "cannot create %s: %s", path, strerror(errno));
    return f;
}

bool mb_path_is_sep(char c)
{
    return c == '/';
}

int mb_file_sync(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    int rc = fsync(fd) == 0 ? 0 : mb_fail(MB_EENV, "fsync %s: %s", path, strerror(errno));
    close(fd);
    return rc;
}

int mb_file_remove(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return mb_fail(MB_EENV, "cannot remove %s: %s", path, strerror(errno));
    return 0;
}

int mb_dir_create_unique(const char *prefix, char **path_out)
{
    size_t len = strlen(prefix) + 7;
    char *p = malloc(len);
    if (!p)
        return mb_fail(MB_ENOMEM, "out of memory");
    snprintf(p, len, "%sXXXXXX", prefix);
    if (!mkdtemp(p)) {
        int e = errno;
        mb_fail(MB_EENV, "cannot create directory %s: %s", p, strerror(e));
        free(p);
        return MB_EENV;
    }
    /* mkdtemp's 0700 suits a secret, not a result set that becomes --out:
     * give it what mkdir would have (0777 less the umask). */
    mode_t mask = umask(0);
    umask(mask);
    chmod(p, 0777 & ~mask);
    *path_out = p;
    return 0;
}

int mb_dir_sync(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", dir, strerror(errno));
    int rc = 0;
    /* Some filesystems cannot sync a directory (EINVAL): nothing to make durable there. */
    if (fsync(fd) != 0 && errno != EINVAL)
        rc = mb_fail(MB_EENV, "fsync %s: %s", dir, strerror(errno));
    close(fd);
    return rc;
}

int mb_dir_commit(const char *from, const char *to)
{
    if (rename(from, to) == 0)
        return 0;
    int e = errno;
    if (e == ENOTEMPTY || e == EEXIST || e == ENOTDIR)
        return mb_fail(MB_EUSAGE, "%s already exists and is not an empty directory", to);
    return mb_fail(MB_EENV, "rename %s -> %s: %s", from, to, strerror(e));
}

int mb_dir_remove(const char *dir)
{
    if (rmdir(dir) != 0)
        return mb_fail(MB_EENV, "cannot remove directory %s: %s", dir, strerror(errno));
    return 0;
}

int mb_dir_each(const char *dir, int (*fn)(const char *name, void *arg), void *arg)
{
    DIR *d = opendir(dir);
    if (!d)
        return mb_fail(MB_EENV, "cannot list %s: %s", dir, strerror(errno));
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            rc = fn(e->d_name, arg);
    closedir(d);
    return rc;
}

/* True if descriptor `fd` is still the file `path` names: a lock taken on a
 * file another process removed (or replaced) meanwhile protects nothing. */
static bool still_named(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* The lock is a write lock on one byte far beyond any content, held by the
 * open file description (F_OFD_SETLK): released when the process ends,
 * however it ends, and independent of flock(), so that a suite measuring
 * flock on a scratch file (lostupdates) never meets it, and of reads and
 * mappings, which advisory locks do not touch. */
#define LOCK_OFFSET ((off_t)1 << 62)

static int range_lock(int fd, bool wait)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = LOCK_OFFSET;
    fl.l_len = 1;
    int r;
    while ((r = fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl)) != 0 && errno == EINTR)
        ;
    return r;
}

int mb_lock_take(const char *path, bool create, bool wait, mb_lock_t *lock)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | (create ? O_CREAT : 0), 0644);
        if (fd < 0) {
            if (!create && errno == ENOENT)
                return 1; /* gone: whoever removed it held it */
            return mb_fail(MB_EENV, "cannot open lock %s: %s", path, strerror(errno));
        }
        if (range_lock(fd, wait) != 0) {
            int e = errno;
            close(fd);
            if (e == EAGAIN || e == EACCES)
                return 1;
            return mb_fail(MB_EENV, "cannot lock %s: %s", path, strerror(e));
        }
        if (still_named(fd, path)) {
            *lock = fd;
            return 0;
        }
        close(fd);
        if (!create)
            return 1;
    }
    return mb_fail(MB_EENV, "cannot lock %s: it keeps being replaced", path);
}

int mb_lock_write(mb_lock_t lock, const char *text)
{
    int fd = (int)lock;
    size_t n = strlen(text);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, text, n, 0) != (ssize_t)n || fsync(fd) != 0)
        return mb_fail(MB_EENV, "writing an owner record: %s", strerror(errno));
    return 0;
}

void mb_lock_release(mb_lock_t lock, const char *path)
{
    if (path)
        unlink(path);
    close((int)lock);
}

int mb_file_tag_set(const char *path, const char *name, const char *value)
{
    char key[128];
    snprintf(key, sizeof key, "user.%s", name);
    if (setxattr(path, key, value, strlen(value), 0) == 0)
        return 0;
    if (errno == ENOTSUP || errno == EPERM)
        return mb_fail(MB_EUNSUPPORTED, "%s: no extended attributes here (%s)", path,
                       strerror(errno));
    return mb_fail(MB_EENV, "setxattr %s: %s", path, strerror(errno));
}

int mb_file_tag_get(const char *path, const char *name, char *buf, size_t len)
{
    char key[128];
    snprintf(key, sizeof key, "user.%s", name);
    ssize_t n = getxattr(path, key, buf, len - 1);
    if (n < 0)
        return mb_fail(errno == ENOTSUP ? MB_EUNSUPPORTED : MB_EENV, "getxattr %s: %s", path,
                       strerror(errno));
    buf[n] = '\0';
    return 0;
}

/* One loop for both directions: `write` picks the call. */
static int transfer_full(int fd, uint8_t *p, size_t len, uint64_t off, bool write)
{
    while (len > 0) {
        ssize_t n = write ? pwrite(fd, p, len, (off_t)off) : pread(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return mb_fail(MB_EENV, "%s of %zu bytes at %llu: %s", write ? "pwrite" : "pread",
                           len, (unsigned long long)off,
                           n < 0 ? strerror(errno) : write ? "wrote nothing" : "end of file");
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

int mb_px_pread_full(int fd, void *buf, size_t len, uint64_t off)
{
    return transfer_full(fd, buf, len, off, false);
}

int mb_px_pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
    /* pwrite does not write through p: the cast only shares the loop. */
    return transfer_full(fd, (uint8_t *)(uintptr_t)buf, len, off, true);
}
