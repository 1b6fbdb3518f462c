/* The CPU's caches and clock for the environment probe, read where Google
 * Benchmark reads them (sysfs cache/indexN, cpufreq, /proc/cpuinfo). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env_cpu.h"

static int read_text(const char *path, char *out, size_t len)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(out, (int)len, f))
        out[0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    fclose(f);
    return out[0] ? 0 : -1;
}

/* Counts the CPUs of a list such as "0-3,8,10-11". */
static int count_cpus(const char *list)
{
    int n = 0;
    for (const char *p = list; *p;) {
        char *end;
        long a = strtol(p, &end, 10), b = a;
        if (end == p)
            break;
        if (*end == '-')
            b = strtol(end + 1, &end, 10);
        n += (int)(b - a + 1);
        p = *end == ',' ? end + 1 : end;
    }
    return n;
}

static void read_caches(struct mb_env *env)
{
    for (int i = 0; env->ncaches < sizeof env->caches / sizeof env->caches[0]; i++) {
        char path[128], v[64];
        struct mb_cpu_cache *c = &env->caches[env->ncaches];
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
        if (read_text(path, c->type, sizeof c->type))
            break;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
        c->level = read_text(path, v, sizeof v) ? 0 : atoi(v);
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
        if (!read_text(path, v, sizeof v)) {
            char *end;
            c->size = strtol(v, &end, 10);
            c->size *= *end == 'K' ? 1024 : *end == 'M' ? 1024 * 1024 : 1;
        }
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/shared_cpu_list",
                 i);
        c->num_sharing = read_text(path, v, sizeof v) ? 0 : count_cpus(v);
        env->ncaches++;
    }
}

static void read_clock(struct mb_env *env)
{
    char v[64];
    if (!read_text("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", v, sizeof v))
        env->mhz_per_cpu = atof(v) / 1000.0;
    env->cpu_scaling = -1;
    if (!read_text("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", v, sizeof v))
        env->cpu_scaling = strcmp(v, "performance") != 0;
    if (env->mhz_per_cpu > 0)
        return;
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "cpu MHz", 7) == 0 && strchr(line, ':')) {
            env->mhz_per_cpu = atof(strchr(line, ':') + 1);
            break;
        }
    if (f)
        fclose(f);
}

void mb_env_probe_cpu(struct mb_env *env)
{
    read_caches(env);
    read_clock(env);
}
