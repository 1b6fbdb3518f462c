/* Measured start-ups of generated programs: the startup suite builds its
 * executables with a C compiler at run time and starts them with fork +
 * exec. Under Windows (and Wine) there is no C compiler to call at run
 * time, and the Win32 twins (CreateProcess with a measured image,
 * GetProcessIoCounters, QueryWorkingSetEx) are not written, so every
 * function says so. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/startup.h"

static const char why[] = "the startup suite compiles its executables with a C compiler at run "
                          "time, which Windows (and Wine) lacks, and its Win32 process "
                          "measurements (CreateProcess, GetProcessIoCounters) are not written";

const char *mb_startup_unsupported(void)
{
    return why;
}

int mb_program_find(const char *name, char *buf, size_t len)
{
    (void)name;
    if (len)
        buf[0] = '\0';
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_child_start(struct mb_child *ch, char *const argv[], const char *input, bool hold,
                   int keep_fd)
{
    (void)argv, (void)input, (void)hold, (void)keep_fd;
    *ch = (struct mb_child){.pid = 0, .out_fd = -1, .in_fd = -1};
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_child_out_open(const char *path, int *fd)
{
    (void)path;
    *fd = -1;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_child_out_close(int fd, const char *path, bool executable)
{
    (void)fd, (void)path, (void)executable;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_child_read_line(struct mb_child *ch, char *buf, size_t len)
{
    (void)ch;
    if (len)
        buf[0] = '\0';
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

void mb_child_release(struct mb_child *ch)
{
    (void)ch;
}

int mb_child_finish(struct mb_child *ch, struct mb_child_usage *u, char *out, size_t outlen)
{
    (void)ch;
    memset(u, 0, sizeof *u);
    if (out && outlen)
        out[0] = '\0';
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

void mb_child_kill(struct mb_child *ch)
{
    (void)ch;
}

int mb_child_memory_read(const struct mb_child *ch, struct mb_child_memory *m)
{
    (void)ch;
    memset(m, 0, sizeof *m);
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}
