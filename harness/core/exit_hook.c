/* The exit hooks (exit_hook.h): a fixed table, because the signal handler
 * that runs them may not allocate. */
#include <signal.h>
#include <stddef.h>

#include "mmbench/error.h"
#include "mmbench/exit_hook.h"

#define MAX_HOOKS 8

static void (*volatile hooks[MAX_HOOKS])(void);
static volatile sig_atomic_t nhooks;

int mb_exit_hook_add(void (*fn)(void))
{
    for (sig_atomic_t i = 0; i < nhooks; i++)
        if (hooks[i] == fn)
            return 0;
    if (nhooks >= MAX_HOOKS)
        return mb_fail(MB_ENOMEM, "too many exit hooks");
    hooks[nhooks] = fn;
    nhooks = nhooks + 1; /* published after the slot is filled */
    return 0;
}

void mb_exit_hooks_run(void)
{
    while (nhooks > 0) {
        sig_atomic_t i = nhooks - 1;
        void (*fn)(void) = hooks[i];
        nhooks = i; /* forgotten first: a signal inside fn does not rerun it */
        if (fn)
            fn();
    }
}

void mb_exit_hooks_forget(void)
{
    nhooks = 0;
}
