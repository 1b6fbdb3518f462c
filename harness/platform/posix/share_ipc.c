/* Two processes sharing a mapping (the share suite): a child forked once
 * per case that obtains the mapping by name, by inheritance or as a passed
 * descriptor, and answers every message after checking it. The child dies
 * with its parent (PR_SET_PDEATHSIG) and the parent never waits on it
 * without noticing its death, so no exit path leaves a process or a
 * /dev/shm name behind. */
/* memfd_create, pidfd syscalls and MAP_ANONYMOUS need _GNU_SOURCE, which
 * the build defines. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "posix.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* The first page of the mapping: the hand-over words and the
 * process-shared synchronisation objects; messages follow it. */
struct ctl {
    _Atomic uint32_t req_word, ack_word; /* futex words: low 32 bits of the sequence */
    _Atomic uint64_t req_seq, ack_seq;
    _Atomic uint64_t bad_off;            /* ~0: the last message was right */
    pthread_mutex_t mu;
    pthread_cond_t cv_req, cv_ack;
};

#define CTL_BYTES 4096
#define WAIT_SLICE_NS 200000000L /* how long a wait sleeps before checking the child is alive */
#define BAD_BIT (1ull << 63)

struct mb_peer {
    struct mb_peer_config cfg;
    pid_t pid;
    bool reaped, kicked;
    int sock[2];                /* control (and the socket channel) */
    int req[2], ack[2];         /* pipes: parent -> child, child -> parent */
    int efd_req, efd_ack;
    int memfd;
    uint8_t *region;
    size_t region_len;
    struct ctl *ctl;
    uint8_t *data;
    uint8_t *buf;               /* a channel's message buffer */
    uint64_t seq;
    char shm_name[64], shm_path[80]; /* set while the name exists */
};

const char *mb_share_unsupported(void)
{
    return NULL;
}

size_t mb_peer_region_bytes(size_t msg_bytes)
{
    size_t page = mb_page_size();
    return CTL_BYTES + (msg_bytes + page - 1) / page * page;
}

/* ---- small helpers -------------------------------------------------------- */

