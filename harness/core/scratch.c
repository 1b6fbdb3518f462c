/* Scratch files, portably: exclusive creation (mb_fopen_new), a random
 * suffix retried on collision, content from a fill function, durability
 * (mb_stdio_sync), registration for removal at exit and on signals, and an
 * owner record. The run keeps each scratch file locked while it lives and
 * tags it with who it is; a run that can lock a tagged file whose owner is
 * gone knows it was left by a run killed before it could clean up (SIGKILL,
 * power loss) and removes it. Pid, start time and boot id are all recorded
 * because pids repeat: in every new PID namespace the run is pid 1 or 2.
 * The lock alone decides while the owner lives, so a run in another PID
 * namespace, whose pids mean nothing here, is never mistaken for dead. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/workload.h"

#define OWNER_TAG "mmbench.owner"
#define MAX_OWNED 64

static struct {
    char *path; /* NULL when the slot is free */
    mb_lock_t lock;
} owned[MAX_OWNED];

static void random_suffix(char *out, size_t n)
{
    static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    static uint64_t state;
    /* Only uniqueness matters, and the exclusive create guarantees it; the
     * seed just makes collisions (and so retries) rare across processes. */
    if (!state)
        state = mb_now_ns() ^ (uint64_t)(uintptr_t)&state;
    for (size_t i = 0; i < n; i++)
        out[i] = chars[mb_rand_next(&state) % (sizeof chars - 1)];
    out[n] = '\0';
}

static void owner_release(const char *path)
{
    for (int i = 0; i < MAX_OWNED; i++)
        if (owned[i].path && strcmp(owned[i].path, path) == 0) {
            mb_lock_release(owned[i].lock, NULL);
            free(owned[i].path);
            owned[i].path = NULL;
        }
}

/* Locks the new scratch file `path` for this run's lifetime and tags it
 * with its owner. A filesystem without tags still gets its file (it just
 * cannot be recognised after a crash). Returns 0 or an MB_E* code. */
static int owner_claim(const char *path)
{
    int slot = -1;
    for (int i = 0; i < MAX_OWNED && slot < 0; i++)
        if (!owned[i].path)
            slot = i;
    char *copy = slot < 0 ? NULL : strdup(path);
    if (!copy)
        return mb_fail(MB_ENOMEM, "too many scratch files at once");
    /* Waits: a run reaping stale files may hold it for a moment, and leaves
     * it alone because it is not tagged yet. */
    int rc = mb_lock_take(path, false, true, &owned[slot].lock);
    if (rc) {
        free(copy);
        return rc < 0 ? rc : mb_fail(MB_EENV, "%s vanished while it was created", path);
    }
    owned[slot].path = copy;
    struct mb_owner me;
    char text[160];
    mb_owner_self(&me);
    snprintf(text, sizeof text, "pid %ld start %llu boot %s", me.pid, me.start,
             me.boot[0] ? me.boot : "-");
    /* Without tags (Windows, an old tmpfs) the file is still usable; it just
     * cannot be recognised after a crash, so the lock serves nothing and is
     * not kept (on Windows it would be one more handle on a measured file). */
    rc = mb_file_tag_set(path, OWNER_TAG, text);
    if (rc == MB_EUNSUPPORTED)
        owner_release(path);
    return rc == MB_EUNSUPPORTED ? 0 : rc;
}

/* Opens a new scratch file "<dir>/mmbench-<tag>-XXXXXX", registered,
 * locked and tagged. Returns the stream (path in `path`) or NULL with
 * mb_fail set. */
static FILE *open_new(const char *dir, const char *tag, char *path, size_t len)
{
    enum { ATTEMPTS = 100 };
    size_t dlen = strlen(dir);
    /* '/' separates on Windows too. */
    const char *sep = dlen && (dir[dlen - 1] == '/' || dir[dlen - 1] == '\\') ? "" : "/";
    FILE *f = NULL;
    for (int attempt = 0; attempt < ATTEMPTS && !f; attempt++) {
        char suffix[8];
        random_suffix(suffix, 6);
        snprintf(path, len, "%s%smmbench-%s-%s", dir, sep, tag, suffix);
        /* Created and registered as one step, or a signal between the two
         * would leave the file behind. */
        mb_signals_defer(true);
        f = mb_fopen_new(path);
        if (f && mb_cleanup_register(path) != 0) {
            fclose(f);
            remove(path);
            mb_signals_defer(false);
            return NULL;
        }
        mb_signals_defer(false);
        if (!f && !mb_path_exists(path))
            break; /* not a name collision: retrying cannot help */
    }
    if (!f) {
        char why[400];
        snprintf(why, sizeof why, "%s", mb_last_error());
        mb_fail(MB_EUSAGE, "cannot create a scratch file in '%s' (%s)", dir, why);
        return NULL;
    }
    if (owner_claim(path) != 0) {
        fclose(f);
        mb_scratch_remove(path);
        return NULL;
    }
    return f;
}

