/* System memory figures (/proc/meminfo) and free space (statvfs): what the
 * backing suite reports around its passes and checks before it starts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

int mb_meminfo_read(struct mb_meminfo *m)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f)
        return mb_fail(MB_EUNSUPPORTED, "no /proc/meminfo: %s", strerror(errno));
    char key[64];
    unsigned long long kib;
    /* Lines are "Key:   value kB"; the unit is always kB for these keys. */
    while (fscanf(f, "%63s %llu%*[^\n]", key, &kib) == 2) {
        uint64_t bytes = (uint64_t)kib * 1024u;
        if (strcmp(key, "Dirty:") == 0) {
            m->dirty = bytes;
            m->has_dirty = true;
        } else if (strcmp(key, "Writeback:") == 0) {
            m->writeback = bytes;
            m->has_writeback = true;
        } else if (strcmp(key, "MemAvailable:") == 0) {
            m->available = bytes;
            m->has_available = true;
        }
    }
    fclose(f);
    return m->has_dirty || m->has_available ? 0
                                            : mb_fail(MB_EUNSUPPORTED, "/proc/meminfo unreadable");
}

int mb_space_free(const char *dir, uint64_t *bytes)
{
    struct statvfs v;
    if (statvfs(dir, &v) != 0)
        return mb_fail(MB_EENV, "statvfs %s: %s", dir, strerror(errno));
    *bytes = (uint64_t)v.f_bavail * (uint64_t)v.f_frsize;
    return 0;
}