static int write_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* 0, or -1 with errno (0 at end of file: the other side is gone). */
static int read_all(int fd, void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = 0;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static long futex(_Atomic uint32_t *word, int op, uint32_t val, const struct timespec *ts)
{
    return syscall(SYS_futex, (uint32_t *)word, op, val, ts, NULL, 0);
}

static bool is_shm(const struct mb_peer *p)
{
    return p->cfg.how != MB_SHARE_NONE;
}

/* ---- the child ------------------------------------------------------------ */

static void child_wait_request(struct mb_peer *p, uint64_t want)
{
    struct ctl *c = p->ctl;
    switch (p->cfg.channel) {
    case MB_CHANNEL_FUTEX:
        for (uint32_t cur; (cur = atomic_load_explicit(&c->req_word, memory_order_acquire)) !=
                           (uint32_t)want;)
            futex(&c->req_word, FUTEX_WAIT, cur, NULL);
        return;
    case MB_CHANNEL_CONDVAR:
        if (pthread_mutex_lock(&c->mu) == EOWNERDEAD)
            pthread_mutex_consistent(&c->mu);
        while (atomic_load(&c->req_seq) != want)
            pthread_cond_wait(&c->cv_req, &c->mu);
        pthread_mutex_unlock(&c->mu);
        return;
    case MB_CHANNEL_EVENTFD: {
        uint64_t v;
        while (atomic_load_explicit(&c->req_seq, memory_order_acquire) != want)
            if (read(p->efd_req, &v, 8) != 8 && errno != EINTR)
                _exit(3);
        return;
    }
    default: {
        uint64_t tok = 0;
        if (read_all(p->req[0], &tok, 8) != 0 || tok != want)
            _exit(3);
        return;
    }
    }
}

static void child_post_ack(struct mb_peer *p, uint64_t seq)
{
    struct ctl *c = p->ctl;
    switch (p->cfg.channel) {
    case MB_CHANNEL_FUTEX:
        atomic_store_explicit(&c->ack_seq, seq, memory_order_release);
        atomic_store_explicit(&c->ack_word, (uint32_t)seq, memory_order_release);
        futex(&c->ack_word, FUTEX_WAKE, 1, NULL);
        return;
    case MB_CHANNEL_CONDVAR:
        if (pthread_mutex_lock(&c->mu) == EOWNERDEAD)
            pthread_mutex_consistent(&c->mu);
        atomic_store(&c->ack_seq, seq);
        pthread_cond_signal(&c->cv_ack);
        pthread_mutex_unlock(&c->mu);
        return;
    case MB_CHANNEL_EVENTFD: {
        uint64_t one = 1;
        atomic_store_explicit(&c->ack_seq, seq, memory_order_release);
        if (write(p->efd_ack, &one, 8) != 8)
            _exit(3);
        return;
    }
    default:
        atomic_store_explicit(&c->ack_seq, seq, memory_order_release);
        if (write_all(p->ack[1], &seq, 8) != 0)
            _exit(3);
        return;
    }
}

/* Answers messages until killed: each one is checked where it arrived (in
 * the mapping, or read into the child's buffer) before the reply. */
static _Noreturn void child_serve(struct mb_peer *p)
{
    size_t len = p->cfg.msg_bytes, bad = 0;
    int in = p->cfg.channel == MB_CHANNEL_PIPE ? p->req[0] : p->sock[1];
    int out = p->cfg.channel == MB_CHANNEL_PIPE ? p->ack[1] : p->sock[1];
    for (uint64_t want = 1;; want++) {
        if (is_shm(p)) {
            child_wait_request(p, want);
            bool ok = mb_share_msg_check(p->data, len, want, &bad) == 0;
            atomic_store(&p->ctl->bad_off, ok ? MB_SHARE_MSG_OK : (uint64_t)bad);
            child_post_ack(p, want);
            continue;
        }
        if (read_all(in, p->buf, len) != 0)
            _exit(errno ? 3 : 0);
        uint64_t reply = want;
        if (mb_share_msg_check(p->buf, len, want, &bad) != 0)
            reply |= BAD_BIT | ((uint64_t)bad << 32);
        if (write_all(out, &reply, 8) != 0)
            _exit(3);
    }
}

static int map_fd(int fd, size_t len, uint8_t **out)
{
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED)
        return errno;
    *out = m;
    return 0;
}

/* Receives the hand-over message, and with it a descriptor when one is
 * passed. Returns the descriptor or -1. */
static int recv_hello(int sock, char *name, size_t nlen)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct iovec iov = {.iov_base = name, .iov_len = nlen};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                       .msg_controllen = sizeof u.buf};
    memset(name, 0, nlen);
    if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != (ssize_t)nlen)
        _exit(3);
    struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
    int fd = -1;
    if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
        memcpy(&fd, CMSG_DATA(cm), sizeof fd);
    return fd;
}

/* The child's side of the hand-over: obtain the mapping, say whether it
 * worked (0 or an errno), then serve. */
