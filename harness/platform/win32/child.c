/* Child processes on Windows: CreateProcess, suspended until the child is
 * in a job object that kills it when mmbench ends however it ends
 * (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: the job's handle is closed with the
 * process), its output through a pipe, and its times, page faults and read
 * calls read from its process handle after it exited and before the handle
 * is closed. Under Wine none of these is the child's (read_usage): they are
 * reported unavailable. Windows has no C compiler at run time, so no child
 * writes into a scratch file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PSAPI_VERSION 2 /* GetProcessMemoryInfo from kernel32 (K32...), no psapi.dll */
#include "win32.h"
#include <psapi.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/child.h"
#include "child_output.h"

/* The job every child runs in; never closed before mmbench exits. */
static HANDLE job;

const char *mb_child_unsupported(void)
{
    return NULL;
}

int mb_program_find(const char *name, char *buf, size_t len)
{
    DWORD n = SearchPathA(NULL, name, ".exe", (DWORD)len, buf, NULL);
    return n > 0 && n < len ? 0 : 1;
}

static void close_handle(void **h)
{
    if (*h)
        CloseHandle(*h);
    *h = NULL;
}

static int make_job(void)
{
    return job ? 0 : mb_w32_kill_on_close_job(&job);
}

/* The command line of argv: each argument quoted (none holds a quote). */
static char *command_line(char *const argv[])
{
    size_t len = 1;
    for (size_t i = 0; argv[i]; i++)
        len += strlen(argv[i]) + 3;
    char *cmd = malloc(len), *p = cmd;
    if (!cmd)
        return NULL;
    for (size_t i = 0; argv[i]; i++)
        p += sprintf(p, "%s\"%s\"", i ? " " : "", argv[i]);
    *p = '\0';
    return cmd;
}

/* Writes s to the child's stdin; a child that ended first breaks the pipe,
 * which is not an error here. */
static int write_input(struct mb_child *ch, const char *s)
{
    for (size_t n = strlen(s); n > 0;) {
        DWORD w = 0;
        if (!WriteFile(ch->in, s, n > 65536 ? 65536 : (DWORD)n, &w, NULL))
            return GetLastError() == ERROR_BROKEN_PIPE || GetLastError() == ERROR_NO_DATA
                       ? 0 : mb_fail(MB_EENV, "writing to the child: %s",
                                     mb_w32_strerror(GetLastError()));
        s += w;
        n -= w;
    }
    return 0;
}

/* Starts the child in the job, its standard handles `in` and `out`. */
static int spawn(struct mb_child *ch, char *const argv[], HANDLE in, HANDLE out)
{
    char *cmd = command_line(argv);
    if (!cmd)
        return mb_fail(MB_ENOMEM, "out of memory");
    STARTUPINFOA si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES, .hStdInput = in,
                       .hStdOutput = out, .hStdError = out};
    PROCESS_INFORMATION pi;
    ch->start_ns = mb_now_ns();
    int rc = mb_w32_start_in_job(argv[0], cmd, &si, job, argv[0], &pi);
    free(cmd);
    if (rc)
        return rc;
    ch->pid = (long)pi.dwProcessId;
    ch->process = pi.hProcess;
    return 0;
}

int mb_child_start(struct mb_child *ch, char *const argv[], const char *input, bool hold,
                   int keep_fd)
{
    *ch = (struct mb_child){.pid = 0, .out_fd = -1, .in_fd = -1};
    if (keep_fd >= 0)
        return mb_fail(MB_EUNSUPPORTED, "a child cannot keep a descriptor on Windows");
    HANDLE in[2] = {NULL, NULL}, out[2] = {NULL, NULL};
    int rc = make_job();
    rc = rc ? rc : mb_w32_child_pipe(&in[0], &in[1], 0);
    rc = rc ? rc : mb_w32_child_pipe(&out[0], &out[1], 1);
    if (rc == 0) {
        ch->in = in[1];
        ch->out = out[0];
        in[1] = out[0] = NULL;
        rc = spawn(ch, argv, in[0], out[1]);
    }
    for (int i = 0; i < 2; i++) {
        if (in[i])
            CloseHandle(in[i]);
        if (out[i])
            CloseHandle(out[i]);
    }
    if (rc == 0 && input)
        rc = write_input(ch, input);
    if (rc == 0 && !hold)
        close_handle(&ch->in);
    if (rc)
        mb_child_kill(ch);
    return rc;
}

