/* What the two sides of a Win32 share peer agree on: the first page of the
 * shared mapping and the child's command line. The parent is share_ipc.c,
 * the child (mmbench.exe started again) share_peer.c. */
#ifndef MMBENCH_SHARE_W32_H
#define MMBENCH_SHARE_W32_H

#include <stdatomic.h>
#include <stdint.h>

#include "win32.h"

/* The first page of the mapping: the hand-over words; messages follow. */
struct mb_w32_ctl {
    _Atomic uint64_t req_seq, ack_seq;
    _Atomic uint64_t bad_off;    /* MB_SHARE_MSG_OK: the last message was right */
};

#define MB_W32_CTL_BYTES 4096
#define MB_W32_BAD_BIT (1ull << 63)

/* The child's arguments after the hidden one, in this order: how, channel,
 * message bytes, mapping bytes, then the inherited handles as numbers (the
 * section, the request pipe's read end, the reply pipe's write end, the
 * request and reply events; 0 when absent), then the section's name ("-"
 * when none). */
enum { MB_W32_PEER_ARGC = 10 };

/* The child's main: takes the mapping as the parent says, confirms, then
 * answers every message after checking it, until the parent goes away.
 * Returns the process's exit status (0 when the parent closed the pipes). */
int mb_w32_peer_main(int argc, char **argv);

/* Reads or writes exactly `len` bytes through pipe end `h`. Returns 0, or
 * -1 when the pipe broke (the other side is gone). */
int mb_w32_pipe_read(HANDLE h, void *buf, size_t len);
int mb_w32_pipe_write(HANDLE h, const void *buf, size_t len);

#endif
