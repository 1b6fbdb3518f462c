/* Two processes sharing a mapping (the share suite), the Win32 twins: the
 * child is mmbench.exe started again (share_peer.c), in a job object that
 * kills it when this process ends however it ends, and it obtains the
 * section by name (a named CreateFileMapping), by inheritance (bInheritHandle
 * + CreateProcess), as a handle this process duplicates into it
 * (DuplicateHandle: SCM_RIGHTS' twin), or by making it and having this
 * process duplicate it out (pidfd_getfd's twin). Each side tells the other
 * through an auto-reset event (eventfd's twin) or 8 bytes on an anonymous
 * pipe; the pipe channel carries the message itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/internal_entry.h"
#include "mmbench/platform.h"
#include "share_w32.h"

struct mb_peer {
    struct mb_peer_config cfg;
    HANDLE proc, job;
    HANDLE section, file;       /* until the child holds the mapping */
    HANDLE req_w, ack_r;        /* this side's pipe ends */
    HANDLE req_r, ack_w;        /* the child's, closed once it started */
    HANDLE ev_req, ev_ack;
    uint8_t *region;
    size_t region_len;
    struct mb_w32_ctl *ctl;
    uint8_t *data, *buf;
    uint64_t seq;
    char name[64];
};

const char *mb_share_unsupported(void)
{
    return NULL;
}

size_t mb_peer_region_bytes(size_t msg_bytes)
{
    size_t page = mb_page_size();
    return MB_W32_CTL_BYTES + (msg_bytes + page - 1) / page * page;
}

static const char *channel_unsupported(enum mb_share_channel ch)
{
    switch (ch) {
    case MB_CHANNEL_FUTEX:
        return "a futex is Linux's: Windows' WaitOnAddress wakes threads of one process only";
    case MB_CHANNEL_CONDVAR:
        return "Windows condition variables and SRW locks are process-local (no "
               "PTHREAD_PROCESS_SHARED twin); events are the eventfd channel";
    case MB_CHANNEL_SOCKET:
        return "a Unix socketpair has no Win32 twin here; the pipe channel carries the message";
    default:
        return NULL;
    }
}

static void close_h(HANDLE *h)
{
    if (*h && *h != INVALID_HANDLE_VALUE)
        CloseHandle(*h);
    *h = NULL;
}

static int make_channels(struct mb_peer *p)
{
    int rc = mb_w32_child_pipe(&p->req_r, &p->req_w, 0);
    rc = rc ? rc : mb_w32_child_pipe(&p->ack_r, &p->ack_w, 1);
    if (rc || p->cfg.channel != MB_CHANNEL_EVENTFD)
        return rc;
    SECURITY_ATTRIBUTES sa = {.nLength = sizeof sa, .bInheritHandle = TRUE};
    p->ev_req = CreateEventA(&sa, FALSE, FALSE, NULL);
    p->ev_ack = CreateEventA(&sa, FALSE, FALSE, NULL);
    if (!p->ev_req || !p->ev_ack)
        return mb_fail(MB_EENV, "CreateEvent: %s", mb_w32_strerror(GetLastError()));
    return 0;
}

static int map_region(struct mb_peer *p)
{
    p->region = MapViewOfFile(p->section, FILE_MAP_WRITE, 0, 0, p->region_len);
    if (!p->region)
        return mb_fail(MB_EENV, "MapViewOfFile (%zu bytes): %s", p->region_len,
                       mb_w32_strerror(GetLastError()));
    p->ctl = (struct mb_w32_ctl *)p->region;
    p->data = p->region + MB_W32_CTL_BYTES;
    memset(p->ctl, 0, sizeof *p->ctl);
    atomic_store(&p->ctl->bad_off, MB_SHARE_MSG_OK);
    return 0;
}

/* The section made before the child starts (all but pidfd-getfd's). */
static int make_section(struct mb_peer *p)
{
    static unsigned counter;
    enum mb_share_how how = p->cfg.how;
    if (how == MB_SHARE_NONE || how == MB_SHARE_PIDFD_GETFD)
        return 0;
    bool inherit = how == MB_SHARE_INHERIT_ANON || how == MB_SHARE_INHERIT_FILE;
    SECURITY_ATTRIBUTES sa = {.nLength = sizeof sa, .bInheritHandle = inherit};
    HANDLE backing = INVALID_HANDLE_VALUE; /* the paging file */
    if (how == MB_SHARE_INHERIT_FILE) {
        int rc = mb_w32_open(p->cfg.file, MB_W32_OPEN_WRITE, &p->file);
        if (rc)
            return rc;
        backing = p->file;
    }
    const char *name = NULL;
    if (how == MB_SHARE_NAME) {
        snprintf(p->name, sizeof p->name, "Local\\mmbench-share-%lu-%u",
                 (unsigned long)GetCurrentProcessId(), counter++);
        name = p->name;
    }
    uint64_t size = p->region_len;
    p->section = CreateFileMappingA(backing, &sa, PAGE_READWRITE, (DWORD)(size >> 32),
                                    (DWORD)size, name);
    DWORD err = GetLastError();
    if (p->section && name && err == ERROR_ALREADY_EXISTS)
        return mb_fail(MB_EENV, "the section name %s is taken", name);
    if (!p->section)
        return mb_fail(MB_EENV, "CreateFileMapping%s%s: %s", name ? " " : "", name ? name : "",
                       mb_w32_strerror(err));
    return map_region(p);
}

