/* Memory limits through a child memory cgroup (memlimit.h). The cgroup is
 * made under the process's own one, so that every limit above still
 * applies, and named mmbench-<pid>: a run killed with SIGKILL leaves an
 * empty one, which the next run with that pid removes. Leaving it runs from
 * a signal handler too, so the paths and the pid text are prepared on entry
 * and leaving uses only getpid, open, write, close and rmdir.
 *
 * cgroup v2 gives a child the memory controller only through its parent's
 * cgroup.subtree_control, and outside the root a cgroup that hands out a
 * controller may hold no process of its own. So where the own cgroup does
 * not hand out memory yet, the process first moves into the new child,
 * which leaves the own cgroup empty when mmbench was alone in it (the root
 * cgroup is exempt), then enables the controller there, and on leaving
 * disables it again before it moves back: a non-root cgroup that hands out
 * a controller could not take the process back. A cgroup that other
 * processes share is refused with that reason. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/exit_hook.h"
#include "mmbench/memlimit.h"
#include "mmbench/platform.h"

#define PATH_LEN 1024

static struct {
    volatile sig_atomic_t active;
    /* Only the process that made the cgroup undoes it: a forked child
     * inherits this state and its exit hook. */
    pid_t owner;
    /* v2: memory was enabled in the own cgroup's subtree_control by this
     * process and must be disabled before the process can move back. */
    volatile sig_atomic_t handed_out;
    char dir[PATH_LEN];         /* the cgroup made */
    char back[PATH_LEN];        /* cgroup.procs of the one the process came from */
    char subtree[PATH_LEN];     /* cgroup.subtree_control of that one */
    char usage[PATH_LEN + 32];  /* what the cgroup is charged */
    char pid[32];               /* "<pid>\n" */
    char where[PATH_LEN + 16];
} L;

/* Writes `text` to the control file `path`; returns 0 or errno.
 * Async-signal-safe. */
static int put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    size_t n = strlen(text);
    int err = write(fd, text, n) == (ssize_t)n ? 0 : errno;
    if (close(fd) != 0 && !err)
        err = errno;
    return err;
}

/* Writes a control file of the cgroup being made, by name. */
static int put_in(const char *name, const char *text)
{
    char path[PATH_LEN + 64];
    snprintf(path, sizeof path, "%s/%s", L.dir, name);
    return put(path, text);
}

/* Moves the process back into the cgroup it came from, first taking back
 * the controller it handed out there; returns 0 or errno.
 * Async-signal-safe. */
static int move_back(void)
{
    int err = L.handed_out ? put(L.subtree, "-memory") : 0;
    if (!err)
        L.handed_out = 0;
    int moved = put(L.back, L.pid);
    return err ? err : moved;
}

/* Moves the process back and removes the cgroup; async-signal-safe. */
static int undo(void)
{
    int err = move_back();
    if (rmdir(L.dir) != 0 && !err)
        err = errno;
    return err;
}

static void exit_hook(void)
{
    if (L.active && getpid() == L.owner) {
        L.active = 0;
        undo();
    }
}

/* Errors that mean "not allowed here" rather than "broken". */
static bool refused(int err)
{
    return err == EACCES || err == EPERM || err == EROFS || err == ENOENT;
}

/* ---- where the hierarchies are -------------------------------------------- */

/* True if comma-separated `list` holds `item`. */
static bool has_item(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

/* The mount point and mount root of the cgroup hierarchy: cgroup2 when
 * `v2`, else the v1 hierarchy holding the memory controller. Returns 0 or
 * MB_EUNSUPPORTED. */
static int find_mount(bool v2, char *mnt, size_t mlen, char *root, size_t rlen)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (!f)
        return mb_fail(MB_EUNSUPPORTED, "cannot read /proc/self/mountinfo: %s", strerror(errno));
    char line[4096];
    int rc = mb_fail(MB_EUNSUPPORTED, v2 ? "no cgroup2 mount" : "no cgroup v1 memory mount");
    while (fgets(line, sizeof line, f)) {
        char r[PATH_LEN], m[PATH_LEN], type[64], opts[1024];
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(line, "%*s %*s %*s %1023s %1023s", r, m) != 2 ||
            sscanf(dash + 3, "%63s %*s %1023s", type, opts) != 2)
            continue;
        if (v2 ? strcmp(type, "cgroup2") != 0
               : strcmp(type, "cgroup") != 0 || !has_item(opts, "memory"))
            continue;
        snprintf(mnt, mlen, "%s", m);
        snprintf(root, rlen, "%s", r);
        rc = 0;
        break;
    }
    fclose(f);
    return rc;
}

