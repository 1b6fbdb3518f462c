/* CLOCK_MONOTONIC: steady across NTP slews, and served by the vDSO so a
 * reading costs tens of nanoseconds without entering the kernel. */
#include <time.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

uint64_t mb_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int mb_cpu_now_ns(uint64_t *ns)
{
    /* The scheduler's runtime of the process, in ns: precise where
     * getrusage's split into user and system time is tick-sampled. */
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return MB_EUNSUPPORTED;
    *ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    return 0;
}

uint64_t mb_timer_resolution_ns(void)
{
    struct timespec ts;
    if (clock_getres(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
