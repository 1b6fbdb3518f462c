/* Paths removed at exit and on Ctrl+C / Ctrl+Break / console close: scratch
 * files and temporary result files. Windows delivers console events on a
 * thread of their own, so the first Ctrl+C only raises the flag the runner
 * checks between repetitions (the run then ends normally and atexit removes
 * the files: Windows cannot delete a file the measuring thread still has
 * open or mapped). A second Ctrl+C, or closing the console, removes what can
 * be removed and lets the default handler end the process. TerminateProcess
 * cannot be caught; its files stay behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/exit_hook.h"
#include "mmbench/platform.h"
#include "win32.h"

#define MAX_PATHS 128
#define MAX_PATH_LEN 4096

static char paths[MAX_PATHS][MAX_PATH_LEN];
static volatile LONG used[MAX_PATHS];
static volatile LONG got_signal;
static char stage_dir[MAX_PATH_LEN];
static volatile LONG stage_set;

int mb_cleanup_register(const char *path)
{
    size_t n = strlen(path);
    if (n >= MAX_PATH_LEN)
        return mb_fail(MB_EUSAGE, "path too long: %s", path);
    for (int i = 0; i < MAX_PATHS; i++)
        if (!used[i]) {
            memcpy(paths[i], path, n + 1);
            InterlockedExchange(&used[i], 1); /* published after the path is written */
            return 0;
        }
    return mb_fail(MB_ENOMEM, "too many scratch files at once");
}

bool mb_cleanup_known(const char *path)
{
    for (int i = 0; i < MAX_PATHS; i++)
        if (used[i] && strcmp(paths[i], path) == 0)
            return true;
    return false;
}

void mb_cleanup_forget(const char *path)
{
    for (int i = 0; i < MAX_PATHS; i++)
        if (used[i] && strcmp(paths[i], path) == 0) {
            InterlockedExchange(&used[i], 0);
            return;
        }
}

int mb_cleanup_set_dir(const char *dir)
{
    InterlockedExchange(&stage_set, 0);
    if (!dir)
        return 0;
    if (strlen(dir) >= MAX_PATH_LEN)
        return mb_fail(MB_EUSAGE, "path too long: %s", dir);
    memcpy(stage_dir, dir, strlen(dir) + 1);
    InterlockedExchange(&stage_set, 1);
    return 0;
}

static int remove_entry(const char *name, void *arg)
{
    char p[MAX_PATH_LEN + 260];
    snprintf(p, sizeof p, "%s\\%s", (const char *)arg, name);
    DeleteFileA(p);
    return 0;
}

/* Console events arrive on a thread of their own, where any call is allowed. */
static void remove_all(void)
{
    mb_exit_hooks_run();
    for (int i = MAX_PATHS - 1; i >= 0; i--)
        if (InterlockedExchange(&used[i], 0))
            DeleteFileA(paths[i]);
    if (InterlockedExchange(&stage_set, 0)) {
        mb_dir_each(stage_dir, remove_entry, stage_dir);
        RemoveDirectoryA(stage_dir);
    }
}

void mb_signals_defer(bool defer)
{
    /* Console events run on a thread of their own and only raise a flag on
     * the first Ctrl+C; there is nothing to defer. */
    (void)defer;
}

bool mb_stdout_lost(void)
{
    return false; /* a write to a closed pipe fails with an error, seen by ferror */
}

void mb_cleanup_fatal(int sig)
{
    InterlockedExchange(&got_signal, 1);
    remove_all();
    /* The exit code a crash would have had: 128 + the POSIX signal number. */
    TerminateProcess(GetCurrentProcess(), 128u + (unsigned)sig);
}

static BOOL WINAPI on_console_event(DWORD event)
{
    if ((event == CTRL_C_EVENT || event == CTRL_BREAK_EVENT) &&
        InterlockedExchange(&got_signal, 1) == 0)
        return TRUE; /* handled: the runner stops at the next repetition */
    InterlockedExchange(&got_signal, 1);
    remove_all();
    return FALSE; /* the default handler ends the process */
}

void mb_cleanup_install(void)
{
    SetConsoleCtrlHandler(on_console_event, TRUE);
    atexit(remove_all);
}

bool mb_interrupted(void)
{
    return got_signal != 0;
}