/* MB_EENV naming the scratch file, with why mb_stdio_sync failed. */
static int sync_failed(const char *path)
{
    char why[400];
    snprintf(why, sizeof why, "%s", mb_last_error());
    return mb_fail(MB_EENV, "scratch file %s: %s", path, why);
}

int mb_scratch_create(const char *dir, const char *tag, uint64_t size, mb_fill_fn fill,
                      char **path_out)
{
    /* Dirty pages are written out every SYNC_EVERY bytes: under a memory
     * cgroup (--mem-limit) v1 does not throttle a writer, and a file larger
     * than the limit would otherwise fill it with dirty pages that cannot be
     * reclaimed until written, and the kernel kills the run. */
    enum { CHUNK = 1 << 20, SYNC_EVERY = 8 << 20 };
    int rc = mb_dir_check_writable(dir);
    if (rc)
        return rc;
    size_t len = strlen(dir) + strlen(tag) + 32;
    char *path = malloc(len);
    uint8_t *buf = malloc(CHUNK);
    FILE *f = NULL;
    if (!path || !buf || !(f = open_new(dir, tag, path, len))) {
        rc = path && buf ? (strstr(mb_last_error(), "cannot create a scratch") ? MB_EUSAGE : MB_EENV)
                         : mb_fail(MB_ENOMEM, "out of memory");
        free(buf);
        free(path);
        return rc;
    }
    /* Unbuffered, so each chunk reaches the kernel as one aligned write: a
     * stdio buffer would send it as a block-sized head and the rest, and the
     * page cache would hold the file in smaller folios than a copy made with
     * aligned writes (cp, dd bs=1M, fio's layout) leaves, which every mapped
     * and read pass of the file then measures. */
    setvbuf(f, NULL, _IONBF, 0);
    for (uint64_t off = 0; off < size;) {
        size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
        fill(buf, off, n);
        if (fwrite(buf, 1, n, f) != n) {
            rc = mb_fail(MB_EENV, "writing scratch file %s failed: %s", path, strerror(errno));
            goto fail;
        }
        off += n;
        if (off % SYNC_EVERY == 0 && off < size && (rc = mb_stdio_sync(f)) != 0) {
            rc = sync_failed(path);
            goto fail;
        }
    }
    /* Durable before any cold repetition: eviction drops only clean pages,
     * and an uncached read must find the bytes on the device. */
    if ((rc = mb_stdio_sync(f)) != 0) {
        rc = sync_failed(path);
        goto fail;
    }
    int closed = fclose(f);
    f = NULL;
    if (closed != 0) {
        rc = mb_fail(MB_EENV, "closing scratch file %s failed: %s", path, strerror(errno));
        goto fail;
    }
    free(buf);
    *path_out = path;
    return 0;
fail:
    if (f)
        fclose(f);
    mb_scratch_remove(path);
    free(buf);
    free(path);
    return rc;
}

void mb_scratch_remove(const char *path)
{
    /* Only a path mb_scratch_create() registered: never someone else's
     * file. Removed before it is forgotten, so a signal in between cannot
     * leave it behind; its lock goes last. */
    if (mb_cleanup_known(path)) {
        remove(path);
        mb_cleanup_forget(path);
        owner_release(path);
    }
}

void mb_scratch_unlock(const char *path)
{
    owner_release(path);
}

/* True if the file at `path` carries an owner record, into *o. */
static bool tagged_owner(const char *path, struct mb_owner *o)
{
    char text[160];
    memset(o, 0, sizeof *o);
    if (mb_file_tag_get(path, OWNER_TAG, text, sizeof text) != 0 ||
        sscanf(text, "pid %ld start %llu boot %39s", &o->pid, &o->start, o->boot) != 3)
        return false;
    if (strcmp(o->boot, "-") == 0)
        o->boot[0] = '\0';
    return true;
}

struct reap {
    const char *dir;
    int removed;
};

static int reap_one(const char *name, void *arg)
{
    struct reap *r = arg;
    if (strncmp(name, "mmbench-", 8) != 0)
        return 0;
    char path[4200];
    struct mb_owner o;
    snprintf(path, sizeof path, "%s/%s", r->dir, name);
    mb_lock_t lock;
    if (mb_lock_take(path, false, false, &lock) != 0)
        return 0; /* locked: its run is alive (or it is not a file) */
    /* No tag: not provably a dead run's file, so not ours to remove. */
    if (!tagged_owner(path, &o) || mb_owner_alive(&o)) {
        mb_lock_release(lock, NULL);
        return 0;
    }
    if (mb_file_remove(path) == 0) {
        fprintf(stderr, "mmbench: removed %s, left by a run that ended without cleaning up "
                "(pid %ld)\n", path, o.pid);
        r->removed++;
    } else {
        fprintf(stderr, "mmbench: stale scratch file kept: %s\n", mb_last_error());
    }
    mb_lock_release(lock, NULL);
    return 0;
}

int mb_scratch_reap(const char *dir)
{
    struct reap r = {dir, 0};
    mb_dir_each(dir, reap_one, &r);
    return r.removed;
}