static _Noreturn void child_main(struct mb_peer *p, pid_t parent)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(4);
    mb_px_cleanup_disown();
    signal(SIGCHLD, SIG_DFL);
    close_fd(&p->sock[0]), close_fd(&p->req[1]), close_fd(&p->ack[0]);
    int32_t err = 0;
    size_t len = p->region_len;
    if (p->cfg.how == MB_SHARE_PIDFD_GETFD) {
        int fd = memfd_create("mmbench-share", MFD_CLOEXEC);
        err = fd < 0 ? errno : ftruncate(fd, (off_t)len) ? errno : map_fd(fd, len, &p->region);
        int32_t num = err ? -1 : fd;
        if (write_all(p->sock[1], &num, sizeof num) != 0)
            _exit(3);
    }
    char name[64];
    int fd = recv_hello(p->sock[1], name, sizeof name);
    if (!err && p->cfg.how == MB_SHARE_NAME) {
        fd = shm_open(name, O_RDWR, 0);
        err = fd < 0 ? errno : 0;
    }
    if (!err && (p->cfg.how == MB_SHARE_NAME || p->cfg.how == MB_SHARE_SCM_RIGHTS))
        err = fd < 0 ? EBADF : map_fd(fd, len, &p->region);
    if (fd >= 0)
        close(fd);
    if (p->region) {
        p->ctl = (struct ctl *)p->region;
        p->data = p->region + CTL_BYTES;
    }
    if (write_all(p->sock[1], &err, sizeof err) != 0 || err)
        _exit(3);
    child_serve(p);
}

/* ---- the parent ----------------------------------------------------------- */

static int init_ctl(struct mb_peer *p)
{
    struct ctl *c = p->ctl = (struct ctl *)p->region;
    p->data = p->region + CTL_BYTES;
    memset(c, 0, sizeof *c);
    atomic_store(&c->bad_off, MB_SHARE_MSG_OK);
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;
    int rc = pthread_mutexattr_init(&ma);
    rc = rc ? rc : pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    rc = rc ? rc : pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
    rc = rc ? rc : pthread_mutex_init(&c->mu, &ma);
    rc = rc ? rc : pthread_condattr_init(&ca);
    rc = rc ? rc : pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    rc = rc ? rc : pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    rc = rc ? rc : pthread_cond_init(&c->cv_req, &ca);
    rc = rc ? rc : pthread_cond_init(&c->cv_ack, &ca);
    if (rc)
        return mb_fail(MB_EENV, "process-shared mutex / condition variable: %s", strerror(rc));
    return 0;
}

static int map_region(struct mb_peer *p, int fd, const char *what)
{
    int err = map_fd(fd, p->region_len, &p->region);
    if (err)
        return mb_fail(MB_EENV, "mmap %s (%zu bytes): %s", what, p->region_len, strerror(err));
    return 0;
}

/* The mappings made before fork (inherited). */
static int map_before_fork(struct mb_peer *p)
{
    if (p->cfg.how == MB_SHARE_INHERIT_ANON) {
        void *m = mmap(NULL, p->region_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                       -1, 0);
        if (m == MAP_FAILED)
            return mb_fail(MB_EENV, "mmap shared anonymous: %s", strerror(errno));
        p->region = m;
        return init_ctl(p);
    }
    if (p->cfg.how != MB_SHARE_INHERIT_FILE)
        return 0;
    int fd = open(p->cfg.file, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", p->cfg.file, strerror(errno));
    int rc = map_region(p, fd, p->cfg.file);
    close(fd);
    return rc ? rc : init_ctl(p);
}

static int open_by_name(struct mb_peer *p)
{
    static unsigned counter;
    snprintf(p->shm_name, sizeof p->shm_name, "/mmbench-share-%ld-%u", (long)getpid(),
             counter++);
    snprintf(p->shm_path, sizeof p->shm_path, "/dev/shm%s", p->shm_name);
    /* Registered first: a signal between shm_open and shm_unlink removes
     * the name with the scratch files. */
    int rc = mb_cleanup_register(p->shm_path);
    if (rc)
        return rc;
    int fd = shm_open(p->shm_name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        int err = errno;
        mb_cleanup_forget(p->shm_path);
        p->shm_path[0] = 0;
        bool absent = err == ENOENT || err == ENOSYS || err == EACCES || err == EROFS;
        if (absent)
            return mb_fail(MB_EUNSUPPORTED, "shm_open %s: %s (no usable "
                           "/dev/shm)", p->shm_name, strerror(err));
        return mb_fail(MB_EENV, "shm_open %s: %s", p->shm_name, strerror(err));
    }
    rc = ftruncate(fd, (off_t)p->region_len) ? mb_fail(MB_EENV, "ftruncate %s: %s",
                                                       p->shm_name, strerror(errno))
                                             : map_region(p, fd, p->shm_name);
    close(fd);
    return rc;
}

static void unlink_name(struct mb_peer *p)
{
    if (!p->shm_path[0])
        return;
    shm_unlink(p->shm_name);
    mb_cleanup_forget(p->shm_path);
    p->shm_path[0] = 0;
}

static int take_child_fd(struct mb_peer *p)
{
    int32_t num = -1;
    if (read_all(p->sock[0], &num, sizeof num) != 0 || num < 0)
        return mb_fail(MB_EENV, "the child could not make its memfd");
    int pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
    int fd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, num, 0);
    int err = errno;
    if (pidfd >= 0)
        close(pidfd);
    const char *call = pidfd < 0 ? "pidfd_open" : "pidfd_getfd";
    if (fd < 0 && (err == ENOSYS || err == EPERM || err == EACCES))
        return mb_fail(MB_EUNSUPPORTED, "%s: %s", call, strerror(err));
    if (fd < 0)
        return mb_fail(MB_EENV, "%s: %s", call, strerror(err));
    int rc = map_region(p, fd, "the child's memfd");
    close(fd);
    return rc;
}