static int start_child(struct mb_peer *p)
{
    char exe[MAX_PATH], cmd[MAX_PATH + 400];
    DWORD n = GetModuleFileNameA(NULL, exe, sizeof exe);
    if (n == 0 || n >= sizeof exe)
        return mb_fail(MB_EENV, "GetModuleFileName: %s", mb_w32_strerror(GetLastError()));
    HANDLE inherited = p->cfg.how == MB_SHARE_INHERIT_ANON || p->cfg.how == MB_SHARE_INHERIT_FILE
                           ? p->section
                           : NULL;
    snprintf(cmd, sizeof cmd, "\"%s\" %s %d %d %zu %zu %llu %llu %llu %llu %llu %s", exe,
             MB_INTERNAL_PEER_ARG, (int)p->cfg.how, (int)p->cfg.channel, p->cfg.msg_bytes,
             p->region_len, (unsigned long long)(uintptr_t)inherited,
             (unsigned long long)(uintptr_t)p->req_r, (unsigned long long)(uintptr_t)p->ack_w,
             (unsigned long long)(uintptr_t)p->ev_req, (unsigned long long)(uintptr_t)p->ev_ack,
             p->name[0] ? p->name : "-");
    /* The child dies with this process, whichever way it ends. */
    int rc = mb_w32_kill_on_close_job(&p->job);
    if (rc)
        return rc;
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    if ((rc = mb_w32_start_in_job(exe, cmd, &si, p->job, exe, &pi)) != 0)
        return rc;
    p->proc = pi.hProcess;
    /* The child's pipe ends are its own now: with these closed, a read or
     * write here fails as soon as the child is gone. */
    close_h(&p->req_r);
    close_h(&p->ack_w);
    /* The events stay here too: no later child may inherit them. */
    if (p->ev_req)
        SetHandleInformation(p->ev_req, HANDLE_FLAG_INHERIT, 0);
    if (p->ev_ack)
        SetHandleInformation(p->ev_ack, HANDLE_FLAG_INHERIT, 0);
    return 0;
}

/* MB_EENV naming how the child ended, when it has; else 0. */
static int child_gone(struct mb_peer *p)
{
    DWORD code = 0;
    if (WaitForSingleObject(p->proc, 0) != WAIT_OBJECT_0)
        return 0;
    GetExitCodeProcess(p->proc, &code);
    return mb_fail(MB_EENV, "the child process died (exit status %lu) during message %llu",
                   (unsigned long)code, (unsigned long long)p->seq);
}

/* The hand-over after the child started: duplicate the section into it or
 * out of it, say hello, and wait until it holds the mapping. */
static int hand_over(struct mb_peer *p)
{
    uint64_t hello = 0;
    HANDLE self = GetCurrentProcess(), dup = NULL;
    if (p->cfg.how == MB_SHARE_PIDFD_GETFD) {
        uint64_t theirs = 0;
        if (mb_w32_pipe_read(p->ack_r, &theirs, sizeof theirs) != 0 || !theirs)
            return child_gone(p) ? MB_EENV : mb_fail(MB_EENV, "the child made no section");
        if (!DuplicateHandle(p->proc, (HANDLE)(uintptr_t)theirs, self, &p->section, 0, FALSE,
                             DUPLICATE_SAME_ACCESS))
            return mb_fail(MB_EENV, "DuplicateHandle from the child: %s",
                           mb_w32_strerror(GetLastError()));
        int rc = map_region(p);
        if (rc)
            return rc;
    } else if (p->cfg.how == MB_SHARE_SCM_RIGHTS) {
        if (!DuplicateHandle(self, p->section, p->proc, &dup, 0, FALSE, DUPLICATE_SAME_ACCESS))
            return mb_fail(MB_EENV, "DuplicateHandle into the child: %s",
                           mb_w32_strerror(GetLastError()));
        hello = (uint64_t)(uintptr_t)dup;
    }
    int32_t err = -1;
    if (mb_w32_pipe_write(p->req_w, &hello, sizeof hello) != 0 ||
        mb_w32_pipe_read(p->ack_r, &err, sizeof err) != 0)
        return child_gone(p) ? MB_EENV : mb_fail(MB_EENV, "the child died taking the mapping");
    if (err)
        return mb_fail(MB_EENV, "the child could not map what it was given: %s",
                       mb_w32_strerror((DWORD)err));
    /* Both hold the view: the name, the inherited handle and the file have
     * done their work (the views keep the section). */
    close_h(&p->section);
    close_h(&p->file);
    return 0;
}