/* The process's cgroup path in the hierarchy: "0::/x" for v2, the line
 * naming "memory" for v1. Returns 0 or MB_EUNSUPPORTED. */
static int own_cgroup(bool v2, char *path, size_t len)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (!f)
        return mb_fail(MB_EUNSUPPORTED, "cannot read /proc/self/cgroup: %s", strerror(errno));
    char line[4096];
    int rc = mb_fail(MB_EUNSUPPORTED, "this process is in no %s cgroup", v2 ? "v2" : "v1 memory");
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c1 = *c2 = '\0';
        bool match = v2 ? strcmp(line, "0") == 0 && c1[1] == '\0' : has_item(c1 + 1, "memory");
        if (match) {
            snprintf(path, len, "%s", c2 + 1);
            rc = 0;
            break;
        }
    }
    fclose(f);
    return rc;
}

/* The directory of the process's own cgroup in hierarchy v2 or v1 into
 * `dir`. Returns 0 or MB_EUNSUPPORTED. */
static int own_dir(bool v2, char *dir, size_t len)
{
    char mnt[PATH_LEN], root[PATH_LEN], path[PATH_LEN];
    int rc = find_mount(v2, mnt, sizeof mnt, root, sizeof root);
    rc = rc ? rc : own_cgroup(v2, path, sizeof path);
    if (rc)
        return rc;
    size_t rl = strcmp(root, "/") == 0 ? 0 : strlen(root);
    /* A cgroup outside the mounted subtree (a container's view) has no
     * directory here. */
    if (strncmp(path, root, rl) != 0 || (path[rl] != '/' && path[rl] != '\0'))
        return mb_fail(MB_EUNSUPPORTED, "this process's cgroup %s is outside the mount at %s", path,
                       mnt);
    int n = snprintf(dir, len, "%s%s", mnt, strcmp(path + rl, "/") == 0 ? "" : path + rl);
    return n > 0 && (size_t)n < len ? 0 : mb_fail(MB_EUNSUPPORTED, "cgroup path too long");
}

/* ---- making the cgroup ----------------------------------------------------- */

/* True if the first line of `path` names `word` as a whole item of a
 * space-separated list. */
static bool file_lists(const char *path, const char *word)
{
    char buf[512];
    FILE *f = fopen(path, "r");
    bool got = f && fgets(buf, sizeof buf, f);
    if (f)
        fclose(f);
    if (!got)
        return false;
    size_t n = strlen(word);
    for (char *p = buf; (p = strstr(p, word)) != NULL; p += n)
        if ((p == buf || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
            return true;
    return false;
}

/* The v2 parent must have the memory controller to hand out. */
static int v2_check_memory(const char *parent)
{
    char path[PATH_LEN + 64];
    snprintf(path, sizeof path, "%s/cgroup.controllers", parent);
    return file_lists(path, "memory")
               ? 0
               : mb_fail(MB_EUNSUPPORTED, "the memory controller is not available in %s", parent);
}

/* Hands the memory controller to the children of the own cgroup where it
 * does not yet: from inside the new cgroup, so that the own one holds no
 * process of this one (see the top of this file). Only the root cgroup has
 * no cgroup.type, and only there may the controller stay handed out. */
static int v2_hand_out_memory(const char *parent)
{
    if (file_lists(L.subtree, "memory"))
        return 0;
    int err = put_in("cgroup.procs", L.pid);
    if (err)
        return mb_fail(refused(err) ? MB_EUNSUPPORTED : MB_EENV, "moving into %s: %s", L.dir,
                       strerror(err));
    char type[PATH_LEN + 16];
    snprintf(type, sizeof type, "%s/cgroup.type", parent);
    /* Set first, so that a signal right after the write takes it back. */
    L.handed_out = access(type, F_OK) == 0;
    err = put(L.subtree, "+memory");
    if (err)
        L.handed_out = 0;
    if (err == EBUSY)
        return mb_fail(MB_EUNSUPPORTED, "%s holds other processes than this one, and cgroup v2 "
                       "lets a cgroup give its children the memory controller only when it holds "
                       "none (run mmbench alone in a cgroup, e.g. systemd-run --scope)", parent);
    if (err)
        return mb_fail(refused(err) ? MB_EUNSUPPORTED : MB_EENV, "%s = +memory: %s", L.subtree,
                       strerror(err));
    return 0;
}

/* mkdir of L.dir; an empty cgroup of the same name is what a killed run
 * with this pid left, and is replaced. */
static int make_dir(void)
{
    if (mkdir(L.dir, 0755) == 0)
        return 0;
    int err = errno;
    if (err == EEXIST && rmdir(L.dir) == 0 && mkdir(L.dir, 0755) == 0)
        return 0;
    if (err == EEXIST)
        err = errno;
    return mb_fail(refused(err) ? MB_EUNSUPPORTED : MB_EENV, "mkdir %s: %s", L.dir, strerror(err));
}

/* Sets the limit in the new cgroup and moves the process in. */
static int limit_and_move(bool v2, uint64_t bytes)
{
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)bytes);
    const char *limit = v2 ? "memory.max" : "memory.limit_in_bytes";
    int err = put_in(limit, num);
    if (err)
        return mb_fail(refused(err) ? MB_EUNSUPPORTED : MB_EENV, "%s/%s = %s: %s", L.dir, limit,
                       num, strerror(err));
    /* Anonymous memory must not escape the limit into swap; where swap is
     * not accounted the file is absent, and nothing can escape anyway. */
    err = v2 ? put_in("memory.swap.max", "0") : put_in("memory.memsw.limit_in_bytes", num);
    if (err && err != ENOENT)
        return mb_fail(MB_EENV, "%s: limiting swap: %s", L.dir, strerror(err));
    err = put_in("cgroup.procs", L.pid);
    if (err)
        return mb_fail(refused(err) ? MB_EUNSUPPORTED : MB_EENV, "moving into %s: %s", L.dir,
                       strerror(err));
    return 0;
}