static int send_hello(struct mb_peer *p)
{
    char name[64] = {0};
    snprintf(name, sizeof name, "%s", p->shm_name);
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof u);
    struct iovec iov = {.iov_base = name, .iov_len = sizeof name};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    if (p->cfg.how == MB_SHARE_SCM_RIGHTS) {
        m.msg_control = u.buf;
        m.msg_controllen = sizeof u.buf;
        struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &p->memfd, sizeof(int));
    }
    if (sendmsg(p->sock[0], &m, MSG_NOSIGNAL) != (ssize_t)sizeof name)
        return mb_fail(MB_EENV, "sending the mapping to the child: %s", strerror(errno));
    return 0;
}

/* The parent's side of the hand-over after fork: make what is passed or
 * named, hand it over and wait for the child to hold it. */
static int hand_over(struct mb_peer *p)
{
    int rc = 0;
    if (p->cfg.how == MB_SHARE_NAME)
        rc = open_by_name(p);
    else if (p->cfg.how == MB_SHARE_SCM_RIGHTS) {
        p->memfd = memfd_create("mmbench-share", MFD_CLOEXEC);
        if (p->memfd < 0 || ftruncate(p->memfd, (off_t)p->region_len) != 0)
            rc = mb_fail(MB_EENV, "memfd_create: %s", strerror(errno));
        else
            rc = map_region(p, p->memfd, "a memfd");
    } else if (p->cfg.how == MB_SHARE_PIDFD_GETFD)
        rc = take_child_fd(p);
    bool made_here = p->cfg.how == MB_SHARE_NAME || p->cfg.how == MB_SHARE_SCM_RIGHTS ||
                     p->cfg.how == MB_SHARE_PIDFD_GETFD;
    rc = rc ? rc : made_here ? init_ctl(p) : 0;
    rc = rc ? rc : send_hello(p);
    int32_t err = -1;
    if (!rc && read_all(p->sock[0], &err, sizeof err) != 0)
        rc = mb_fail(MB_EENV, "the child died while taking the mapping");
    if (!rc && err)
        rc = mb_fail(err == ENOENT ? MB_EUNSUPPORTED : MB_EENV,
                     "the child could not map what it was given: %s",
                     strerror(err));
    /* Both hold the mapping: the name has done its work. */
    unlink_name(p);
    close_fd(&p->memfd);
    return rc;
}

/* ---- the child's death wakes an eventfd wait ------------------------------ */

/* A parent blocked in read() on an eventfd would not see its child die, so
 * SIGCHLD writes to every reply eventfd; the woken wait then finds no reply
 * and checks whether its child is alive. */
