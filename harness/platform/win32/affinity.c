/* CPU affinity (--cpu). */
#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

int mb_pin_cpu(unsigned cpu)
{
    if (cpu >= 8 * sizeof(DWORD_PTR))
        return mb_fail(MB_EUSAGE, "CPU %u does not exist", cpu);
    DWORD_PTR mask = (DWORD_PTR)1 << cpu;
    if (SetThreadAffinityMask(GetCurrentThread(), mask) == 0) {
        DWORD err = GetLastError();
        return mb_fail(err == ERROR_INVALID_PARAMETER ? MB_EUSAGE : MB_EENV,
                       "cannot run on CPU %u (%s)", cpu, mb_w32_strerror(err));
    }
    return 0;
}

void mb_w32_pass_pin(HANDLE child)
{
    DWORD_PTR proc_mask, sys_mask;
    if (!GetProcessAffinityMask(GetCurrentProcess(), &proc_mask, &sys_mask))
        return;
    /* Windows has no call that reads a thread's mask: setting one returns
     * the previous, which is put back at once (outside any timed region). */
    DWORD_PTR mine = SetThreadAffinityMask(GetCurrentThread(), proc_mask);
    if (!mine)
        return;
    SetThreadAffinityMask(GetCurrentThread(), mine);
    if (mine != proc_mask)
        SetProcessAffinityMask(child, mine);
}
