/* Reading a child's output, portably (child_output.h). */
#include "child_output.h"

#include "mmbench/error.h"

int mb_pipe_read_line(mb_pipe_read_fn rd, void *src, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    /* One byte at a time: what follows the line is the program's, for
     * mb_pipe_drain at its end. */
    while (n + 1 < len) {
        if (rd(src, buf + n, 1) <= 0)
            return mb_fail(MB_EENV, "the program ended before it said it was ready%s%s",
                           n ? ": " : "", buf);
        if (buf[n] == '\n')
            break;
        buf[++n] = '\0';
    }
    buf[n] = '\0';
    if (n && buf[n - 1] == '\r')
        buf[n - 1] = '\0';
    return 0;
}

void mb_pipe_drain(mb_pipe_read_fn rd, void *src, char *out, size_t outlen)
{
    char scratch[4096];
    size_t n = 0;
    for (;;) {
        char *dst = out && n + 1 < outlen ? out + n : scratch;
        size_t room = out && n + 1 < outlen ? outlen - 1 - n : sizeof scratch;
        long r = rd(src, dst, room);
        if (r <= 0)
            break;
        if (dst != scratch)
            n += (size_t)r;
    }
    if (out && outlen)
        out[n] = '\0';
}