#define MAX_KICK 256
static volatile sig_atomic_t kick_fd[MAX_KICK]; /* fd + 1; 0 free */
static unsigned kick_users;
static struct sigaction old_chld, old_pipe;

static void on_sigchld(int sig)
{
    (void)sig;
    int saved = errno;
    uint64_t one = 1;
    for (int i = 0; i < MAX_KICK; i++)
        if (kick_fd[i] && write(kick_fd[i] - 1, &one, 8) < 0)
            continue;
    errno = saved;
}

static void kick_add(int fd)
{
    if (kick_users++ == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigchld;
        sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGCHLD, &sa, &old_chld);
        /* A write to the pipe of a dead child fails with EPIPE instead of
         * killing the run. */
        sa.sa_handler = SIG_IGN;
        sa.sa_flags = 0;
        sigaction(SIGPIPE, &sa, &old_pipe);
    }
    for (int i = 0; fd >= 0 && i < MAX_KICK; i++)
        if (!kick_fd[i]) {
            kick_fd[i] = fd + 1;
            return;
        }
}

static void kick_remove(int fd)
{
    for (int i = 0; fd >= 0 && i < MAX_KICK; i++)
        if (kick_fd[i] == fd + 1)
            kick_fd[i] = 0;
    if (--kick_users == 0) {
        sigaction(SIGCHLD, &old_chld, NULL);
        sigaction(SIGPIPE, &old_pipe, NULL);
    }
}

/* ---- start, exchange, stop ------------------------------------------------ */

static int make_channels(struct mb_peer *p)
{
    enum mb_share_channel ch = p->cfg.channel;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p->sock) != 0)
        return mb_fail(MB_EENV, "socketpair: %s", strerror(errno));
    if ((ch == MB_CHANNEL_PIPE || ch == MB_CHANNEL_PIPE_NOTIFY) &&
        (pipe2(p->req, O_CLOEXEC) != 0 || pipe2(p->ack, O_CLOEXEC) != 0))
        return mb_fail(MB_EENV, "pipe: %s", strerror(errno));
    if (ch == MB_CHANNEL_EVENTFD &&
        ((p->efd_req = eventfd(0, EFD_CLOEXEC)) < 0 || (p->efd_ack = eventfd(0, EFD_CLOEXEC)) < 0))
        return mb_fail(MB_EENV, "eventfd: %s", strerror(errno));
    if (!is_shm(p) && !(p->buf = malloc(p->cfg.msg_bytes)))
        return mb_fail(MB_ENOMEM, "out of memory");
    return 0;
}

