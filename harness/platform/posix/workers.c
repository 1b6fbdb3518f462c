/* Worker processes started together and released by one barrier (the
 * lostupdates suite), the process-shared robust mutex they share through a
 * mapping, and the whole-file loads and saves they make, with or without
 * flock. Every worker lives in one process group of its own, so that the
 * parent can kill them all at once on any exit path and reap each. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "posix.h"
#include "mmbench/worker_kind.h"

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSTOP (sizeof stop_signals / sizeof stop_signals[0])

/* The group the signal handler must kill and reap: one at a time. */
static struct mb_workers *volatile live;
static struct sigaction saved[NSTOP];

const char *mb_workers_unsupported(void)
{
    return NULL;
}

static void reap_all_now(struct mb_workers *w)
{
    for (unsigned i = 0; i < w->n; i++)
        if (w->pid[i] > 0) {
            while (waitpid((pid_t)w->pid[i], NULL, 0) < 0 && errno == EINTR)
                ;
            w->pid[i] = 0;
        }
}

/* Async-signal-safe: the workers must not outlive an interrupted parent,
 * then the usual cleanup (scratch files) runs and the process dies. */
static void on_stop(int sig)
{
    struct mb_workers *w = live;
    if (w && w->pgid > 0) {
        kill(-(pid_t)w->pgid, SIGKILL);
        reap_all_now(w);
    }
    for (size_t i = 0; i < NSTOP; i++)
        if (stop_signals[i] == sig && saved[i].sa_handler != SIG_DFL &&
            saved[i].sa_handler != SIG_IGN) {
            saved[i].sa_handler(sig);
            return;
        }
    mb_cleanup_fatal(sig);
}

static void guard_signals(struct mb_workers *w)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigfillset(&sa.sa_mask);
    live = w;
    for (size_t i = 0; i < NSTOP; i++)
        sigaction(stop_signals[i], &sa, &saved[i]);
}

static void unguard_signals(void)
{
    if (!live)
        return;
    for (size_t i = 0; i < NSTOP; i++)
        sigaction(stop_signals[i], &saved[i], NULL);
    live = NULL;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* A worker: leaves the parent's signal handlers and forgets its scratch
 * files and exit hooks (which would remove and undo the parent's), dies
 * with the parent, joins the group, waits for the barrier to open (EOF on
 * the go pipe), works, reports, and ends without atexit handlers. */
static _Noreturn void worker_main(struct mb_workers *w, unsigned i, const int go[2],
                                  const int done[2], const sigset_t *mask, pid_t parent,
                                  int (*fn)(void *, unsigned), void *arg)
{
    mb_px_cleanup_disown();
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)
        _exit(3);
    setpgid(0, i == 0 ? 0 : (pid_t)w->pgid);
    sigprocmask(SIG_SETMASK, mask, NULL);
    close(go[1]);
    close(done[0]);
    char c;
    while (read(go[0], &c, 1) < 0 && errno == EINTR)
        ;
    int rc = fn(arg, i);
    if (rc == 0)
        while (write(done[1], "d", 1) < 0 && errno == EINTR)
            ;
    _exit(rc == 0 ? 0 : 1);
}

static int fork_all(struct mb_workers *w, unsigned n, const int go[2], const int done[2],
                    const sigset_t *old, int (*fn)(void *, unsigned), void *arg)
{
    pid_t parent = getpid();
    for (unsigned i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0)
            return mb_fail(MB_EENV, "fork of worker %u: %s", i, strerror(errno));
        if (pid == 0)
            worker_main(w, i, go, done, old, parent, fn, arg);
        if (i == 0)
            w->pgid = pid;
        /* Both sides set the group, so that it exists before the next
         * fork and before any kill of it. */
        setpgid(pid, (pid_t)w->pgid);
        w->pid[i] = pid;
        w->n = i + 1;
    }
    return 0;
}

