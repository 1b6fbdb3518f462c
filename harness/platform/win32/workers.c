/* Worker processes started together and released together (the
 * lostupdates suite), the Win32 twins of fork + a barrier: each worker is
 * mmbench.exe started again (MB_INTERNAL_WORKER_ARG) that rebuilds its
 * state from the text its suite's worker kind wrote, waits on a
 * manual-reset event (the barrier), works, and sets its own "done" event.
 * All of them live in one job object that kills them when this process
 * ends, however it ends; every other path terminates and waits for them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/internal_entry.h"
#include "mmbench/platform.h"
#include "mmbench/worker_kind.h"
#include "win32.h"

/* Windows has no signals: a worker ended the way SIGKILL ends one (by
 * mb_worker_die_now or mb_workers_kill) exits with this code, and is
 * reported as killed by signal 9, as on POSIX. */
#define KILLED_CODE 0x4B494C4Cu
#define SIGKILL_NUMBER 9

/* The handles of the one group alive at a time (a group is reaped or
 * killed before the next starts). */
static struct {
    HANDLE job, go;
    HANDLE proc[MB_WORKERS_MAX], done[MB_WORKERS_MAX];
    bool finished[MB_WORKERS_MAX];
} g;

const char *mb_workers_unsupported(void)
{
    return NULL;
}

static HANDLE inheritable_event(void)
{
    SECURITY_ATTRIBUTES sa = {.nLength = sizeof sa, .bInheritHandle = TRUE};
    return CreateEventA(&sa, TRUE, FALSE, NULL);
}

static int make_group(void)
{
    int rc = mb_w32_kill_on_close_job(&g.job);
    if (rc)
        return rc;
    if (!(g.go = inheritable_event()))
        return mb_fail(MB_EENV, "CreateEvent: %s", mb_w32_strerror(GetLastError()));
    return 0;
}

/* Starts worker i, suspended until it is in the job. */
static int start_one(struct mb_workers *w, unsigned i, const struct mb_worker_kind *k,
                     const char *exe, const char *text)
{
    if (!(g.done[i] = inheritable_event()))
        return mb_fail(MB_EENV, "CreateEvent: %s", mb_w32_strerror(GetLastError()));
    size_t len = strlen(exe) + strlen(text) + strlen(k->suite) + 160;
    char *cmd = malloc(len);
    if (!cmd)
        return mb_fail(MB_ENOMEM, "out of memory");
    snprintf(cmd, len, "\"%s\" %s %s %u %llu %llu \"%s\"", exe, MB_INTERNAL_WORKER_ARG, k->suite,
             i, (unsigned long long)(uintptr_t)g.go, (unsigned long long)(uintptr_t)g.done[i],
             text);
    STARTUPINFOA si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    char what[32];
    snprintf(what, sizeof what, "worker %u", i);
    int rc = mb_w32_start_in_job(exe, cmd, &si, g.job, what, &pi);
    free(cmd);
    if (rc)
        return rc;
    g.proc[i] = pi.hProcess;
    w->pid[i] = (long)pi.dwProcessId;
    w->n = i + 1;
    /* The next workers need not hold this one's event. */
    SetHandleInformation(g.done[i], HANDLE_FLAG_INHERIT, 0);
    return 0;
}

int mb_workers_start(struct mb_workers *w, unsigned n, const struct mb_worker_kind *k,
                     void *arg)
{
    memset(w, 0, sizeof *w);
    w->go_fd = w->done_fd = -1;
    if (n == 0 || n > MB_WORKERS_MAX)
        return mb_fail(MB_EUSAGE, "%u workers: 1 to %d", n, MB_WORKERS_MAX);
    if (g.job)
        return mb_fail(MB_EENV, "a group of workers is still alive");
    /* From here the live group's handles are this one's. */
    w->started = true;
    if (!k->describe || !k->attach)
        return mb_fail(MB_EUNSUPPORTED, "the %s suite's workers need fork(), which Windows lacks",
                       k->suite);
    char exe[MAX_PATH], text[2048];
    DWORD len = GetModuleFileNameA(NULL, exe, sizeof exe);
    if (len == 0 || len >= sizeof exe)
        return mb_fail(MB_EENV, "GetModuleFileName: %s", mb_w32_strerror(GetLastError()));
    int rc = k->describe(arg, text, sizeof text);
    rc = rc ? rc : make_group();
    for (unsigned i = 0; !rc && i < n; i++)
        rc = start_one(w, i, k, exe, text);
    if (!rc)
        w->pgid = w->pid[0];
    else
        mb_workers_kill(w);
    return rc;
}

