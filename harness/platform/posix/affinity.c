/* CPU affinity (--cpu). */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

int mb_pin_cpu(unsigned cpu)
{
    if (cpu >= CPU_SETSIZE)
        return mb_fail(MB_EUSAGE, "CPU %u does not exist", cpu);
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        return mb_fail(errno == EINVAL ? MB_EUSAGE : MB_EENV, "cannot run on CPU %u (%s)", cpu,
                       strerror(errno));
    return 0;
}
