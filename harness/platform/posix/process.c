/* The process itself and its children: the chart drivers in scripts/, who
 * this process is (for owner records), where its executable lives, and the
 * CPUs it may run on. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "posix.h"

extern char **environ;

static int run(char *const argv[], bool silent)
{
    /* Its own process group: a signal that ends mmbench ends the driver and
     * its gnuplot too (cleanup.c), before their files are removed. */
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t fa;
    pid_t pid;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawn_file_actions_init(&fa);
    if (silent)
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    int e = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (e)
        return mb_fail(MB_EENV, "cannot start %s: %s", argv[0], strerror(e));
    mb_posix_child_pgid = pid;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            mb_posix_child_pgid = 0;
            return mb_fail(MB_EENV, "waitpid: %s", strerror(errno));
        }
    mb_posix_child_pgid = 0;
    if (!WIFEXITED(status))
        return mb_fail(MB_EENV, "%s died of signal %d", argv[0], WTERMSIG(status));
    return WEXITSTATUS(status);
}

int mb_run_program(char *const argv[])
{
    return run(argv, false);
}

int mb_run_program_silent(char *const argv[])
{
    return run(argv, true);
}

/* Field 22 of /proc/PID/stat: the start time in clock ticks since boot. The
 * command name (field 2) may hold spaces and parentheses: count from the
 * last ')'. Returns 0 when unknown. */
static unsigned long long start_time(long pid)
{
    char path[64], buf[1024];
    /* Our own through "self": in a PID namespace without its own /proc
     * mount, /proc/<getpid()> is another process. */
    if (pid == (long)getpid())
        snprintf(path, sizeof path, "/proc/self/stat");
    else
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return 0;
    unsigned long long v = 0;
    /* After ")": the space before field 3 (the state), ..., before field 22. */
    for (int field = 3; field <= 22 && p; field++)
        p = strchr(p + 1, ' ');
    if (p)
        v = strtoull(p + 1, NULL, 10);
    return v;
}

static void boot_id(char *buf, size_t len)
{
    buf[0] = '\0';
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
    if (!f)
        return;
    if (fgets(buf, (int)len, f))
        buf[strcspn(buf, "\n")] = '\0';
    fclose(f);
}

int mb_owner_self(struct mb_owner *o)
{
    o->pid = (long)getpid();
    o->start = start_time(o->pid);
    boot_id(o->boot, sizeof o->boot);
    return 0;
}

bool mb_owner_alive(const struct mb_owner *o)
{
    char boot[sizeof o->boot];
    boot_id(boot, sizeof boot);
    if (o->boot[0] && boot[0] && strcmp(o->boot, boot) != 0)
        return false; /* the machine rebooted since */
    if (o->pid <= 0 || (kill((pid_t)o->pid, 0) != 0 && errno == ESRCH))
        return false;
    /* A pid in use again, by a process started at another time: in a new
     * PID namespace every run is pid 1 or 2. */
    unsigned long long now = start_time(o->pid);
    return !(o->start && now && now != o->start);
}

int mb_self_dir(char *buf, size_t len)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return mb_fail(MB_EENV, "readlink /proc/self/exe: %s", strerror(errno));
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash || (size_t)(slash - exe) >= len)
        return mb_fail(MB_EENV, "executable path too long");
    *slash = '\0';
    snprintf(buf, len, "%s", exe[0] ? exe : "/");
    return 0;
}

/* "0-1,4" from the set, into buf. */
static void cpu_list(const cpu_set_t *set, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int c = 0; c < CPU_SETSIZE && used + 16 < len; c++) {
        if (!CPU_ISSET(c, set) || (c > 0 && CPU_ISSET(c - 1, set)))
            continue;
        int e = c;
        while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, set))
            e++;
        used += (size_t)(e > c ? snprintf(buf + used, len - used, "%s%d-%d", used ? "," : "", c, e)
                               : snprintf(buf + used, len - used, "%s%d", used ? "," : "", c));
    }
}

int mb_cpu_check(unsigned cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return mb_fail(MB_EUSAGE, "cannot read the CPUs this process may use (%s)",
                       strerror(errno));
    char allowed[256];
    cpu_list(&set, allowed, sizeof allowed);
    if (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &set))
        return mb_fail(MB_EUSAGE, "CPU %u does not exist or this process may not use it (allowed: %s)",
                       cpu, allowed);
    return 0;
}
