/* Process counters on Linux: getrusage (CPU time, faults, block I/O),
 * /proc/self/io (read- and write-type calls, bytes to and from storage),
 * /proc/self/status (resident memory by kind) and the scratch directory's
 * block device stat file (requests completed). Each source fills its own
 * fields of fields.def; a source that cannot be read leaves its fields
 * unavailable rather than 0 (/proc/self/io needs CONFIG_TASK_IO_ACCOUNTING). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static double tv_ns(struct timeval tv)
{
    return (double)tv.tv_sec * 1e9 + (double)tv.tv_usec * 1e3;
}

static void set(struct mb_counters *c, enum mb_field f, double v)
{
    c->v[f] = v;
    c->valid |= MB_FIELD_BIT(f);
}

/* Files kept open: reopening per reading would add calls and change nothing. */
static int io_fd = -2, status_fd = -2, dev_fd = -1;

static ssize_t read_file(int *fd, const char *path, char *buf, size_t len)
{
    if (*fd == -2)
        *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return -1;
    ssize_t n = pread(*fd, buf, len - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    return n;
}

/* Sets field f from the number after `key` in `text` (times `scale`). */
static void keyed(struct mb_counters *c, const char *text, const char *key, enum mb_field f,
                  double scale)
{
    const char *p = strstr(text, key);
    if (!p)
        return;
    char *end;
    unsigned long long v = strtoull(p + strlen(key), &end, 10);
    if (end != p + strlen(key))
        set(c, f, (double)v * scale);
}

static void read_proc_io(struct mb_counters *c)
{
    char buf[512];
    if (read_file(&io_fd, "/proc/self/io", buf, sizeof buf) <= 0)
        return;
    keyed(c, buf, "syscr:", MB_F_OS_CALLS, 1);
    keyed(c, buf, "syscw:", MB_F_OS_WRITE_CALLS, 1);
    keyed(c, buf, "\nread_bytes:", MB_F_STORAGE_BYTES, 1);
    keyed(c, buf, "\nwrite_bytes:", MB_F_STORAGE_WRITE_BYTES, 1);
    keyed(c, buf, "cancelled_write_bytes:", MB_F_CANCELLED_WRITE_BYTES, 1);
}

static void read_proc_status(struct mb_counters *c)
{
    char buf[4096];
    if (read_file(&status_fd, "/proc/self/status", buf, sizeof buf) <= 0)
        return;
    /* "RssAnon:\t    1234 kB" */
    keyed(c, buf, "RssAnon:", MB_F_RSS_ANON, 1024);
    keyed(c, buf, "RssFile:", MB_F_RSS_FILE, 1024);
    keyed(c, buf, "RssShmem:", MB_F_RSS_SHMEM, 1024);
}

int mb_counters_watch_device(const char *dir)
{
    struct stat st;
    if (dev_fd >= 0) {
        close(dev_fd);
        dev_fd = -1;
    }
    if (stat(dir, &st) != 0 || major(st.st_dev) == 0)
        return mb_fail(MB_EUNSUPPORTED, "%s is not on a block device", dir);
    char path[96];
    /* Partitions have their own stat file, so this counts only the
     * filesystem's partition. */
    snprintf(path, sizeof path, "/sys/dev/block/%u:%u/stat", major(st.st_dev), minor(st.st_dev));
    dev_fd = open(path, O_RDONLY | O_CLOEXEC);
    return dev_fd >= 0 ? 0 : mb_fail(MB_EUNSUPPORTED, "no %s", path);
}

static void read_device(struct mb_counters *c)
{
    char buf[256];
    if (dev_fd < 0 || read_file(&dev_fd, "", buf, sizeof buf) <= 0)
        return;
    /* Fields 1 and 5: read and write I/Os completed (the Linux kernel's
     * Documentation/block/stat.rst). */
    unsigned long long f[5];
    if (sscanf(buf, "%llu %llu %llu %llu %llu", &f[0], &f[1], &f[2], &f[3], &f[4]) == 5) {
        set(c, MB_F_DEVICE_READS, (double)f[0]);
        set(c, MB_F_DEVICE_WRITES, (double)f[4]);
    }
}

static void read_rusage(struct mb_counters *c)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return;
    set(c, MB_F_USER, tv_ns(ru.ru_utime));
    set(c, MB_F_SYS, tv_ns(ru.ru_stime));
    set(c, MB_F_MAJOR, (double)ru.ru_majflt);
    set(c, MB_F_MINOR, (double)ru.ru_minflt);
    set(c, MB_F_STORAGE_OPS, (double)ru.ru_inblock);
}

int mb_counters_read(struct mb_counters *c, enum mb_counters_when when)
{
    memset(c, 0, sizeof *c);
    /* CPU times are read nearest the timed region, so that the other reads
     * fall outside their bracket. */
    if (when == MB_COUNTERS_AFTER)
        read_rusage(c);
    read_proc_io(c);
    read_proc_status(c);
    read_device(c);
    if (when == MB_COUNTERS_BEFORE)
        read_rusage(c);
    return c->valid ? 0 : mb_fail(MB_EENV, "no process counters could be read");
}
