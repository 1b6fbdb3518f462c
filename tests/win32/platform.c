/* The Win32 platform layer itself: environment probe and Wine detection,
 * counters that are unavailable rather than 0, the timer, cache control that
 * says what Windows cannot do, files and directories, exclusive result
 * files, and child processes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w32test.h"

static void check_env(void)
{
    struct mb_env env;
    mb_env_probe(mb_default_scratch_dir(), &env);
    const char *wine = mb_w32_wine_version();
    CHECK(strcmp(env.os, "Windows") == 0, "os: %s, version %s, %s, %u CPUs, fs %s", env.os,
          env.kernel, env.arch, env.num_cpus, env.fs_type);
    CHECK(env.under_wine == (wine != NULL), "under_wine is detected: %s",
          env.under_wine ? env.wine_version : "no (Windows)");
    if (wine)
        CHECK(env.wine_version[0] && strstr(env.kernel, "Wine") && strstr(env.counters_note, "Wine") &&
                  strstr(env.cache_note, "Wine"),
              "under Wine the version, the counters note and the cache note say so");
    CHECK(env.counters_note[0] && env.cache_note[0], "counters note: %s", env.counters_note);
    CHECK(env.page_size == mb_page_size() && env.alloc_granularity == mb_alloc_granularity(),
          "page size %zu, allocation granularity %zu", env.page_size, env.alloc_granularity);
    CHECK(env.readahead_kb == -1 && !env.has_load_avg,
          "no readahead setting and no load average on Windows: left unknown");
}

static bool has(const struct mb_counters *c, enum mb_field f)
{
    return (c->valid >> f) & 1u;
}

static void check_counters(void)
{
    struct mb_counters a, b;
    uint64_t cpu = 0;
    CHECK(mb_counters_read(&a, MB_COUNTERS_BEFORE) == 0 && has(&a, MB_F_USER) &&
              has(&a, MB_F_SYS) && mb_cpu_now_ns(&cpu) == 0 &&
              (double)cpu >= a.v[MB_F_USER] + a.v[MB_F_SYS],
          "GetProcessTimes gives user and kernel time, and mb_cpu_now_ns their sum");
    CHECK(!has(&a, MB_F_MAJOR) && !has(&a, MB_F_STORAGE_BYTES) && !has(&a, MB_F_STORAGE_OPS),
          "major faults, storage bytes and storage operations are unavailable, not 0");
    if (mb_w32_wine_version()) {
        CHECK(!has(&a, MB_F_MINOR) && !has(&a, MB_F_OS_CALLS),
              "under Wine PageFaultCount and GetProcessIoCounters are reported unavailable");
    } else {
        CHECK(has(&a, MB_F_MINOR) && has(&a, MB_F_OS_CALLS),
              "PageFaultCount and ReadOperationCount are available");
        size_t n = 64 << 20;
        volatile char *p = VirtualAlloc(NULL, n, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        for (size_t i = 0; p && i < n; i += 4096)
            p[i] = 1;
        mb_counters_read(&b, MB_COUNTERS_AFTER);
        CHECK(b.v[MB_F_MINOR] - a.v[MB_F_MINOR] >= (double)(n / 4096 / 2),
              "touching %zu fresh pages adds page faults (%.0f)", n / 4096,
              b.v[MB_F_MINOR] - a.v[MB_F_MINOR]);
        VirtualFree((void *)p, 0, MEM_RELEASE);
    }
    /* Burn some CPU: user time must move. */
    uint64_t t0 = mb_now_ns();
    volatile double x = 1;
    while (mb_now_ns() - t0 < 60000000ull)
        x = x * 1.0000001 + 1e-9;
    mb_counters_read(&b, MB_COUNTERS_AFTER);
    double used = b.v[MB_F_USER] + b.v[MB_F_SYS] - a.v[MB_F_USER] - a.v[MB_F_SYS];
    CHECK(used > 0, "60 ms of spinning shows as CPU time (%.0f ns)", used);
}

static void check_timer(void)
{
    uint64_t res = mb_timer_resolution_ns(), t0 = mb_now_ns();
    Sleep(30);
    uint64_t t1 = mb_now_ns();
    CHECK(res > 0 && res < 1000000, "QueryPerformanceCounter resolution %llu ns",
          (unsigned long long)res);
    CHECK(t1 > t0 && t1 - t0 >= 20000000ull && t1 - t0 < 5000000000ull,
          "Sleep(30) measures %.1f ms", (double)(t1 - t0) / 1e6);
}

