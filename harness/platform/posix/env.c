/* Environment probe: what every result file says about the machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "env_cpu.h"
#include "mmbench/platform.h"

size_t mb_page_size(void)
{
    static size_t page;
    if (!page) {
        long p = sysconf(_SC_PAGESIZE);
        page = p > 0 ? (size_t)p : 4096;
    }
    return page;
}

size_t mb_alloc_granularity(void)
{
    return mb_page_size();
}

static void read_line(const char *path, char *out, size_t len)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fgets(out, (int)len, f))
        out[strcspn(out, "\n")] = '\0';
    fclose(f);
}

static void cpu_model(char *out, size_t len)
{
    out[0] = '\0';
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            const char *v = strchr(line, ':');
            if (v) {
                v++;
                while (*v == ' ')
                    v++;
                snprintf(out, len, "%s", v);
                out[strcspn(out, "\n")] = '\0';
            }
            break;
        }
    }
    fclose(f);
}

static const char *fs_name(long type)
{
    switch ((unsigned long)type) {
    case 0xEF53: return "ext4";
    case 0x58465342: return "xfs";
    case 0x9123683E: return "btrfs";
    case 0x01021994: return "tmpfs";
    case 0x794C7630: return "overlayfs";
    case 0x2FC12FC1: return "zfs";
    case 0x6969: return "nfs";
    case 0x65735546: return "fuse";
    case 0xF2F52010: return "f2fs";
    case 0x4d44: return "vfat";
    case 0x858458f6: return "ramfs";
    case 0x5346544e: return "ntfs";
    case 0x9fa0: return "proc";
    default: return NULL;
    }
}

static long block_readahead_kb(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return -1;
    char path[128], line[64];
    unsigned maj = major(st.st_dev), min = minor(st.st_dev);
    /* A whole disk has queue/ directly; a partition's queue is its parent's. */
    snprintf(path, sizeof path, "/sys/dev/block/%u:%u/queue/read_ahead_kb", maj, min);
    read_line(path, line, sizeof line);
    if (!line[0]) {
        snprintf(path, sizeof path, "/sys/dev/block/%u:%u/../queue/read_ahead_kb", maj, min);
        read_line(path, line, sizeof line);
    }
    return line[0] ? strtol(line, NULL, 10) : -1;
}

void mb_env_probe(const char *scratch_dir, struct mb_env *env)
{
    memset(env, 0, sizeof *env);
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(env->os, sizeof env->os, "%s", u.sysname);
        snprintf(env->kernel, sizeof env->kernel, "%s %s", u.release, u.version);
        snprintf(env->arch, sizeof env->arch, "%s", u.machine);
        snprintf(env->hostname, sizeof env->hostname, "%s", u.nodename);
    }
    cpu_model(env->cpu, sizeof env->cpu);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    env->num_cpus = n > 0 ? (unsigned)n : 0;
    struct statfs sf;
    if (scratch_dir && statfs(scratch_dir, &sf) == 0) {
        const char *name = fs_name((long)sf.f_type);
        if (name)
            snprintf(env->fs_type, sizeof env->fs_type, "%s", name);
        else
            snprintf(env->fs_type, sizeof env->fs_type, "0x%lx", (unsigned long)sf.f_type);
    }
    char thp[128];
    read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof thp);
    const char *lb = strchr(thp, '['), *rb = lb ? strchr(lb, ']') : NULL;
    if (lb && rb)
        snprintf(env->thp, sizeof env->thp, "%.*s", (int)(rb - lb - 1), lb + 1);
    env->readahead_kb = scratch_dir ? block_readahead_kb(scratch_dir) : -1;
    env->page_size = mb_page_size();
    env->alloc_granularity = mb_alloc_granularity();
    mb_env_probe_cpu(env);
    double la[3];
    if (getloadavg(la, 3) == 3) {
        memcpy(env->load_avg, la, sizeof la);
        env->has_load_avg = true;
    }
}
