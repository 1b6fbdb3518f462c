/* Child processes: fork + exec into one process
 * group that the terminating-signal handler kills and reaps (cleanup.c,
 * through mb_posix_child_pgid), output through a pipe, the exit seen with
 * waitid(WNOWAIT) so that /proc/PID/io can still be read, then wait4 for
 * the rusage. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/child.h"
#include "child_output.h"
#include "posix.h"

/* Children alive: the group lives while any does. */
static unsigned live;

const char *mb_child_unsupported(void)
{
    return NULL;
}

static bool executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int mb_program_find(const char *name, char *buf, size_t len)
{
    if (strchr(name, '/')) {
        snprintf(buf, len, "%s", name);
        return executable(name) ? 0 : 1;
    }
    const char *path = getenv("PATH");
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        if (n > 0 && (size_t)snprintf(buf, len, "%.*s/%s", (int)n, p, name) < len &&
            executable(buf))
            return 0;
        p += n + (p[n] == ':');
    }
    return 1;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* In the child: default signal handlers (the parent's remove its scratch
 * files), death with the parent, the group, the pipes, then exec. */
static _Noreturn void child_main(char *const argv[], pid_t parent, int in, int out, int keep_fd)
{
    for (int s = 1; s < NSIG; s++)
        signal(s, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)
        _exit(127);
    setpgid(0, (pid_t)mb_posix_child_pgid);
    if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
        dup2(out, STDERR_FILENO) < 0)
        _exit(127);
    if (keep_fd >= 0)
        fcntl(keep_fd, F_SETFD, 0);
    execv(argv[0], argv);
    dprintf(STDERR_FILENO, "cannot execute %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* Writes s to the child's stdin. A child that ends first makes it fail
 * with EPIPE; the SIGPIPE it raises is held and dropped, so that it is not
 * taken for a lost standard output. */
static int write_all(int fd, const char *s)
{
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_set, &old);
    int rc = 0;
    for (size_t n = strlen(s); n > 0;) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = -1;
            break;
        }
        s += w;
        n -= (size_t)w;
    }
    int e = errno;
    struct timespec now = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &now) == SIGPIPE)
        ;
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = e;
    return rc;
}

int mb_child_start(struct mb_child *ch, char *const argv[], const char *input, bool hold,
                   int keep_fd)
{
    int in[2], out[2];
    *ch = (struct mb_child){.pid = 0, .out_fd = -1, .in_fd = -1};
    if (pipe2(in, O_CLOEXEC) != 0)
        return mb_fail(MB_EENV, "pipe: %s", strerror(errno));
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        return mb_fail(MB_EENV, "pipe: %s", strerror(errno));
    }
    /* The fork and the group's registration are one step for a signal. */
    mb_signals_defer(true);
    pid_t parent = getpid();
    ch->start_ns = mb_now_ns();
    pid_t pid = fork();
    if (pid == 0)
        child_main(argv, parent, in[0], out[1], keep_fd);
    int e = errno;
    if (pid > 0) {
        /* Set here too: whichever of the two runs first, the child is in
         * the group before it can exec. */
        setpgid(pid, live ? (pid_t)mb_posix_child_pgid : pid);
        if (!live++)
            mb_posix_child_pgid = pid;
    }
    mb_signals_defer(false);
    close(in[0]);
    close(out[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        return mb_fail(MB_EENV, "fork: %s", strerror(e));
    }
    ch->pid = pid;
    ch->out_fd = out[0];
    ch->in_fd = in[1];
    /* A child that ends before reading its input must not kill us. */
    if (input && write_all(ch->in_fd, input) != 0 && errno != EPIPE) {
        e = errno;
        mb_child_kill(ch);
        return mb_fail(MB_EENV, "writing to %s: %s", argv[0], strerror(e));
    }
    if (!hold)
        close_fd(&ch->in_fd);
    return 0;
}

int mb_child_out_open(const char *path, int *fd)
{
    *fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    return *fd < 0 ? mb_fail(MB_EENV, "cannot open %s: %s", path, strerror(errno)) : 0;
}

int mb_child_out_close(int fd, const char *path, bool executable)
{
    int rc = 0;
    if (executable && fchmod(fd, 0700) != 0)
        rc = mb_fail(MB_EENV, "cannot make %s executable: %s", path, strerror(errno));
    if (close(fd) != 0 && rc == 0)
        rc = mb_fail(MB_EENV, "closing %s: %s", path, strerror(errno));
    return rc;
}

