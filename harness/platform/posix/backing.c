/* Backing objects of a shared mapping: a data file, shared anonymous memory,
 * memfd_create, shm_open and private anonymous memory, each created, sized,
 * mapped, unmapped, closed and released through one set of calls so that the
 * backing suite times the same steps for every kind. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "posix.h"

/* glibc keeps POSIX shared-memory objects as files here; shm_unlink is an
 * unlink of that file, so the cleanup registry (which unlinks paths from its
 * signal handler) can remove an object by this path. */
#define SHM_DIR "/dev/shm"

void mb_backing_init(struct mb_backing *b, enum mb_backing_kind kind, size_t len,
                     const char *path)
{
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->len = len;
    b->path = path;
    b->handle = -1;
    b->section = -1;
}

bool mb_backing_has_handle(enum mb_backing_kind kind)
{
    return kind == MB_BACKING_FILE || kind == MB_BACKING_MEMFD || kind == MB_BACKING_SHM;
}

const char *mb_backing_unsupported(enum mb_backing_kind kind)
{
    struct stat st;
    if (kind == MB_BACKING_SHM && (stat(SHM_DIR, &st) != 0 || !S_ISDIR(st.st_mode)))
        return "no " SHM_DIR ": a named shm object could not be removed on SIGINT";
    return NULL;
}

static void shm_path(const struct mb_backing *b, char *out, size_t n)
{
    snprintf(out, n, "%s%s", SHM_DIR, b->name);
}

/* Creates a shm object with a new name, registered for removal. Signals are
 * blocked from the exclusive create to the registration: an interrupt can
 * neither leave the object behind nor unlink a name someone else created. */
static int shm_create(struct mb_backing *b)
{
    static unsigned serial;
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    int fd = -1, rc = 0;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(b->name, sizeof b->name, "/mmbench-backing-%ld-%u", (long)getpid(), serial++);
        fd = shm_open(b->name, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        rc = mb_fail(MB_EENV, "shm_open %s: %s", b->name, strerror(errno));
    } else {
        char path[96];
        shm_path(b, path, sizeof path);
        if ((rc = mb_cleanup_register(path)) != 0) {
            close(fd);
            shm_unlink(b->name);
            fd = -1;
        }
    }
    b->named = fd >= 0;
    b->handle = fd;
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static int open_object(struct mb_backing *b)
{
    int fd = -1;
    switch (b->kind) {
    case MB_BACKING_FILE:
        fd = open(b->path, O_RDWR | O_CLOEXEC);
        if (fd < 0)
            return mb_fail(MB_EENV, "open %s: %s", b->path, strerror(errno));
        break;
    case MB_BACKING_MEMFD:
        fd = memfd_create("mmbench-backing", MFD_CLOEXEC);
        if (fd < 0)
            return mb_fail(errno == ENOSYS ? MB_EUNSUPPORTED : MB_EENV, "memfd_create: %s",
                           strerror(errno));
        break;
    case MB_BACKING_SHM:
        return shm_create(b);
    default:
        return 0; /* anonymous memory has no object */
    }
    b->handle = fd;
    return 0;
}

int mb_backing_create(struct mb_backing *b)
{
    int rc = open_object(b);
    if (rc)
        return rc;
    int fd = (int)b->handle;
    if (fd >= 0 && ftruncate(fd, (off_t)b->len) != 0)
        return mb_fail(MB_EENV, "ftruncate to %zu bytes: %s", b->len, strerror(errno));
    int flags = b->kind == MB_BACKING_PRIVATE_ANON ? MAP_PRIVATE | MAP_ANONYMOUS
                : b->kind == MB_BACKING_SHARED_ANON ? MAP_SHARED | MAP_ANONYMOUS
                                                    : MAP_SHARED;
    void *p = mmap(NULL, b->len, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (p == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap of %zu bytes: %s", b->len, strerror(errno));
    b->base = p;
    return 0;
}

int mb_backing_unmap(struct mb_backing *b)
{
    if (!b->base)
        return 0;
    int r = munmap(b->base, b->len);
    b->base = NULL;
    return r == 0 ? 0 : mb_fail(MB_EENV, "munmap: %s", strerror(errno));
}

int mb_backing_close(struct mb_backing *b)
{
    if (b->handle < 0)
        return 0;
    int r = close((int)b->handle);
    b->handle = -1;
    return r == 0 ? 0 : mb_fail(MB_EENV, "close: %s", strerror(errno));
}

int mb_backing_durable(const struct mb_backing *b)
{
    if (b->kind != MB_BACKING_FILE)
        return mb_fail(MB_EUNSUPPORTED, "only a file is made durable");
    /* fdatasync writes the inode's dirty pages whichever descriptor asks. */
    int fd = open(b->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", b->path, strerror(errno));
    int r = fdatasync(fd), e = errno;
    close(fd);
    return r == 0 ? 0 : mb_fail(MB_EENV, "fdatasync %s: %s", b->path, strerror(e));
}

int mb_backing_read_back(const struct mb_backing *b, uint64_t off, void *buf, size_t n)
{
    int fd;
    if (b->kind == MB_BACKING_FILE)
        fd = open(b->path, O_RDONLY | O_CLOEXEC);
    else if (b->kind == MB_BACKING_SHM && b->named)
        fd = shm_open(b->name, O_RDONLY, 0);
    else
        return mb_fail(MB_EUNSUPPORTED, "nothing to reopen once unmapped and closed");
    if (fd < 0)
        return mb_fail(MB_EENV, "reopening to read back: %s", strerror(errno));
    int rc = mb_px_pread_full(fd, buf, n, off);
    close(fd);
    return rc;
}

void mb_backing_release(struct mb_backing *b)
{
    mb_backing_unmap(b);
    mb_backing_close(b);
    if (b->named) {
        /* Unlinked before it is forgotten: a signal in between finds it
         * still registered, and unlinking twice is harmless. */
        char path[96];
        shm_path(b, path, sizeof path);
        shm_unlink(b->name);
        mb_cleanup_forget(path);
        b->named = false;
    }
}
