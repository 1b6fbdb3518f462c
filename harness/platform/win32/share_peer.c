/* The child of a Win32 share peer: mmbench.exe started again by the
 * parent (share_ipc.c) with MB_INTERNAL_PEER_ARG. It obtains the mapping
 * the way it is told (an inherited section handle, a name, or a handle
 * duplicated into it; or it makes the section and the parent duplicates
 * it out), confirms, then checks and answers every message. It lives in
 * the parent's job object, which kills it when the parent ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/internal_entry.h"
#include "mmbench/platform.h"
#include "share_w32.h"

int mb_w32_pipe_read(HANDLE h, void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len) {
        DWORD want = len > (1u << 30) ? (1u << 30) : (DWORD)len, got = 0;
        if (!ReadFile(h, p, want, &got, NULL) || got == 0)
            return -1;
        p += got;
        len -= got;
    }
    return 0;
}

int mb_w32_pipe_write(HANDLE h, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        DWORD want = len > (1u << 30) ? (1u << 30) : (DWORD)len, done = 0;
        if (!WriteFile(h, p, want, &done, NULL) || done == 0)
            return -1;
        p += done;
        len -= done;
    }
    return 0;
}

struct child {
    enum mb_share_how how;
    enum mb_share_channel channel;
    size_t msg_bytes, region_len;
    HANDLE section, req, ack, ev_req, ev_ack;
    const char *name;
    uint8_t *region, *buf;
};

static HANDLE handle_arg(const char *s)
{
    return (HANDLE)(uintptr_t)strtoull(s, NULL, 10);
}

/* Maps the section (and closes the handle: the view holds it). */
static DWORD map_section(struct child *c, HANDLE sec)
{
    if (!sec)
        return ERROR_INVALID_HANDLE;
    c->region = MapViewOfFile(sec, FILE_MAP_WRITE, 0, 0, c->region_len);
    DWORD err = c->region ? 0 : GetLastError();
    CloseHandle(sec);
    return err;
}

/* The child's side of the hand-over; returns 0 or a Win32 error. */
static DWORD take_mapping(struct child *c)
{
    DWORD err = 0;
    if (c->how == MB_SHARE_PIDFD_GETFD) {
        /* The twin of pidfd_getfd: this process makes the section and the
         * parent duplicates the handle out of it (DuplicateHandle). */
        uint64_t size = c->region_len, val = 0;
        HANDLE sec = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE,
                                        (DWORD)(size >> 32), (DWORD)size, NULL);
        err = sec ? 0 : GetLastError();
        if (!err && !(c->region = MapViewOfFile(sec, FILE_MAP_WRITE, 0, 0, c->region_len)))
            err = GetLastError();
        val = err ? 0 : (uint64_t)(uintptr_t)sec; /* kept open until the parent holds it */
        if (mb_w32_pipe_write(c->ack, &val, sizeof val) != 0)
            exit(3);
    }
    uint64_t hello = 0; /* the handle duplicated into this process, or 0 */
    if (mb_w32_pipe_read(c->req, &hello, sizeof hello) != 0)
        exit(3);
    if (!err && c->how == MB_SHARE_SCM_RIGHTS)
        err = map_section(c, (HANDLE)(uintptr_t)hello);
    else if (!err && c->how == MB_SHARE_NAME)
        err = map_section(c, OpenFileMappingA(FILE_MAP_WRITE, FALSE, c->name));
    else if (!err && (c->how == MB_SHARE_INHERIT_ANON || c->how == MB_SHARE_INHERIT_FILE))
        err = map_section(c, c->section);
    return err;
}

static void wait_request(struct child *c, struct mb_w32_ctl *ctl, uint64_t want)
{
    if (c->channel == MB_CHANNEL_EVENTFD) {
        while (atomic_load_explicit(&ctl->req_seq, memory_order_acquire) != want)
            if (WaitForSingleObject(c->ev_req, INFINITE) != WAIT_OBJECT_0)
                exit(3);
        return;
    }
    uint64_t tok = 0;
    if (mb_w32_pipe_read(c->req, &tok, sizeof tok) != 0)
        exit(0); /* the parent closed the pipe: done */
    if (tok != want)
        exit(3);
}

static void post_ack(struct child *c, struct mb_w32_ctl *ctl, uint64_t seq)
{
    atomic_store_explicit(&ctl->ack_seq, seq, memory_order_release);
    if (c->channel == MB_CHANNEL_EVENTFD ? !SetEvent(c->ev_ack)
                                         : mb_w32_pipe_write(c->ack, &seq, sizeof seq) != 0)
        exit(3);
}

/* Answers messages until the parent goes: each one is checked where it
 * arrived (in the mapping, or read from the pipe) before the reply. */
static int serve(struct child *c)
{
    size_t len = c->msg_bytes, bad = 0;
    struct mb_w32_ctl *ctl = (struct mb_w32_ctl *)c->region;
    for (uint64_t want = 1;; want++) {
        if (c->how != MB_SHARE_NONE) {
            wait_request(c, ctl, want);
            bool ok = mb_share_msg_check(c->region + MB_W32_CTL_BYTES, len, want, &bad) == 0;
            atomic_store(&ctl->bad_off, ok ? MB_SHARE_MSG_OK : (uint64_t)bad);
            post_ack(c, ctl, want);
            continue;
        }
        if (mb_w32_pipe_read(c->req, c->buf, len) != 0)
            return 0;
        uint64_t reply = want;
        if (mb_share_msg_check(c->buf, len, want, &bad) != 0)
            reply |= MB_W32_BAD_BIT | ((uint64_t)bad << 32);
        if (mb_w32_pipe_write(c->ack, &reply, sizeof reply) != 0)
            return 3;
    }
}

int mb_w32_peer_main(int argc, char **argv)
{
    if (argc != MB_W32_PEER_ARGC) {
        fprintf(stderr, "mmbench: %s is mmbench's own, not a command\n", MB_INTERNAL_PEER_ARG);
        return 2;
    }
    struct child c = {
        .how = (enum mb_share_how)atoi(argv[0]),
        .channel = (enum mb_share_channel)atoi(argv[1]),
        .msg_bytes = (size_t)strtoull(argv[2], NULL, 10),
        .region_len = (size_t)strtoull(argv[3], NULL, 10),
        .section = handle_arg(argv[4]),
        .req = handle_arg(argv[5]),
        .ack = handle_arg(argv[6]),
        .ev_req = handle_arg(argv[7]),
        .ev_ack = handle_arg(argv[8]),
        .name = argv[9],
    };
    if (c.how == MB_SHARE_NONE && !(c.buf = malloc(c.msg_bytes ? c.msg_bytes : 1)))
        return 3;
    int32_t err = (int32_t)take_mapping(&c);
    if (mb_w32_pipe_write(c.ack, &err, sizeof err) != 0 || err)
        return 3;
    int rc = serve(&c);
    free(c.buf);
    return rc;
}