/* read(2) for mb_pipe_read_line / mb_pipe_drain. */
static long fd_read(void *src, char *dst, size_t room)
{
    for (;;) {
        ssize_t r = read(*(const int *)src, dst, room);
        if (r >= 0 || errno != EINTR)
            return (long)r;
    }
}

int mb_child_read_line(struct mb_child *ch, char *buf, size_t len)
{
    return mb_pipe_read_line(fd_read, &ch->out_fd, buf, len);
}

void mb_child_release(struct mb_child *ch)
{
    close_fd(&ch->in_fd);
}

/* /proc/PID/io of an exited, not yet reaped child. */
static void read_io(long pid, struct mb_child_usage *u)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/%ld/io", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    unsigned long long v;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "read_bytes: %llu", &v) == 1)
            u->read_bytes = (double)v;
        else if (sscanf(line, "syscr: %llu", &v) == 1)
            u->read_calls = (double)v;
    }
    fclose(f);
}

static void forget(struct mb_child *ch)
{
    close_fd(&ch->out_fd);
    close_fd(&ch->in_fd);
    ch->pid = 0;
    if (live && !--live)
        mb_posix_child_pgid = 0;
}

int mb_child_finish(struct mb_child *ch, struct mb_child_usage *u, char *out, size_t outlen)
{
    *u = (struct mb_child_usage){.read_bytes = -1, .read_calls = -1, .exit_code = -1};
    if (ch->pid <= 0)
        return mb_fail(MB_EENV, "no child to wait for");
    close_fd(&ch->in_fd);
    mb_pipe_drain(fd_read, &ch->out_fd, out, outlen);
    siginfo_t si;
    int rc = 0;
    while (waitid(P_PID, (id_t)ch->pid, &si, WEXITED | WNOWAIT) != 0)
        if (errno != EINTR) {
            rc = mb_fail(MB_EENV, "waitid: %s", strerror(errno));
            break;
        }
    u->wall_ns = mb_now_ns() - ch->start_ns;
    if (rc == 0)
        read_io(ch->pid, u);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4((pid_t)ch->pid, &status, 0, &ru) < 0)
        if (errno != EINTR) {
            rc = mb_fail(MB_EENV, "wait4: %s", strerror(errno));
            break;
        }
    forget(ch);
    if (rc)
        return rc;
    u->user_ns = (double)ru.ru_utime.tv_sec * 1e9 + (double)ru.ru_utime.tv_usec * 1e3;
    u->sys_ns = (double)ru.ru_stime.tv_sec * 1e9 + (double)ru.ru_stime.tv_usec * 1e3;
    u->major_faults = (double)ru.ru_majflt;
    u->minor_faults = (double)ru.ru_minflt;
    u->inblock = (double)ru.ru_inblock;
    u->maxrss_bytes = (double)ru.ru_maxrss * 1024.0;
    if (WIFEXITED(status))
        u->exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        u->signal = WTERMSIG(status);
    return 0;
}

void mb_child_kill(struct mb_child *ch)
{
    if (ch->pid <= 0)
        return;
    kill((pid_t)ch->pid, SIGKILL);
    while (waitpid((pid_t)ch->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    forget(ch);
}

int mb_child_memory_read(const struct mb_child *ch, struct mb_child_memory *m)
{
    char path[64], line[160];
    snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", ch->pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return errno == ENOENT && ch->pid > 0
                   ? mb_fail(MB_EUNSUPPORTED, "no /proc/PID/smaps_rollup (Linux 4.14+)")
                   : mb_fail(MB_EENV, "cannot read %s: %s", path, strerror(errno));
    unsigned long long kb;
    double priv_clean = -1, priv_dirty = -1;
    *m = (struct mb_child_memory){-1, -1, -1, -1};
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "Rss: %llu kB", &kb) == 1)
            m->rss = (double)kb * 1024;
        else if (sscanf(line, "Pss: %llu kB", &kb) == 1)
            m->pss = (double)kb * 1024;
        else if (sscanf(line, "Shared_Clean: %llu kB", &kb) == 1)
            m->shared_clean = (double)kb * 1024;
        else if (sscanf(line, "Private_Clean: %llu kB", &kb) == 1)
            priv_clean = (double)kb * 1024;
        else if (sscanf(line, "Private_Dirty: %llu kB", &kb) == 1)
            priv_dirty = (double)kb * 1024;
    }
    fclose(f);
    if (m->rss < 0 || m->pss < 0 || m->shared_clean < 0 || priv_clean < 0 || priv_dirty < 0)
        return mb_fail(MB_EENV, "%s lacks Rss, Pss, Shared_Clean or Private_*", path);
    m->private_bytes = priv_clean + priv_dirty;
    return 0;
}
