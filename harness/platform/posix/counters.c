/* Process counters: getrusage for CPU time, faults and block input;
 * /proc/self/io for read-type system calls and bytes fetched from storage.
 * /proc/self/io needs CONFIG_TASK_IO_ACCOUNTING; without it those fields are
 * reported as unavailable rather than 0. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static uint64_t tv_ns(struct timeval tv)
{
    return (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000ull;
}

/* Kept open: reopening per reading would add an openat and change nothing. */
static int io_fd = -2;

static void read_proc_io(struct mb_counters *c)
{
    if (io_fd == -2)
        io_fd = open("/proc/self/io", O_RDONLY | O_CLOEXEC);
    if (io_fd < 0)
        return;
    char buf[512];
    ssize_t n = pread(io_fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return;
    buf[n] = '\0';
    const char *p = strstr(buf, "syscr:");
    if (p) {
        c->os_calls = strtoull(p + 6, NULL, 10);
        c->valid |= MB_C_OS_CALLS;
    }
    p = strstr(buf, "\nread_bytes:");
    if (p) {
        c->storage_bytes = strtoull(p + 12, NULL, 10);
        c->valid |= MB_C_STORAGE_BYTES;
    }
}

static int dev_fd = -1;

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
    if (dev_fd < 0)
        return;
    char buf[256];
    ssize_t n = pread(dev_fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return;
    buf[n] = '\0';
    /* First field: read I/Os completed (Documentation/block/stat.rst). */
    char *end;
    unsigned long long v = strtoull(buf, &end, 10);
    if (end != buf) {
        c->device_reads = v;
        c->valid |= MB_C_DEVICE_READS;
    }
}

int mb_counters_read(struct mb_counters *c)
{
    memset(c, 0, sizeof *c);
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        c->user_ns = tv_ns(ru.ru_utime);
        c->sys_ns = tv_ns(ru.ru_stime);
        c->major_faults = (uint64_t)ru.ru_majflt;
        c->minor_faults = (uint64_t)ru.ru_minflt;
        c->storage_ops = (uint64_t)ru.ru_inblock;
        c->valid |= MB_C_USER | MB_C_SYS | MB_C_MAJOR | MB_C_MINOR | MB_C_STORAGE_OPS;
    }
    read_proc_io(c);
    read_device(c);
    return c->valid ? 0 : mb_fail(MB_EENV, "no process counters could be read");
}
