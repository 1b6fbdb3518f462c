/* All-or-nothing result sets (see result_set.h). The lock is a file beside
 * --out, so that it exists before --out does; the OS releases it when its
 * run ends however it ends, which makes any staging directory found under
 * the lock a dead run's leftover. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/result_set.h"

#define STAGE_TAG ".mmbench-new-"
#define LOCK_TAG ".mmbench-lock"
/* Room for "/.<name>.mmbench-new-XXXXXX/samples.csv.tmp.<pid>" and the like. */
#define SUFFIX_ROOM 96
#define NAME_MAX_PORTABLE 255

/* Splits `out` (trailing separators already gone) into its parent ("." when
 * it has none) and its last component. */
static void split_path(const char *out, char *parent, size_t plen, const char **name)
{
    const char *last = NULL;
    for (const char *p = out; *p; p++)
        if (mb_path_is_sep(*p))
            last = p;
    if (!last) {
        snprintf(parent, plen, ".");
        *name = out;
    } else {
        size_t n = last == out ? 1 : (size_t)(last - out);
        snprintf(parent, plen, "%.*s", (int)n, out);
        *name = last + 1;
    }
}

static int normalize(const char *out, char *buf)
{
    size_t n = strlen(out);
    if (n + SUFFIX_ROOM >= MB_PATH_MAX)
        return mb_fail(MB_EUSAGE, "--out is %zu characters long; at most %d fit", n,
                       MB_PATH_MAX - SUFFIX_ROOM - 1);
    memcpy(buf, out, n + 1);
    while (n > 1 && mb_path_is_sep(buf[n - 1]))
        buf[--n] = '\0';
    const char *name;
    char parent[MB_PATH_MAX];
    split_path(buf, parent, sizeof parent, &name);
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return mb_fail(MB_EUSAGE, "--out %s: name a directory to create (not '.', '..' or a root)", out);
    if (strlen(name) + sizeof STAGE_TAG + 8 > NAME_MAX_PORTABLE)
        return mb_fail(MB_EUSAGE, "--out: its last component is %zu characters long; at most %d fit",
                       strlen(name), (int)(NAME_MAX_PORTABLE - sizeof STAGE_TAG - 8));
    return 0;
}

static int first_entry(const char *name, void *arg)
{
    snprintf(arg, 256, "%s", name);
    return 1;
}

/* MB_EUSAGE when `out` exists and is anything but an empty directory. */
static int check_absent_or_empty(const char *out)
{
    if (!mb_path_exists(out))
        return 0;
    char entry[256] = "";
    int rc = mb_dir_each(out, first_entry, entry);
    if (rc < 0)
        return mb_fail(MB_EUSAGE, "--out %s exists and is not a usable directory", out);
    if (rc > 0)
        return mb_fail(MB_EUSAGE, "--out %s already holds %s; choose a new or empty directory", out,
                       entry);
    return 0;
}

/* MB_EUSAGE naming the run that holds the lock file `lock` of `out`. */
static int busy(const char *out, const char *lock)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    long pid = 0;
    if (mb_file_read_all(lock, &buf, &len) == 0 && len) {
        char *t = realloc(buf, len + 1);
        if (t) {
            buf = (uint8_t *)t;
            t[len] = '\0';
            sscanf(t, "mmbench owner record\npid %ld", &pid);
        }
    }
    free(buf);
    char who[48] = "";
    if (pid > 0)
        snprintf(who, sizeof who, " (pid %ld)", pid);
    return mb_fail(MB_EUSAGE, "--out %s is being written by another mmbench run%s; wait for it or "
                   "choose another --out", out, who);
}

static void lock_path(const char *out, char *lock, size_t len)
{
    char parent[MB_PATH_MAX];
    const char *name;
    split_path(out, parent, sizeof parent, &name);
    /* normalize() left room for it */
    if (snprintf(lock, len, "%s/.%s" LOCK_TAG, parent, name) >= (int)len)
        lock[0] = '\0';
}

int mb_result_set_check(const char *out)
{
    char buf[MB_PATH_MAX], dir[MB_PATH_MAX], lock[MB_PATH_MAX];
    int rc = normalize(out, buf);
    if (rc)
        return rc;
    /* A run under way is named before anything else is said about --out:
     * a look at its lock, released at once, changes nothing. */
    lock_path(buf, lock, sizeof lock);
    mb_lock_t probe;
    if (mb_path_exists(lock)) {
        rc = mb_lock_take(lock, false, false, &probe);
        if (rc == 0)
            mb_lock_release(probe, NULL);
        else if (rc == 1 && mb_path_exists(lock))
            return busy(buf, lock);
    }
    if ((rc = check_absent_or_empty(buf)) != 0)
        return rc;
    /* The nearest existing ancestor is where the first directory (or the
     * staging directory) will be created. */
    const char *name;
    split_path(buf, dir, sizeof dir, &name);
    while (!mb_path_exists(dir)) {
        char up[MB_PATH_MAX];
        snprintf(up, sizeof up, "%s", dir);
        split_path(up, dir, sizeof dir, &name);
        if (strcmp(up, dir) == 0)
            break;
    }
    if ((rc = mb_dir_check_writable(dir)) != 0) {
        char why[600];
        snprintf(why, sizeof why, "%s", mb_last_error());
        return mb_fail(MB_EUSAGE, "--out %s cannot be created: %s", out, why);
    }
    return 0;
}

