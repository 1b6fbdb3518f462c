/* Scratch files, whole-file reads, atomic commits and directory checks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

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
        return mb_fail(MB_EUSAGE, "path too long: %s", path);
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
    if (fflush((FILE *)f) != 0 || fsync(fileno((FILE *)f)) != 0)
        return mb_fail(MB_EENV, "making a file durable: %s", strerror(errno));
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