int mb_peer_start(const struct mb_peer_config *cfg, struct mb_peer **out)
{
    *out = NULL;
    if (cfg->msg_bytes < 8 || cfg->msg_bytes % 8)
        return mb_fail(MB_EUSAGE, "messages are a multiple of 8 bytes, not %zu", cfg->msg_bytes);
    struct mb_peer *p = calloc(1, sizeof *p);
    if (!p)
        return mb_fail(MB_ENOMEM, "out of memory");
    p->cfg = *cfg;
    p->pid = -1;
    p->sock[0] = p->sock[1] = p->req[0] = p->req[1] = p->ack[0] = p->ack[1] = -1;
    p->efd_req = p->efd_ack = p->memfd = -1;
    p->region_len = is_shm(p) ? mb_peer_region_bytes(cfg->msg_bytes) : 0;
    int rc = make_channels(p);
    if (!rc) {
        kick_add(p->efd_ack);
        p->kicked = true;
    }
    rc = rc ? rc : map_before_fork(p);
    pid_t parent = getpid();
    if (!rc && (p->pid = fork()) < 0)
        rc = mb_fail(MB_EENV, "fork: %s", strerror(errno));
    if (!rc && p->pid == 0)
        child_main(p, parent);
    if (!rc) {
        close_fd(&p->sock[1]), close_fd(&p->req[0]), close_fd(&p->ack[1]);
        rc = hand_over(p);
    }
    if (rc) {
        mb_peer_stop(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* MB_EENV when the child has died (it is reaped), else 0. */
static int child_gone(struct mb_peer *p)
{
    int st = 0;
    if (!p->reaped) {
        pid_t r = waitpid(p->pid, &st, WNOHANG);
        if (r == 0)
            return 0;
        p->reaped = r == p->pid;
    }
    return mb_fail(MB_EENV, "the child process died (%s %d) during message %llu",
                   WIFSIGNALED(st) ? "signal" : "exit status",
                   WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
                   (unsigned long long)p->seq);
}

static int post_request(struct mb_peer *p, uint64_t seq)
{
    struct ctl *c = p->ctl;
    switch (p->cfg.channel) {
    case MB_CHANNEL_FUTEX:
        atomic_store_explicit(&c->req_seq, seq, memory_order_release);
        atomic_store_explicit(&c->req_word, (uint32_t)seq, memory_order_release);
        futex(&c->req_word, FUTEX_WAKE, 1, NULL);
        return 0;
    case MB_CHANNEL_CONDVAR: {
        int r = pthread_mutex_lock(&c->mu);
        if (r == EOWNERDEAD) {
            pthread_mutex_consistent(&c->mu);
            pthread_mutex_unlock(&c->mu);
            return child_gone(p) ? MB_EENV : mb_fail(MB_EENV, "the child died holding the mutex");
        }
        atomic_store(&c->req_seq, seq);
        pthread_cond_signal(&c->cv_req);
        pthread_mutex_unlock(&c->mu);
        return 0;
    }
    case MB_CHANNEL_EVENTFD: {
        uint64_t one = 1;
        atomic_store_explicit(&c->req_seq, seq, memory_order_release);
        return write(p->efd_req, &one, 8) == 8 ? 0 : mb_fail(MB_EENV, "eventfd write: %s",
                                                               strerror(errno));
    }
    default:
        atomic_store_explicit(&c->req_seq, seq, memory_order_release);
        return write_all(p->req[1], &seq, 8) == 0 ? 0 : child_gone(p) ? MB_EENV
                                                       : mb_fail(MB_EENV, "pipe write failed");
    }
}

static int wait_condvar(struct mb_peer *p, uint64_t seq)
{
    struct ctl *c = p->ctl;
    int r = pthread_mutex_lock(&c->mu);
    while (r == 0 && atomic_load(&c->ack_seq) != seq) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += WAIT_SLICE_NS;
        ts.tv_sec += ts.tv_nsec / 1000000000L;
        ts.tv_nsec %= 1000000000L;
        r = pthread_cond_timedwait(&c->cv_ack, &c->mu, &ts);
        if (r == ETIMEDOUT && !child_gone(p))
            r = 0;
    }
    if (r == EOWNERDEAD)
        pthread_mutex_consistent(&c->mu);
    if (r == 0 || r == EOWNERDEAD || r == ETIMEDOUT)
        pthread_mutex_unlock(&c->mu);
    if (r == EOWNERDEAD)
        return child_gone(p) ? MB_EENV : mb_fail(MB_EENV, "the child died holding the mutex");
    return r == ETIMEDOUT ? MB_EENV : r ? mb_fail(MB_EENV, "condition wait: %s", strerror(r)) : 0;
}

/* Waits for the reply to message `seq`, noticing the child's death. */
static int wait_reply(struct mb_peer *p, uint64_t seq)
{
    struct ctl *c = p->ctl;
    static const struct timespec slice = {0, WAIT_SLICE_NS};
    switch (p->cfg.channel) {
    case MB_CHANNEL_FUTEX:
        for (uint32_t cur; (cur = atomic_load_explicit(&c->ack_word, memory_order_acquire)) !=
                           (uint32_t)seq;)
            if (futex(&c->ack_word, FUTEX_WAIT, cur, &slice) < 0 && errno == ETIMEDOUT &&
                child_gone(p))
                return MB_EENV;
        return 0;
    case MB_CHANNEL_CONDVAR:
        return wait_condvar(p, seq);
    case MB_CHANNEL_EVENTFD: {
        uint64_t v;
        while (atomic_load_explicit(&c->ack_seq, memory_order_acquire) != seq) {
            if (read(p->efd_ack, &v, 8) != 8 && errno != EINTR)
                return mb_fail(MB_EENV, "eventfd read: %s", strerror(errno));
            if (atomic_load_explicit(&c->ack_seq, memory_order_acquire) != seq && child_gone(p))
                return MB_EENV;
        }
        return 0;
    }
    default: {
        uint64_t tok = 0;
        if (read_all(p->ack[0], &tok, 8) != 0)
            return child_gone(p) ? MB_EENV : mb_fail(MB_EENV, "the child closed its pipe");
        return tok == seq ? 0 : mb_fail(MB_EVERIFY, "reply names message %llu, not %llu",
                                         (unsigned long long)tok, (unsigned long long)seq);
    }
    }
}

static int exchange_shm(struct mb_peer *p, uint64_t seq)
{
    mb_share_msg_fill(p->data, p->cfg.msg_bytes, seq);
    int rc = post_request(p, seq);
    rc = rc ? rc : wait_reply(p, seq);
    if (rc)
        return rc;
    return mb_share_reply_check(atomic_load(&p->ctl->ack_seq), atomic_load(&p->ctl->bad_off),
                                seq);
}

static int exchange_channel(struct mb_peer *p, uint64_t seq)
{
    bool is_pipe = p->cfg.channel == MB_CHANNEL_PIPE;
    int out = is_pipe ? p->req[1] : p->sock[0], in = is_pipe ? p->ack[0] : p->sock[0];
    uint64_t reply = 0;
    mb_share_msg_fill(p->buf, p->cfg.msg_bytes, seq);
    if (write_all(out, p->buf, p->cfg.msg_bytes) != 0 || read_all(in, &reply, 8) != 0)
        return child_gone(p) ? MB_EENV : mb_fail(MB_EENV, "the channel to the child broke");
    if (reply & BAD_BIT)
        return mb_fail(MB_EVERIFY, "the child found message %llu wrong at byte %llu",
                       (unsigned long long)seq, (unsigned long long)(reply & ~BAD_BIT));
    if (reply != seq)
        return mb_fail(MB_EVERIFY, "the reply names message %llu, not %llu",
                       (unsigned long long)reply, (unsigned long long)seq);
    return 0;
}

int mb_peer_exchange(struct mb_peer *p)
{
    if (p->reaped)
        return mb_fail(MB_EENV, "the child process is gone");
    uint64_t seq = ++p->seq;
    return is_shm(p) ? exchange_shm(p, seq) : exchange_channel(p, seq);
}

int mb_peer_cpu_ns(struct mb_peer *p, uint64_t *ns)
{
    clockid_t clk;
    struct timespec ts;
    int err = p->reaped ? ESRCH : clock_getcpuclockid(p->pid, &clk);
    if (!err && clock_gettime(clk, &ts) != 0)
        err = errno;
    if (err)
        return mb_fail(err == ENOENT ? MB_EUNSUPPORTED : MB_EENV, "the child's CPU clock: %s",
                       strerror(err));
    *ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    return 0;
}

void mb_peer_stop(struct mb_peer *p)
{
    if (!p)
        return;
    if (p->pid > 0 && !p->reaped) {
        kill(p->pid, SIGKILL);
        while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    unlink_name(p);
    if (p->region)
        munmap(p->region, p->region_len);
    if (p->kicked)
        kick_remove(p->efd_ack);
    int *fds[] = {&p->sock[0], &p->sock[1], &p->req[0], &p->req[1], &p->ack[0],
                  &p->ack[1], &p->efd_req, &p->efd_ack, &p->memfd};
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        close_fd(fds[i]);
    free(p->buf);
    free(p);
}