static const char no_out[] = "no program writes into a scratch file on Windows (no C compiler "
                             "at run time)";

int mb_child_out_open(const char *path, int *fd)
{
    (void)path;
    *fd = -1;
    return mb_fail(MB_EUNSUPPORTED, "%s", no_out);
}

int mb_child_out_close(int fd, const char *path, bool executable)
{
    (void)fd, (void)path, (void)executable;
    return mb_fail(MB_EUNSUPPORTED, "%s", no_out);
}

/* ReadFile for mb_pipe_read_line / mb_pipe_drain: a pipe whose writer
 * has gone fails with ERROR_BROKEN_PIPE, its end. */
static long handle_read(void *src, char *dst, size_t room)
{
    DWORD r = 0;
    return ReadFile(*(HANDLE *)src, dst, (DWORD)room, &r, NULL) ? (long)r : -1;
}

int mb_child_read_line(struct mb_child *ch, char *buf, size_t len)
{
    return mb_pipe_read_line(handle_read, &ch->out, buf, len);
}

void mb_child_release(struct mb_child *ch)
{
    close_handle(&ch->in);
}

/* What the exited child's handle tells; 0 is no figure. Under Wine none
 * is the child's: PageFaultCount and the I/O counters read 0, and a
 * child's GetProcessTimes is not its own (it grows from one start to the
 * next, past the start's wall time). */
static void read_usage(HANDLE p, struct mb_child_usage *u)
{
    if (mb_w32_wine_version())
        return;
    uint64_t user, kernel;
    if (mb_w32_process_cpu(p, &user, &kernel) == 0) {
        u->user_ns = (double)user;
        u->sys_ns = (double)kernel;
    }
    PROCESS_MEMORY_COUNTERS pmc;
    if (GetProcessMemoryInfo(p, &pmc, sizeof pmc) && pmc.PageFaultCount)
        u->minor_faults = (double)pmc.PageFaultCount;
    IO_COUNTERS io;
    if (GetProcessIoCounters(p, &io) && io.ReadOperationCount)
        u->read_calls = (double)io.ReadOperationCount;
}

int mb_child_finish(struct mb_child *ch, struct mb_child_usage *u, char *out, size_t outlen)
{
    *u = (struct mb_child_usage){.user_ns = -1, .sys_ns = -1, .major_faults = -1,
                                 .minor_faults = -1, .inblock = -1, .maxrss_bytes = -1,
                                 .read_bytes = -1, .read_calls = -1, .exit_code = -1};
    if (!ch->process)
        return mb_fail(MB_EENV, "no child to wait for");
    close_handle(&ch->in);
    mb_pipe_drain(handle_read, &ch->out, out, outlen);
    int rc = 0;
    if (WaitForSingleObject(ch->process, INFINITE) != WAIT_OBJECT_0)
        rc = mb_fail(MB_EENV, "WaitForSingleObject: %s", mb_w32_strerror(GetLastError()));
    u->wall_ns = mb_now_ns() - ch->start_ns;
    DWORD code = 0;
    if (rc == 0 && !GetExitCodeProcess(ch->process, &code))
        rc = mb_fail(MB_EENV, "GetExitCodeProcess: %s", mb_w32_strerror(GetLastError()));
    if (rc == 0) {
        read_usage(ch->process, u);
        u->exit_code = (int)code;
    }
    close_handle(&ch->out);
    close_handle(&ch->process);
    ch->pid = 0;
    return rc;
}

void mb_child_kill(struct mb_child *ch)
{
    if (ch->process) {
        TerminateProcess(ch->process, 1);
        WaitForSingleObject(ch->process, INFINITE);
    }
    close_handle(&ch->in);
    close_handle(&ch->out);
    close_handle(&ch->process);
    ch->pid = 0;
}

int mb_child_memory_read(const struct mb_child *ch, struct mb_child_memory *m)
{
    (void)ch;
    memset(m, 0, sizeof *m);
    return mb_fail(MB_EUNSUPPORTED, "Windows has no per-process sum of shared and private "
                   "pages (smaps_rollup); QueryWorkingSetEx page by page is not used");
}