/* Marks the workers that have reported, or ended without reporting. */
static void collect(struct mb_workers *w)
{
    for (unsigned i = 0; i < w->n; i++) {
        if (g.finished[i])
            continue;
        /* Ended first: a worker that sets "done" and exits between the
         * two looks would otherwise count as ending without reporting. */
        bool ended = WaitForSingleObject(g.proc[i], 0) == WAIT_OBJECT_0;
        bool reported = WaitForSingleObject(g.done[i], 0) == WAIT_OBJECT_0;
        if (reported || ended) {
            g.finished[i] = true;
            w->done += reported;
        }
    }
}

int mb_workers_go(struct mb_workers *w, uint64_t timeout_ns)
{
    if (!SetEvent(g.go))
        return mb_fail(MB_EENV, "SetEvent: %s", mb_w32_strerror(GetLastError()));
    uint64_t deadline = mb_now_ns() + timeout_ns;
    for (;;) {
        collect(w);
        HANDLE wait[2 * MB_WORKERS_MAX];
        DWORD nw = 0;
        for (unsigned i = 0; i < w->n; i++)
            if (!g.finished[i])
                wait[nw++] = g.done[i], wait[nw++] = g.proc[i];
        if (nw == 0)
            return 0;
        uint64_t now = mb_now_ns();
        if (now >= deadline)
            return mb_fail(MB_EENV, "%lu of %u workers had not finished after %.0f s",
                           (unsigned long)nw / 2, w->n, (double)timeout_ns / 1e9);
        uint64_t ms = (deadline - now) / 1000000u + 1;
        if (WaitForMultipleObjects(nw, wait, FALSE, ms > 60000 ? 60000 : (DWORD)ms) ==
            WAIT_FAILED)
            return mb_fail(MB_EENV, "WaitForMultipleObjects: %s",
                           mb_w32_strerror(GetLastError()));
    }
}

static void close_group(struct mb_workers *w)
{
    for (unsigned i = 0; i < MB_WORKERS_MAX; i++) {
        if (g.proc[i])
            CloseHandle(g.proc[i]);
        if (g.done[i])
            CloseHandle(g.done[i]);
        w->pid[i] = 0;
    }
    if (g.go)
        CloseHandle(g.go);
    if (g.job)
        CloseHandle(g.job);
    memset(&g, 0, sizeof g);
    w->pgid = 0;
    w->started = false;
}

int mb_workers_reap(struct mb_workers *w)
{
    w->cpu_ns = 0;
    for (unsigned i = 0; i < w->n && g.proc[i]; i++) {
        DWORD code = 0;
        if (WaitForSingleObject(g.proc[i], INFINITE) != WAIT_OBJECT_0 ||
            !GetExitCodeProcess(g.proc[i], &code)) {
            DWORD err = GetLastError();
            mb_workers_kill(w);
            return mb_fail(MB_EENV, "waiting for worker %u: %s", i, mb_w32_strerror(err));
        }
        bool killed = code == KILLED_CODE;
        w->exit_code[i] = killed ? -1 : (int)code;
        w->signal[i] = killed ? SIGKILL_NUMBER : 0;
        uint64_t user = 0, kernel = 0;
        if (mb_w32_process_cpu(g.proc[i], &user, &kernel) == 0)
            w->cpu_ns += (double)(user + kernel);
    }
    close_group(w);
    return 0;
}

void mb_workers_kill(struct mb_workers *w)
{
    /* The handles are the one live group's: a zeroed group owns none. */
    if (!w->started || !g.job)
        return;
    TerminateJobObject(g.job, KILLED_CODE);
    /* One by one too: a worker whose start failed may be outside the job. */
    for (unsigned i = 0; i < MB_WORKERS_MAX; i++)
        if (g.proc[i]) {
            TerminateProcess(g.proc[i], KILLED_CODE);
            WaitForSingleObject(g.proc[i], INFINITE);
        }
    close_group(w);
}

void mb_worker_die_now(void)
{
    TerminateProcess(GetCurrentProcess(), KILLED_CODE);
}

void mb_sleep_ns(uint64_t ns)
{
    Sleep((DWORD)((ns + 999999u) / 1000000u));
}

int mb_w32_worker_main(const struct mb_worker_kind *k, int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "mmbench: %s is mmbench's own, not a command\n", MB_INTERNAL_WORKER_ARG);
        return 2;
    }
    unsigned i = (unsigned)strtoul(argv[0], NULL, 10);
    HANDLE go = (HANDLE)(uintptr_t)strtoull(argv[1], NULL, 10);
    HANDLE done = (HANDLE)(uintptr_t)strtoull(argv[2], NULL, 10);
    void *arg = NULL;
    int rc = k->attach(argv[3], &arg);
    if (rc) {
        fprintf(stderr, "mmbench worker %u: %s\n", i, mb_last_error());
        return 1;
    }
    if (WaitForSingleObject(go, INFINITE) != WAIT_OBJECT_0)
        return 3;
    rc = k->fn(arg, i);
    if (rc == 0)
        SetEvent(done);
    return rc == 0 ? 0 : 1;
}
