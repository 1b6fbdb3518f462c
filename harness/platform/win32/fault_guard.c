/* The fault guard on Windows: an in-page error (EXCEPTION_IN_PAGE_ERROR: the
 * data behind a view could not be read; under Wine, an access violation in
 * a view whose file shrank) inside mb_guarded_call makes the call fail with
 * the offset instead of ending the process. MinGW's C has
 * no __try, so a vectored handler redirects the faulting thread to a
 * landing function that jumps back into mb_guarded_call with GCC's
 * non-unwinding __builtin_longjmp (no frame between them holds anything to
 * release: the caller's release hook does that). */
#include <stdint.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

/* Per thread: the vectored handler runs on the thread that faulted, which
 * lands back in its own guarded call; the watched view is the process's. */
static _Thread_local void *landing[5]; /* __builtin_setjmp's buffer */
static _Thread_local volatile LONG armed;
static _Thread_local const char *volatile fault_addr;
static const char *volatile watch_base;
static volatile size_t watch_len;

void mb_guard_watch(const void *base, size_t len)
{
    watch_base = base;
    watch_len = base ? len : 0;
}

static void __attribute__((noinline, noreturn)) land(void)
{
    __builtin_longjmp(landing, 1);
}

/* An in-page error anywhere, or an access violation inside the watched
 * view: Wine turns the SIGBUS of a file that shrank under a mapping into
 * the latter. Any other fault is a crash. */
static bool is_file_fault(const EXCEPTION_RECORD *er)
{
    const char *a = (const char *)er->ExceptionInformation[1], *b = watch_base;
    if (er->ExceptionCode == EXCEPTION_IN_PAGE_ERROR)
        return true;
    return er->ExceptionCode == EXCEPTION_ACCESS_VIOLATION && b && a >= b &&
           (size_t)(a - b) < watch_len;
}

static LONG WINAPI on_exception(EXCEPTION_POINTERS *ep)
{
    if (!armed || !is_file_fault(ep->ExceptionRecord) || !InterlockedExchange(&armed, 0))
        return EXCEPTION_CONTINUE_SEARCH;
    fault_addr = (const char *)ep->ExceptionRecord->ExceptionInformation[1];
#if defined(_M_X64) || defined(__x86_64__)
    /* As if land() had been called: a 16-byte aligned stack less the
     * return address. */
    ep->ContextRecord->Rsp = (ep->ContextRecord->Rsp & ~(DWORD64)15) - 8;
    ep->ContextRecord->Rip = (DWORD64)(uintptr_t)land;
#else
    ep->ContextRecord->Esp = (ep->ContextRecord->Esp & ~(DWORD)15) - 4;
    ep->ContextRecord->Eip = (DWORD)(uintptr_t)land;
#endif
    return EXCEPTION_CONTINUE_EXECUTION;
}

static int fault_error(void)
{
    const char *a = fault_addr, *b = watch_base;
    if (b && a >= b && (size_t)(a - b) < watch_len)
        return mb_fail(MB_EENV,
                       "the file was truncated during the pass (in-page error at offset %zu)",
                       (size_t)(a - b));
    return mb_fail(MB_EENV, "the file was truncated during the pass (in-page error at %p)",
                   (const void *)a);
}

int mb_guarded_call(int (*fn)(void *), void *arg)
{
    static PVOID handler;
    if (!handler)
        handler = AddVectoredExceptionHandler(1, on_exception);
    if (__builtin_setjmp(landing)) {
        int rc = fault_error();
        mb_guard_watch(NULL, 0);
        return rc;
    }
    InterlockedExchange(&armed, 1);
    int rc = fn(arg);
    InterlockedExchange(&armed, 0);
    return rc;
}
