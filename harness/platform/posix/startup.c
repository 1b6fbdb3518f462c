/* Start-ups on POSIX are timed by hyperfine. */
#include <stddef.h>

#include "mmbench/startup.h"

const char *mb_startup_own_timer(void)
{
    return NULL;
}
