/* Paths removed at exit and on SIGINT/SIGTERM: scratch files and temporary
 * result files. The table is fixed-size and preallocated because the signal
 * handler may only call async-signal-safe functions (unlink, _exit). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

#define MAX_PATHS 128
#define MAX_PATH_LEN 4096

static char paths[MAX_PATHS][MAX_PATH_LEN];
static volatile sig_atomic_t used[MAX_PATHS];
static volatile sig_atomic_t got_signal;

int mb_cleanup_register(const char *path)
{
    if (strlen(path) >= MAX_PATH_LEN)
        return mb_fail(MB_EUSAGE, "path too long: %s", path);
    for (int i = 0; i < MAX_PATHS; i++)
        if (!used[i]) {
            memcpy(paths[i], path, strlen(path) + 1);
            used[i] = 1;
            return 0;
        }
    return mb_fail(MB_ENOMEM, "too many scratch files at once");
}

void mb_cleanup_forget(const char *path)
{
    for (int i = 0; i < MAX_PATHS; i++)
        if (used[i] && strcmp(paths[i], path) == 0) {
            used[i] = 0;
            return;
        }
}

bool mb_cleanup_known(const char *path)
{
    for (int i = 0; i < MAX_PATHS; i++)
        if (used[i] && strcmp(paths[i], path) == 0)
            return true;
    return false;
}

static void remove_all(void)
{
    for (int i = 0; i < MAX_PATHS; i++)
        if (used[i]) {
            unlink(paths[i]);
            used[i] = 0;
        }
}

void mb_cleanup_fatal(int sig)
{
    remove_all();
    /* Die of the same signal so the parent sees how we ended. */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_signal(int sig)
{
    got_signal = 1;
    mb_cleanup_fatal(sig);
}

void mb_cleanup_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    atexit(remove_all);
}

bool mb_interrupted(void)
{
    return got_signal != 0;
}