int mb_workers_start(struct mb_workers *w, unsigned n, const struct mb_worker_kind *k,
                     void *arg)
{
    memset(w, 0, sizeof *w);
    w->go_fd = w->done_fd = -1;
    w->started = true;
    if (n == 0 || n > MB_WORKERS_MAX)
        return mb_fail(MB_EUSAGE, "%u workers: 1 to %d", n, MB_WORKERS_MAX);
    int go[2], done[2];
    if (pipe2(go, O_CLOEXEC) != 0)
        return mb_fail(MB_EENV, "pipe: %s", strerror(errno));
    if (pipe2(done, O_CLOEXEC) != 0) {
        int e = errno;
        close(go[0]), close(go[1]);
        return mb_fail(MB_EENV, "pipe: %s", strerror(e));
    }
    /* No terminating signal between a fork and the worker's own handlers. */
    sigset_t block, old;
    sigemptyset(&block);
    mb_px_terminating_signals(&block);
    sigprocmask(SIG_BLOCK, &block, &old);
    guard_signals(w);
    int rc = fork_all(w, n, go, done, &old, k->fn, arg);
    close(go[0]);
    close(done[1]);
    w->go_fd = go[1];
    w->done_fd = done[0];
    if (rc)
        mb_workers_kill(w);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int mb_workers_go(struct mb_workers *w, uint64_t timeout_ns)
{
    close_fd(&w->go_fd);
    uint64_t deadline = mb_now_ns() + timeout_ns;
    char buf[MB_WORKERS_MAX];
    while (w->done < w->n) {
        uint64_t now = mb_now_ns();
        if (now >= deadline)
            return mb_fail(MB_EENV, "%u of %u workers had not finished after %.0f s",
                           w->n - w->done, w->n, (double)timeout_ns / 1e9);
        uint64_t left_ms = (deadline - now) / 1000000u + 1;
        struct pollfd pfd = {.fd = w->done_fd, .events = POLLIN};
        int ready = poll(&pfd, 1, left_ms > 60000 ? 60000 : (int)left_ms);
        if (ready < 0 && errno != EINTR)
            return mb_fail(MB_EENV, "poll on the workers' pipe: %s", strerror(errno));
        if (ready <= 0)
            continue;
        ssize_t got = read(w->done_fd, buf, sizeof buf);
        if (got == 0)
            break; /* every worker has ended: some without reporting */
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return mb_fail(MB_EENV, "reading the workers' pipe: %s", strerror(errno));
        w->done += (unsigned)got;
    }
    return 0;
}

int mb_workers_reap(struct mb_workers *w)
{
    int rc = 0;
    w->cpu_ns = 0;
    for (unsigned i = 0; i < w->n && !rc; i++) {
        int st;
        struct rusage ru;
        pid_t got;
        while ((got = wait4((pid_t)w->pid[i], &st, 0, &ru)) < 0 && errno == EINTR)
            ;
        if (got < 0) {
            rc = mb_fail(MB_EENV, "waiting for worker %u: %s", i, strerror(errno));
            break;
        }
        w->pid[i] = 0;
        w->exit_code[i] = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        w->signal[i] = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
        w->cpu_ns += (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
                     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
    }
    mb_workers_kill(w);
    return rc;
}

void mb_workers_kill(struct mb_workers *w)
{
    if (w->pgid > 0) {
        for (unsigned i = 0; i < w->n; i++)
            if (w->pid[i] > 0) {
                kill(-(pid_t)w->pgid, SIGKILL);
                break;
            }
        reap_all_now(w);
        w->pgid = 0;
    }
    if (live == w)
        unguard_signals();
    /* A zeroed group holds 0 in both, which is stdin, not its own. */
    if (w->started) {
        close_fd(&w->go_fd);
        close_fd(&w->done_fd);
    }
    w->started = false;
}

void mb_worker_die_now(void)
{
    kill(getpid(), SIGKILL);
    _exit(9); /* not reached */
}

void mb_sleep_ns(uint64_t ns)
{
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000u), .tv_nsec = (long)(ns % 1000000000u)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

size_t mb_pmutex_size(void)
{
    return sizeof(pthread_mutex_t);
}

int mb_pmutex_init(void *m)
{
    pthread_mutexattr_t a;
    int e = pthread_mutexattr_init(&a);
    if (!e)
        e = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    if (!e)
        e = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (!e)
        e = pthread_mutex_init(m, &a);
    pthread_mutexattr_destroy(&a);
    if (e == ENOTSUP || e == ENOSYS)
        return mb_fail(MB_EUNSUPPORTED, "process-shared robust mutexes: %s",
                       strerror(e));
    return e ? mb_fail(MB_EENV, "process-shared robust mutex: %s", strerror(e)) : 0;
}

int mb_pmutex_lock(void *m, bool *owner_died)
{
    int e = pthread_mutex_lock(m);
    *owner_died = e == EOWNERDEAD;
    if (e && e != EOWNERDEAD)
        return mb_fail(MB_EENV, "pthread_mutex_lock: %s", strerror(e));
    return 0;
}

int mb_pmutex_consistent(void *m)
{
    int e = pthread_mutex_consistent(m);
    return e ? mb_fail(MB_EENV, "pthread_mutex_consistent: %s", strerror(e)) : 0;
}

int mb_pmutex_unlock(void *m)
{
    int e = pthread_mutex_unlock(m);
    return e ? mb_fail(MB_EENV, "pthread_mutex_unlock: %s", strerror(e)) : 0;
}

void mb_pmutex_destroy(void *m)
{
    pthread_mutex_destroy(m);
}

int mb_lfile_open(const char *path, int *fd)
{
    *fd = open(path, O_RDWR | O_CLOEXEC);
    return *fd < 0 ? mb_fail(MB_EENV, "open %s: %s", path, strerror(errno)) : 0;
}

int mb_lfile_lock(int fd, bool take)
{
    while (flock(fd, take ? LOCK_EX : LOCK_UN) != 0)
        if (errno != EINTR)
            return mb_fail(MB_EENV, "flock: %s", strerror(errno));
    return 0;
}

int mb_lfile_load(int fd, void *buf, size_t cap, size_t *len)
{
    size_t got = 0;
    while (got < cap) {
        ssize_t r = pread(fd, (char *)buf + got, cap - got, (off_t)got);
        if (r == 0)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return mb_fail(MB_EENV, "pread: %s", strerror(errno));
        got += (size_t)r;
    }
    *len = got;
    return 0;
}

int mb_lfile_save(int fd, const void *buf, size_t len)
{
    int rc = mb_px_pwrite_full(fd, buf, len, 0);
    if (rc)
        return rc;
    if (ftruncate(fd, (off_t)len) != 0)
        return mb_fail(MB_EENV, "ftruncate: %s", strerror(errno));
    return 0;
}

void mb_lfile_close(int fd)
{
    if (fd >= 0)
        close(fd);
}
