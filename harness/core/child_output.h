/* Reading a child's output, written once: the platform files supply the one
 * call that reads what the pipe holds (read(2), ReadFile), and these turn it
 * into the ready line (mb_child_read_line) and the rest of the output
 * (mb_child_finish). */
#ifndef MMBENCH_CORE_CHILD_OUTPUT_H
#define MMBENCH_CORE_CHILD_OUTPUT_H

#include <stddef.h>

/* Reads up to `room` bytes of pipe `src` into dst: the count, 0 at its end,
 * or < 0 when the read fails (an interrupted read is retried inside). */
typedef long (*mb_pipe_read_fn)(void *src, char *dst, size_t room);

/* Reads the pipe into buf (NUL-terminated, cut to len - 1, a trailing
 * carriage return dropped) up to its first newline. Returns 0, or MB_EENV
 * naming what was read when the pipe ends or fails first. */
int mb_pipe_read_line(mb_pipe_read_fn rd, void *src, char *buf, size_t len);

/* Reads the pipe to its end, keeping in out (NUL-terminated; may be NULL)
 * what fits in outlen - 1 bytes and dropping the rest. */
void mb_pipe_drain(mb_pipe_read_fn rd, void *src, char *out, size_t outlen);

#endif
