/* Paths removed at exit and on every terminating signal: scratch files,
 * owner records, temporary result files, the lock of --out and the result
 * set being staged. The tables are fixed-size and preallocated because the
 * signal handler may only call async-signal-safe functions (unlink, rmdir,
 * kill, raw getdents64). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/exit_hook.h"
#include "mmbench/platform.h"
#include "posix.h"

#define MAX_PATHS 128
#define MAX_PATH_LEN 4096

static char paths[MAX_PATHS][MAX_PATH_LEN];
static volatile sig_atomic_t used[MAX_PATHS];
static char stage_dir[MAX_PATH_LEN];
static volatile sig_atomic_t stage_set;
static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t stdout_lost;
volatile sig_atomic_t mb_posix_child_pgid;

/* Every signal whose default action ends the process and that a user, a
 * terminal, a pipe or a resource limit can send. SIGBUS and SIGSEGV are
 * left to the fault guard, which calls mb_cleanup_fatal(). */
static const int terminating[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM, SIGPIPE,
                                  SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGXFSZ};
#define NTERM (sizeof terminating / sizeof terminating[0])

int mb_cleanup_register(const char *path)
{
    if (strlen(path) >= MAX_PATH_LEN)
        return mb_fail(MB_EUSAGE, "path too long: %s", path);
    for (int i = 0; i < MAX_PATHS; i++)
        if (!used[i]) {
            memcpy(paths[i], path, strlen(path) + 1);
            used[i] = 1;
            return 0;
        }
    return mb_fail(MB_ENOMEM, "too many scratch files at once");
}

void mb_cleanup_forget(const char *path)
{
    for (int i = 0; i < MAX_PATHS; i++)
        if (used[i] && strcmp(paths[i], path) == 0) {
            used[i] = 0;
            return;
        }
}

bool mb_cleanup_known(const char *path)
{
    for (int i = 0; i < MAX_PATHS; i++)
        if (used[i] && strcmp(paths[i], path) == 0)
            return true;
    return false;
}

int mb_cleanup_set_dir(const char *dir)
{
    if (!dir) {
        stage_set = 0;
        return 0;
    }
    if (strlen(dir) >= MAX_PATH_LEN)
        return mb_fail(MB_EUSAGE, "path too long: %s", dir);
    stage_set = 0;
    memcpy(stage_dir, dir, strlen(dir) + 1);
    stage_set = 1;
    return 0;
}

#ifdef SYS_getdents64
struct dirent64_raw {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

/* Removes what directory `fd` holds, one level of subdirectories deep (the
 * chart driver's temporary folder), with raw getdents64 because readdir may
 * allocate. Entries removed while listing can hide others: list again until
 * a pass finds nothing. */
static void empty_dir_fd(int fd, int depth)
{
    _Alignas(8) char buf[2048];
    for (int pass = 0; pass < 8; pass++) {
        bool found = false;
        lseek(fd, 0, SEEK_SET);
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
            for (long off = 0; off < n;) {
                struct dirent64_raw *d = (struct dirent64_raw *)(void *)(buf + off);
                off += d->reclen;
                if (strcmp(d->name, ".") == 0 || strcmp(d->name, "..") == 0)
                    continue;
                found = true;
                if (unlinkat(fd, d->name, 0) != 0 && depth > 0) {
                    int sub = openat(fd, d->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    if (sub >= 0) {
                        empty_dir_fd(sub, depth - 1);
                        close(sub);
                        unlinkat(fd, d->name, AT_REMOVEDIR);
                    }
                }
            }
        }
        if (!found)
            return;
    }
}
#endif

static void remove_stage_dir(void)
{
    if (!stage_set)
        return;
#ifdef SYS_getdents64
    int fd = open(stage_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        empty_dir_fd(fd, 1);
        close(fd);
    }
#endif
    rmdir(stage_dir);
    stage_set = 0;
}

/* The exit hooks first (a cgroup left before the files go), then the paths
 * newest first: an owner record is registered before its scratch file, so
 * the scratch file goes first and is never left without its record. */
static void remove_all(void)
{
    mb_exit_hooks_run();
    for (int i = MAX_PATHS - 1; i >= 0; i--)
        if (used[i]) {
            unlink(paths[i]);
            used[i] = 0;
        }
    remove_stage_dir();
}

static void stop_child(void)
{
    pid_t pg = (pid_t)mb_posix_child_pgid;
    if (pg > 0) {
        kill(-pg, SIGKILL);
        /* Every child in the group, not only its leader: a zombie left
         * unreaped here would be handed to whoever reaps orphans. */
        while (waitpid(-pg, NULL, 0) > 0 || errno == EINTR)
            ;
        mb_posix_child_pgid = 0;
    }
}

void mb_cleanup_fatal(int sig)
{
    got_signal = 1;
    stop_child(); /* it may be writing into the staged result set */
    remove_all();
    /* Die of the same signal so the parent sees how we ended. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig);
}

/* A SIGPIPE the kernel raised for our own write to a closed pipe (stdout
 * piped into `head`) is not a request to stop: the write fails with EPIPE,
 * the run finishes and writes its files, and the exit status says that the
 * output was lost. A SIGPIPE sent by another process is. */
static bool pipe_from_own_write(const siginfo_t *si)
{
    return si->si_code == SI_KERNEL || (si->si_code == SI_USER && si->si_pid == getpid());
}

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    if (sig == SIGPIPE && si && pipe_from_own_write(si)) {
        stdout_lost = 1;
        return;
    }
    mb_cleanup_fatal(sig);
}

void mb_cleanup_install(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NTERM; i++)
        sigaddset(&sa.sa_mask, terminating[i]);
    for (size_t i = 0; i < NTERM; i++) {
        /* nohup and `trap '' SIG` ask for the signal to be ignored: keep it so. */
        if (sigaction(terminating[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(terminating[i], &sa, NULL);
    }
    atexit(remove_all);
}

void mb_px_terminating_signals(sigset_t *set)
{
    for (size_t i = 0; i < NTERM; i++)
        sigaddset(set, terminating[i]);
}

void mb_px_cleanup_disown(void)
{
    for (size_t i = 0; i < NTERM; i++) {
        struct sigaction old;
        if (sigaction(terminating[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            signal(terminating[i], SIG_DFL);
    }
    for (int i = 0; i < MAX_PATHS; i++)
        used[i] = 0;
    stage_set = 0;
    mb_posix_child_pgid = 0;
    mb_exit_hooks_forget();
}

void mb_signals_defer(bool defer)
{
    static sigset_t saved;
    if (defer) {
        sigset_t set;
        sigemptyset(&set);
        for (size_t i = 0; i < NTERM; i++)
            sigaddset(&set, terminating[i]);
        sigprocmask(SIG_BLOCK, &set, &saved);
    } else {
        sigprocmask(SIG_SETMASK, &saved, NULL); /* a pending signal is delivered here */
    }
}

bool mb_interrupted(void)
{
    return got_signal != 0;
}

bool mb_stdout_lost(void)
{
    return stdout_lost != 0;
}
