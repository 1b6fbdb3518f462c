/* Start-ups on Windows are timed by mmbench: hyperfine does not run under
 * Wine, where the Win32 build is tested. */
#include "mmbench/startup.h"

const char *mb_startup_own_timer(void)
{
    return "timed by mmbench, not hyperfine: CreateProcess to the exit seen by "
           "WaitForSingleObject, QueryPerformanceCounter";
}
