/* QueryPerformanceCounter: monotonic, and on current Windows read from the
 * invariant TSC without a kernel transition. Its frequency is fixed at boot,
 * so it is read once. */
#include "mmbench/platform.h"
#include "win32.h"

static uint64_t qpc_frequency(void)
{
    static uint64_t freq;
    if (!freq) {
        LARGE_INTEGER f;
        /* Documented never to fail on Windows XP and later. */
        QueryPerformanceFrequency(&f);
        freq = f.QuadPart > 0 ? (uint64_t)f.QuadPart : 1;
    }
    return freq;
}

uint64_t mb_now_ns(void)
{
    LARGE_INTEGER c;
    QueryPerformanceCounter(&c);
    uint64_t ticks = (uint64_t)c.QuadPart, f = qpc_frequency();
    /* Split to keep ticks * 1e9 from overflowing after a few days of uptime. */
    return ticks / f * 1000000000ull + ticks % f * 1000000000ull / f;
}

uint64_t mb_timer_resolution_ns(void)
{
    uint64_t f = qpc_frequency();
    return (1000000000ull + f - 1) / f;
}
