/* The fault guard: a mapped file that shrinks under a pass raises SIGBUS on
 * the next access past its new end. Inside mb_guarded_call the handler
 * jumps back to the call, which fails with the offset; anywhere else a bus
 * error or a segmentation fault is a crash, and the process still removes
 * its scratch and temporary files before it dies of the signal. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

/* Per thread: a bus error is delivered to the thread that faulted, which
 * jumps back into its own guarded call; the watched mapping is the
 * process's. */
static _Thread_local sigjmp_buf landing;
static _Thread_local volatile sig_atomic_t armed;
static _Thread_local void *volatile fault_addr;
static const char *volatile watch_base;
static volatile size_t watch_len;

void mb_guard_watch(const void *base, size_t len)
{
    watch_base = base;
    watch_len = base ? len : 0;
}

static void on_fault(int sig, siginfo_t *si, void *uctx)
{
    (void)uctx;
    if (sig == SIGBUS && armed) {
        armed = 0;
        fault_addr = si->si_addr;
        siglongjmp(landing, 1);
    }
    mb_cleanup_fatal(sig);
}

/* Installed on every call (outside the timed region): a handler that
 * someone replaced since would otherwise leave the guard silently off. */
static void install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
}

static int fault_error(void)
{
    const char *a = fault_addr, *b = watch_base;
    if (b && a >= b && (size_t)(a - b) < watch_len)
        return mb_fail(MB_EENV, "the file was truncated during the pass (SIGBUS at offset %zu)",
                       (size_t)(a - b));
    return mb_fail(MB_EENV, "the file was truncated during the pass (SIGBUS at address %p)",
                   (void *)a);
}

int mb_guarded_call(int (*fn)(void *), void *arg)
{
    install();
    /* savemask = 1: the jump out of the handler restores the mask, so
     * SIGBUS is not left blocked for the next call. */
    if (sigsetjmp(landing, 1)) {
        int rc = fault_error();
        mb_guard_watch(NULL, 0);
        return rc;
    }
    armed = 1;
    int rc = fn(arg);
    armed = 0;
    return rc;
}
