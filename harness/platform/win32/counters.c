/* Process counters: GetProcessTimes for CPU time (cpu_ns is user + kernel,
 * in the scheduler-tick steps GetProcessTimes advances by), GetProcessMemoryInfo's
 * PageFaultCount (soft and hard faults in one number: reported as
 * minor_faults, with major_faults unavailable, and mb_env.counters_note says
 * so), GetProcessIoCounters' Read/WriteOperationCount for read and write calls. Under Wine
 * the last two always read 0, so they are reported unavailable rather than
 * as a measured zero. */
#include <stdio.h>
#include <string.h>

#define PSAPI_VERSION 2 /* GetProcessMemoryInfo from kernel32 (K32...), no psapi.dll */
#include "win32.h"
#include <psapi.h>
#include <winioctl.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static uint64_t filetime_ns(FILETIME t)
{
    return (((uint64_t)t.dwHighDateTime << 32) | t.dwLowDateTime) * 100ull;
}

/* The volume whose read and write requests are counted (IOCTL_DISK_PERFORMANCE), or
 * INVALID_HANDLE_VALUE. */
static HANDLE volume = INVALID_HANDLE_VALUE;

static bool volume_perf(HANDLE v, DISK_PERFORMANCE *perf)
{
    DWORD got;
    return DeviceIoControl(v, IOCTL_DISK_PERFORMANCE, NULL, 0, perf, sizeof *perf, &got, NULL) != 0;
}

int mb_counters_watch_device(const char *dir)
{
    if (volume != INVALID_HANDLE_VALUE) {
        CloseHandle(volume);
        volume = INVALID_HANDLE_VALUE;
    }
    char root[MAX_PATH], dev[MAX_PATH + 8];
    if (!GetVolumePathNameA(dir, root, sizeof root))
        return mb_fail(MB_EUNSUPPORTED, "no volume for %s: %s", dir, mb_w32_strerror(GetLastError()));
    size_t n = strlen(root);
    if (n != 3 || root[1] != ':')
        return mb_fail(MB_EUNSUPPORTED, "%s is not on a drive-letter volume", dir);
    /* Zero access rights: enough for this query, no administrator needed. */
    snprintf(dev, sizeof dev, "\\\\.\\%c:", root[0]);
    HANDLE v = CreateFileA(dev, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (v == INVALID_HANDLE_VALUE)
        return mb_fail(MB_EUNSUPPORTED, "cannot open volume %s: %s", dev,
                       mb_w32_strerror(GetLastError()));
    DISK_PERFORMANCE perf;
    if (!volume_perf(v, &perf)) {
        DWORD err = GetLastError();
        CloseHandle(v);
        return mb_fail(MB_EUNSUPPORTED, "IOCTL_DISK_PERFORMANCE on %s: %s", dev,
                       mb_w32_strerror(err));
    }
    volume = v;
    return 0;
}

int mb_cpu_now_ns(uint64_t *ns)
{
    /* Windows has no finer process CPU clock in time units
     * (QueryProcessCycleTime counts cycles); mb_env.counters_note gives the
     * granularity. */
    FILETIME created, exited, kernel, user;
    if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
        return MB_EUNSUPPORTED;
    *ns = filetime_ns(user) + filetime_ns(kernel);
    return 0;
}

static void set(struct mb_counters *c, enum mb_field f, double v)
{
    c->v[f] = v;
    c->valid |= MB_FIELD_BIT(f);
}

static void read_times(struct mb_counters *c)
{
    FILETIME created, exited, kernel, user;
    if (GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) {
        set(c, MB_F_USER, (double)filetime_ns(user));
        set(c, MB_F_SYS, (double)filetime_ns(kernel));
    }
}

int mb_counters_read(struct mb_counters *c, enum mb_counters_when when)
{
    memset(c, 0, sizeof *c);
    HANDLE self = GetCurrentProcess();
    if (when == MB_COUNTERS_AFTER)
        read_times(c);
    if (!mb_w32_wine_version()) {
        PROCESS_MEMORY_COUNTERS pmc;
        if (GetProcessMemoryInfo(self, &pmc, sizeof pmc))
            set(c, MB_F_MINOR, (double)pmc.PageFaultCount);
        IO_COUNTERS io;
        if (GetProcessIoCounters(self, &io)) {
            set(c, MB_F_OS_CALLS, (double)io.ReadOperationCount);
            set(c, MB_F_OS_WRITE_CALLS, (double)io.WriteOperationCount);
        }
    }
    DISK_PERFORMANCE perf;
    if (volume != INVALID_HANDLE_VALUE && volume_perf(volume, &perf)) {
        set(c, MB_F_DEVICE_READS, (double)perf.ReadCount);
        set(c, MB_F_DEVICE_WRITES, (double)perf.WriteCount);
    }
    if (when == MB_COUNTERS_BEFORE)
        read_times(c);
    return c->valid ? 0 : mb_fail(MB_EENV, "no process counters could be read");
}