struct stale {
    const char *parent, *prefix;
};

static int remove_entry(const char *name, void *arg)
{
    char p[MB_PATH_MAX + 256];
    snprintf(p, sizeof p, "%s/%s", (const char *)arg, name);
    if (mb_file_remove(p) != 0)
        fprintf(stderr, "mmbench: %s\n", mb_last_error());
    return 0;
}

/* Removes a staging directory and the files in it (only files: a run puts
 * nothing else there). Returns 0 or MB_EENV. */
static int remove_stage(const char *stage)
{
    mb_dir_each(stage, remove_entry, (void *)stage);
    return mb_dir_remove(stage);
}

static int reap_stage(const char *name, void *arg)
{
    const struct stale *s = arg;
    if (strncmp(name, s->prefix, strlen(s->prefix)) != 0)
        return 0;
    char p[MB_PATH_MAX + 256];
    snprintf(p, sizeof p, "%s/%s", s->parent, name);
    if (remove_stage(p) == 0)
        fprintf(stderr, "mmbench: removed %s left by a run that ended without cleaning up\n", p);
    else
        fprintf(stderr, "mmbench: kept %s: %s\n", p, mb_last_error());
    return 0;
}

/* Takes the lock of --out; MB_EUSAGE naming the holder when it is busy. */
static int lock_out(struct mb_result_set *rs)
{
    /* The lock file may be created here: registered in the same step. */
    mb_signals_defer(true);
    int rc = mb_lock_take(rs->lock, true, false, &rs->lock_handle);
    if (rc == 0 && (rc = mb_cleanup_register(rs->lock)) != 0)
        mb_lock_release(rs->lock_handle, NULL);
    mb_signals_defer(false);
    if (rc == 1)
        return busy(rs->out, rs->lock);
    if (rc) {
        /* The first file created beside --out: where that fails (a
         * read-only or virtual filesystem), --out cannot be written. */
        char why[600];
        snprintf(why, sizeof why, "%s", mb_last_error());
        return mb_fail(MB_EUSAGE, "--out %s cannot be created here: %s", rs->out, why);
    }
    rs->locked = true;
    struct mb_owner me;
    char text[160];
    mb_owner_self(&me);
    snprintf(text, sizeof text, "mmbench owner record\npid %ld\nstart %llu\nboot %s\n", me.pid,
             me.start, me.boot[0] ? me.boot : "-");
    return mb_lock_write(rs->lock_handle, text);
}

int mb_result_set_open(struct mb_result_set *rs, const char *out)
{
    memset(rs, 0, sizeof *rs);
    char parent[MB_PATH_MAX], prefix[MB_PATH_MAX + 32];
    const char *name;
    int rc = normalize(out, rs->out);
    if (rc)
        return rc;
    split_path(rs->out, parent, sizeof parent, &name);
    lock_path(rs->out, rs->lock, sizeof rs->lock);
    if ((rc = mb_mkdir_p(parent)) != 0 || (rc = lock_out(rs)) != 0)
        return rc;
    snprintf(prefix, sizeof prefix, ".%s" STAGE_TAG, name);
    struct stale s = {parent, prefix};
    mb_dir_each(parent, reap_stage, &s);
    if ((rc = check_absent_or_empty(rs->out)) != 0)
        return rc;
    snprintf(prefix, sizeof prefix, "%s/.%s" STAGE_TAG, parent, name);
    mb_signals_defer(true);
    if ((rc = mb_dir_create_unique(prefix, &rs->stage)) == 0 &&
        (rc = mb_cleanup_set_dir(rs->stage)) != 0)
        mb_dir_remove(rs->stage);
    mb_signals_defer(false);
    return rc;
}

static int sync_entry(const char *name, void *arg)
{
    char p[MB_PATH_MAX + 256];
    snprintf(p, sizeof p, "%s/%s", (const char *)arg, name);
    return mb_file_sync(p) ? -1 : 0;
}

int mb_result_set_commit(struct mb_result_set *rs)
{
    char parent[MB_PATH_MAX];
    const char *name;
    split_path(rs->out, parent, sizeof parent, &name);
    int rc = mb_dir_each(rs->stage, sync_entry, rs->stage);
    if (rc)
        return rc < 0 ? MB_EENV : rc;
    if ((rc = mb_dir_sync(rs->stage)) != 0 || (rc = mb_dir_commit(rs->stage, rs->out)) != 0)
        return rc;
    rs->committed = true;
    mb_cleanup_set_dir(NULL);
    /* The rename itself is durable once the parent is. */
    return mb_dir_sync(parent);
}

void mb_result_set_close(struct mb_result_set *rs)
{
    if (rs->stage && !rs->committed) {
        if (remove_stage(rs->stage) != 0)
            fprintf(stderr, "mmbench: %s\n", mb_last_error());
        mb_cleanup_set_dir(NULL);
    }
    free(rs->stage);
    rs->stage = NULL;
    if (rs->locked) {
        /* Forgotten first: once removed, the name may be another run's lock,
         * which a signal here must not remove. */
        mb_cleanup_forget(rs->lock);
        mb_lock_release(rs->lock_handle, rs->lock);
    }
    rs->locked = false;
}