static void check_cache(const char *path)
{
    uint64_t r = 7, t = 7;
    int rc = mb_cache_resident(path, &r, &t);
    CHECK(rc == MB_EUNSUPPORTED && strstr(mb_last_error(), "mincore") && r == 7 && t == 7,
          "residency is unsupported, with the reason: %s", mb_last_error());
    CHECK(mb_cache_drop_all() == MB_EUNSUPPORTED, "dropping the whole cache is unsupported: %s",
          mb_last_error());
    CHECK(mb_cache_warm(path) == 0 && mb_cache_evict(path) == 0,
          "warming (a sequential read) and the best-effort eviction run");
}

static void check_files(const char *dir)
{
    char nested[MAX_PATH], p[MAX_PATH + 32];
    snprintf(nested, sizeof nested, "%s\\mmbench-test-%lu\\a/b", dir,
             (unsigned long)GetCurrentProcessId());
    CHECK(mb_mkdir_p(nested) == 0 && mb_dir_check_writable(nested) == 0,
          "mb_mkdir_p creates %s", nested);
    CHECK(mb_dir_check_writable("Z:\\no\\such\\dir-mmbench") == MB_EUSAGE,
          "a missing directory is a usage error: %s", mb_last_error());

    snprintf(p, sizeof p, "%s\\result.csv", nested);
    FILE *f = mb_fopen_new(p);
    if (CHECK(f != NULL, "mb_fopen_new creates %s", p)) {
        fputs("a\nb\n", f);
        fclose(f);
    }
    CHECK(mb_fopen_new(p) == NULL, "...and refuses it once it exists: %s", mb_last_error());
    uint8_t *buf = NULL;
    size_t len = 0;
    CHECK(mb_file_read_all(p, &buf, &len) == 0 && len == 4 && memcmp(buf, "a\nb\n", 4) == 0,
          "lines end in \\n, not \\r\\n (binary mode)");
    free(buf);

    char tmp[MAX_PATH + 48];
    snprintf(tmp, sizeof tmp, "%s.tmp.1", p);
    f = mb_fopen_new(tmp);
    if (f) {
        fputs("new\n", f);
        fclose(f);
    }
    CHECK(mb_file_commit(tmp, p) == 0 && !mb_path_exists(tmp),
          "mb_file_commit replaces an existing file (MoveFileEx)");
    buf = NULL;
    CHECK(mb_file_read_all(p, &buf, &len) == 0 && len == 4 && memcmp(buf, "new\n", 4) == 0,
          "...with the new content");
    free(buf);
    mb_scratch_remove(p);
    CHECK(mb_path_exists(p), "mb_scratch_remove leaves a file it did not create alone");
    DeleteFileA(p);
    snprintf(p, sizeof p, "%s\\mmbench-test-%lu\\a/b", dir, (unsigned long)GetCurrentProcessId());
    RemoveDirectoryA(p);
    snprintf(p, sizeof p, "%s\\mmbench-test-%lu\\a", dir, (unsigned long)GetCurrentProcessId());
    RemoveDirectoryA(p);
    snprintf(p, sizeof p, "%s\\mmbench-test-%lu", dir, (unsigned long)GetCurrentProcessId());
    RemoveDirectoryA(p);
}

static void check_scratch(void)
{
    char *path = w32t_file("platform", 100000);
    if (!path)
        return;
    CHECK(mb_path_exists(path), "scratch file %s exists", path);
    check_cache(path);
    FILE *f = fopen(path, "rb");
    char buf[16];
    if (CHECK(f != NULL, "fopen of the scratch file")) {
        int rc = mb_stdio_no_readahead(f);
        CHECK(rc == 0, "mb_stdio_no_readahead reopens the stream's handle with "
              "FILE_FLAG_RANDOM_ACCESS (%s)", rc ? mb_last_error() : "ok");
        fseek(f, 5000, SEEK_SET);
        CHECK(fread(buf, 1, sizeof buf, f) == sizeof buf && w32t_same((uint8_t *)buf, 5000, sizeof buf),
              "...and the stream still reads the right bytes");
        fclose(f);
    }
    mb_scratch_remove(path);
    CHECK(!mb_path_exists(path), "mb_scratch_remove deletes it");
    free(path);
}

static void check_process(void)
{
    char exe[MAX_PATH];
    GetModuleFileNameA(NULL, exe, sizeof exe);
    char *argv[] = {exe, "exit", "7", NULL};
    int rc = mb_run_program(argv);
    CHECK(rc == 7, "mb_run_program runs a program and returns its exit status (%d)", rc);
    char *script[] = {"plot-records-does-not-exist", NULL};
    CHECK(mb_run_program(script) == MB_EENV, "a missing program: %s", mb_last_error());
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    check_env();
    check_counters();
    check_timer();
    check_files(mb_default_scratch_dir());
    check_scratch();
    check_process();
    return w32t_finish("platform");
}
