/* Memory limits on Windows: not implemented. A Job Object's memory limit
 * caps committed memory, not the system file cache, so it cannot make a
 * file larger than the limit stay uncached; the run says so. */
#include "mmbench/error.h"
#include "mmbench/memlimit.h"

int mb_memlimit_enter(uint64_t bytes)
{
    (void)bytes;
    return mb_fail(MB_EUNSUPPORTED, "no memory cgroup on Windows (a Job Object limits "
                   "committed memory, not the file cache)");
}

void mb_memlimit_leave(void)
{
}

bool mb_memlimit_active(void)
{
    return false;
}

int mb_memlimit_usage(uint64_t *bytes)
{
    (void)bytes;
    return mb_fail(MB_EUNSUPPORTED, "no memory limit in force");
}
