/* Environment probe: what every result file says about the machine, and
 * whether it is Windows at all or Wine pretending to be it. Wine is detected
 * (ntdll exports wine_get_version), never configured, because Wine's counters
 * and cache behaviour differ from Windows' and every output must say so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/platform.h"
#include "win32.h"

static const SYSTEM_INFO *system_info(void)
{
    static SYSTEM_INFO si;
    static bool done;
    if (!done) {
        GetNativeSystemInfo(&si);
        done = true;
    }
    return &si;
}

size_t mb_page_size(void)
{
    DWORD p = system_info()->dwPageSize;
    return p ? p : 4096;
}

size_t mb_alloc_granularity(void)
{
    DWORD g = system_info()->dwAllocationGranularity;
    return g ? g : 65536;
}

/* GetProcAddress returns FARPROC; going through void (*)(void) is the
 * documented way to convert it without -Wcast-function-type noise. */
typedef void (*any_fn)(void);

static any_fn ntdll_export(const char *name)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    return ntdll ? (any_fn)GetProcAddress(ntdll, name) : NULL;
}

const char *mb_w32_wine_version(void)
{
    static const char *version;
    static bool done;
    if (!done) {
        typedef const char *(CDECL * version_fn)(void);
        version_fn get = (version_fn)ntdll_export("wine_get_version");
        version = get ? get() : NULL;
        done = true;
    }
    return version;
}

bool mb_w32_uncached_reads_work(void)
{
    return mb_w32_wine_version() == NULL;
}

static void windows_version(char *out, size_t len)
{
    typedef LONG(WINAPI * rtl_get_version_fn)(OSVERSIONINFOW *);
    /* RtlGetVersion, unlike GetVersionEx, does not lie to unmanifested
     * programs about the Windows release. */
    rtl_get_version_fn get = (rtl_get_version_fn)ntdll_export("RtlGetVersion");
    OSVERSIONINFOW v = {.dwOSVersionInfoSize = sizeof v};
    if (get && get(&v) == 0)
        snprintf(out, len, "%lu.%lu.%lu", (unsigned long)v.dwMajorVersion,
                 (unsigned long)v.dwMinorVersion, (unsigned long)v.dwBuildNumber);
    else
        out[0] = '\0';
    const char *wine = mb_w32_wine_version();
    if (wine) {
        typedef void(CDECL * host_fn)(const char **sysname, const char **release);
        host_fn host = (host_fn)ntdll_export("wine_get_host_version");
        const char *sys = NULL, *rel = NULL;
        if (host)
            host(&sys, &rel);
        size_t used = strlen(out);
        snprintf(out + used, len - used, " (Wine %s on %s %s)", wine, sys ? sys : "?",
                 rel ? rel : "?");
    }
}

static const char *arch_name(WORD a)
{
    switch (a) {
    case PROCESSOR_ARCHITECTURE_AMD64: return "x86_64";
    case PROCESSOR_ARCHITECTURE_INTEL: return "x86";
    case PROCESSOR_ARCHITECTURE_ARM: return "arm";
    case 12 /* PROCESSOR_ARCHITECTURE_ARM64 */: return "arm64";
    default: return "";
    }
}

static void cpu_model(char *out, size_t len)
{
    DWORD size = (DWORD)len;
    out[0] = '\0';
    if (RegGetValueA(HKEY_LOCAL_MACHINE, "HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0",
                     "ProcessorNameString", RRF_RT_REG_SZ, NULL, out, &size) != ERROR_SUCCESS)
        out[0] = '\0';
    /* Some firmware pads the name with spaces. */
    char *p = out;
    while (*p == ' ')
        p++;
    memmove(out, p, strlen(p) + 1);
    for (size_t n = strlen(out); n && out[n - 1] == ' '; n--)
        out[n - 1] = '\0';
}

static void fs_type(const char *dir, char *out, size_t len)
{
    char root[MAX_PATH], name[MAX_PATH + 1];
    out[0] = '\0';
    if (!dir || !GetVolumePathNameA(dir, root, sizeof root))
        return;
    if (GetVolumeInformationA(root, NULL, 0, NULL, NULL, NULL, name, sizeof name))
        snprintf(out, len, "%s", name);
}

/* How each counter is obtained here; printed with every result because the
 * columns keep their Linux names. */
static const char counters_windows[] =
    "minor_faults is GetProcessMemoryInfo PageFaultCount: soft and hard faults in one number "
    "(Windows does not separate them), so major_faults is unavailable; os_calls is "
    "GetProcessIoCounters ReadOperationCount (read calls; paging reads of mapped views are "
    "not counted); storage_bytes and storage_ops are unavailable (no per-process count of "
    "reads that reached storage); cpu_ns, user_ns and sys_ns come from GetProcessTimes, "
    "which advances in scheduler ticks (about 15.6 ms)";
static const char counters_wine[] =
    "under Wine GetProcessMemoryInfo PageFaultCount and GetProcessIoCounters report 0, so "
    "page faults are unavailable and os_calls is counted by the methods that count their own "
    "calls (ReadFile, MapViewOfFile); storage_bytes and storage_ops are unavailable; cpu_ns, "
    "user_ns and sys_ns come from GetProcessTimes, in Linux's 10 ms clock ticks";

static const char cache_windows[] =
    "Windows cannot report which pages of a file are cached (no mincore) and emptying the "
    "standby list needs a privilege mmbench does not ask for: warm = the whole file was read "
    "just before the timed region (residency not verified); cold = ReadFile with "
    "FILE_FLAG_NO_BUFFERING and sector-aligned reads that bypass the cache; cold for other "
    "file methods is reported unsupported";
static const char cache_wine[] =
    "Windows cannot report which pages of a file are cached (no mincore): warm = the whole "
    "file was read just before the timed region (residency not verified); cold is "
    "unsupported under Wine, which ignores FILE_FLAG_NO_BUFFERING (no O_DIRECT), so every "
    "read may come from Linux's page cache";

void mb_env_probe(const char *scratch_dir, struct mb_env *env)
{
    memset(env, 0, sizeof *env);
    env->cpu_scaling = -1; /* Windows reports no governor */
    snprintf(env->os, sizeof env->os, "Windows");
    windows_version(env->kernel, sizeof env->kernel);
    snprintf(env->arch, sizeof env->arch, "%s", arch_name(system_info()->wProcessorArchitecture));
    cpu_model(env->cpu, sizeof env->cpu);
    DWORD hn = sizeof env->hostname;
    if (!GetComputerNameA(env->hostname, &hn))
        env->hostname[0] = '\0';
    DWORD n = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    env->num_cpus = n ? (unsigned)n : (unsigned)system_info()->dwNumberOfProcessors;
    fs_type(scratch_dir, env->fs_type, sizeof env->fs_type);
    env->readahead_kb = -1; /* the cache manager's read-ahead has no per-device setting */
    env->page_size = mb_page_size();
    env->alloc_granularity = mb_alloc_granularity();
    const char *wine = mb_w32_wine_version();
    env->under_wine = wine != NULL;
    if (wine)
        snprintf(env->wine_version, sizeof env->wine_version, "%s", wine);
    snprintf(env->counters_note, sizeof env->counters_note, "%s",
             wine ? counters_wine : counters_windows);
    snprintf(env->cache_note, sizeof env->cache_note, "%s", wine ? cache_wine : cache_windows);
    /* Windows keeps no load average; has_load_avg stays false. */
}