int mb_peer_start(const struct mb_peer_config *cfg, struct mb_peer **out)
{
    *out = NULL;
    if (cfg->msg_bytes < 8 || cfg->msg_bytes % 8)
        return mb_fail(MB_EUSAGE, "messages are a multiple of 8 bytes, not %zu", cfg->msg_bytes);
    const char *why = channel_unsupported(cfg->channel);
    if (why)
        return mb_fail(MB_EUNSUPPORTED, "%s", why);
    struct mb_peer *p = calloc(1, sizeof *p);
    if (!p)
        return mb_fail(MB_ENOMEM, "out of memory");
    p->cfg = *cfg;
    p->region_len = cfg->how != MB_SHARE_NONE ? mb_peer_region_bytes(cfg->msg_bytes) : 0;
    int rc = make_channels(p);
    if (!rc && cfg->how == MB_SHARE_NONE && !(p->buf = malloc(cfg->msg_bytes)))
        rc = mb_fail(MB_ENOMEM, "out of memory");
    rc = rc ? rc : make_section(p);
    rc = rc ? rc : start_child(p);
    rc = rc ? rc : hand_over(p);
    if (rc) {
        mb_peer_stop(p);
        return rc;
    }
    *out = p;
    return 0;
}

static int post_request(struct mb_peer *p, uint64_t seq)
{
    atomic_store_explicit(&p->ctl->req_seq, seq, memory_order_release);
    if (p->cfg.channel == MB_CHANNEL_EVENTFD)
        return SetEvent(p->ev_req) ? 0 : mb_fail(MB_EENV, "SetEvent: %s",
                                                 mb_w32_strerror(GetLastError()));
    if (mb_w32_pipe_write(p->req_w, &seq, sizeof seq) != 0)
        return child_gone(p) ? MB_EENV : mb_fail(MB_EENV, "pipe write failed");
    return 0;
}

/* Waits for the reply to message `seq`, noticing the child's death. */
static int wait_reply(struct mb_peer *p, uint64_t seq)
{
    if (p->cfg.channel == MB_CHANNEL_EVENTFD) {
        HANDLE both[2] = {p->ev_ack, p->proc};
        while (atomic_load_explicit(&p->ctl->ack_seq, memory_order_acquire) != seq) {
            DWORD w = WaitForMultipleObjects(2, both, FALSE, INFINITE);
            if (w == WAIT_OBJECT_0 + 1 &&
                atomic_load_explicit(&p->ctl->ack_seq, memory_order_acquire) != seq)
                return child_gone(p);
            if (w == WAIT_FAILED)
                return mb_fail(MB_EENV, "WaitForMultipleObjects: %s",
                               mb_w32_strerror(GetLastError()));
        }
        return 0;
    }
    uint64_t tok = 0;
    if (mb_w32_pipe_read(p->ack_r, &tok, sizeof tok) != 0)
        return child_gone(p) ? MB_EENV : mb_fail(MB_EENV, "the child closed its pipe");
    return tok == seq ? 0 : mb_fail(MB_EVERIFY, "reply names message %llu, not %llu",
                                     (unsigned long long)tok, (unsigned long long)seq);
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

static int exchange_pipe(struct mb_peer *p, uint64_t seq)
{
    uint64_t reply = 0;
    mb_share_msg_fill(p->buf, p->cfg.msg_bytes, seq);
    if (mb_w32_pipe_write(p->req_w, p->buf, p->cfg.msg_bytes) != 0 ||
        mb_w32_pipe_read(p->ack_r, &reply, sizeof reply) != 0)
        return child_gone(p) ? MB_EENV : mb_fail(MB_EENV, "the pipe to the child broke");
    if (reply & MB_W32_BAD_BIT)
        return mb_fail(MB_EVERIFY, "the child found message %llu wrong at byte %llu",
                       (unsigned long long)seq, (unsigned long long)(reply & ~MB_W32_BAD_BIT));
    if (reply != seq)
        return mb_fail(MB_EVERIFY, "the reply names message %llu, not %llu",
                       (unsigned long long)reply, (unsigned long long)seq);
    return 0;
}

int mb_peer_exchange(struct mb_peer *p)
{
    uint64_t seq = ++p->seq;
    return p->cfg.how != MB_SHARE_NONE ? exchange_shm(p, seq) : exchange_pipe(p, seq);
}

int mb_peer_cpu_ns(struct mb_peer *p, uint64_t *ns)
{
    uint64_t user, kernel;
    int rc = mb_w32_process_cpu(p->proc, &user, &kernel);
    if (rc == 0)
        *ns = user + kernel;
    return rc;
}

void mb_peer_stop(struct mb_peer *p)
{
    if (!p)
        return;
    if (p->proc) {
        TerminateProcess(p->proc, 1);
        WaitForSingleObject(p->proc, INFINITE);
    }
    if (p->region)
        UnmapViewOfFile(p->region);
    HANDLE *hs[] = {&p->proc, &p->job, &p->section, &p->file, &p->req_w, &p->ack_r,
                    &p->req_r, &p->ack_w, &p->ev_req, &p->ev_ack};
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        close_h(hs[i]);
    free(p->buf);
    free(p);
}