/* Makes the cgroup in hierarchy v2 or v1 and moves in. Returns 0, or an
 * error with nothing left behind. */
static int try_version(bool v2, uint64_t bytes)
{
    char parent[PATH_LEN - 64]; /* room for the names below */
    int rc = own_dir(v2, parent, sizeof parent);
    rc = rc || !v2 ? rc : v2_check_memory(parent);
    if (rc)
        return rc;
    snprintf(L.dir, sizeof L.dir, "%s/mmbench-%ld", parent, (long)getpid());
    snprintf(L.back, sizeof L.back, "%s/cgroup.procs", parent);
    snprintf(L.subtree, sizeof L.subtree, "%s/cgroup.subtree_control", parent);
    L.handed_out = 0;
    snprintf(L.usage, sizeof L.usage, "%s/%s", L.dir,
             v2 ? "memory.current" : "memory.usage_in_bytes");
    snprintf(L.where, sizeof L.where, "cgroup %s %s", v2 ? "v2" : "v1", L.dir);
    if ((rc = make_dir()) != 0)
        return rc;
    /* Registered before the move, so that a signal from here on undoes it. */
    rc = mb_exit_hook_add(exit_hook);
    if (!rc) {
        L.active = 1;
        rc = v2 ? v2_hand_out_memory(parent) : 0;
        rc = rc ? rc : limit_and_move(v2, bytes);
    }
    if (rc) {
        L.active = 0;
        undo();
    }
    return rc;
}

int mb_memlimit_enter(uint64_t bytes)
{
    if (L.active)
        return mb_fail(MB_EUSAGE, "a memory limit is already in force (%s)", L.where);
    L.owner = getpid();
    snprintf(L.pid, sizeof L.pid, "%ld\n", (long)L.owner);
    char why2[512];
    int rc = try_version(true, bytes);
    if (rc != MB_EUNSUPPORTED)
        return rc;
    snprintf(why2, sizeof why2, "%s", mb_last_error());
    rc = try_version(false, bytes);
    if (rc == MB_EUNSUPPORTED) {
        char why1[512];
        snprintf(why1, sizeof why1, "%s", mb_last_error());
        return mb_fail(MB_EUNSUPPORTED, "no writable memory cgroup (v2: %s; v1: %s)", why2, why1);
    }
    return rc;
}

void mb_memlimit_leave(void)
{
    if (!L.active || getpid() != L.owner)
        return;
    L.active = 0;
    int err = move_back(), rm = 0;
    /* The kernel may still be releasing the last task reference. */
    for (int i = 0; i < 50; i++) {
        rm = rmdir(L.dir) == 0 ? 0 : errno;
        if (rm != EBUSY)
            break;
        mb_sleep_ns(10000000);
    }
    if (err || rm)
        fprintf(stderr, "mmbench: the memory cgroup %s could not be %s: %s\n", L.dir,
                err ? "left" : "removed", strerror(err ? err : rm));
}

bool mb_memlimit_active(void)
{
    return L.active != 0;
}

int mb_memlimit_usage(uint64_t *bytes)
{
    if (!L.active)
        return mb_fail(MB_EUNSUPPORTED, "no memory limit in force");
    int fd = open(L.usage, O_RDONLY | O_CLOEXEC);
    char buf[32];
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return mb_fail(MB_EUNSUPPORTED, "cannot read %s", L.usage);
    buf[n] = '\0';
    *bytes = strtoull(buf, NULL, 10);
    return 0;
}
