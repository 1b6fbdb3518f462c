/* Regions mapped to be faulted in (the faults suite): anonymous or file,
 * private or shared, optionally aligned for huge pages; madvise; the
 * process's fault counters; and what the kernel says about THP and
 * fault-around. */
/* MAP_ANONYMOUS and MADV_HUGEPAGE need _GNU_SOURCE, which the build defines. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

const char *mb_region_unsupported(void)
{
    return NULL;
}

static int map_file(const char *path, size_t len, int flags, void **out)
{
    int fd = open(path, (flags & MAP_SHARED) ? O_RDWR : O_RDONLY);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    /* A private mapping of a read-only descriptor may still be written:
     * the writes go to private copies. */
    *out = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);
    int err = errno;
    close(fd);
    if (*out == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap %s (%zu bytes): %s", path, len, strerror(err));
    return 0;
}

int mb_region_map(struct mb_region *r, enum mb_region_kind kind, const char *path, size_t len,
                  size_t align)
{
    memset(r, 0, sizeof *r);
    size_t page = mb_page_size();
    if (align < page)
        align = page;
    void *p = MAP_FAILED;
    int rc = 0;
    switch (kind) {
    case MB_REGION_ANON_PRIVATE:
    case MB_REGION_ANON_SHARED: {
        /* Over-allocate by one alignment unit and trim: mmap only promises
         * page alignment. */
        size_t want = len + (align > page ? align : 0);
        int flags = MAP_ANONYMOUS | (kind == MB_REGION_ANON_SHARED ? MAP_SHARED : MAP_PRIVATE);
        p = mmap(NULL, want, PROT_READ | PROT_WRITE, flags, -1, 0);
        if (p == MAP_FAILED)
            return mb_fail(MB_EENV, "mmap anonymous (%zu bytes): %s", want, strerror(errno));
        uintptr_t a = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
        r->map = p;
        r->map_len = want;
        r->base = (uint8_t *)a;
        r->len = len;
        return 0;
    }
    case MB_REGION_FILE_PRIVATE:
    case MB_REGION_FILE_SHARED:
        rc = map_file(path, len, kind == MB_REGION_FILE_SHARED ? MAP_SHARED : MAP_PRIVATE, &p);
        if (rc)
            return rc;
        r->map = r->base = p;
        r->map_len = r->len = len;
        return 0;
    }
    return mb_fail(MB_EUSAGE, "unknown region kind %d", (int)kind);
}

int mb_region_advise(const struct mb_region *r, enum mb_region_advice a)
{
    int adv;
    const char *name;
    switch (a) {
    case MB_ADVISE_RANDOM:
        adv = MADV_RANDOM, name = "MADV_RANDOM";
        break;
#ifdef MADV_HUGEPAGE
    case MB_ADVISE_HUGEPAGE:
        adv = MADV_HUGEPAGE, name = "MADV_HUGEPAGE";
        break;
    case MB_ADVISE_NOHUGEPAGE:
        adv = MADV_NOHUGEPAGE, name = "MADV_NOHUGEPAGE";
        break;
#endif
    default:
        return mb_fail(MB_EUNSUPPORTED, "this system has no such madvise advice");
    }
    if (madvise(r->base, r->len, adv) != 0) {
        /* EINVAL: a kernel built without THP refuses the THP advice. */
        int code = errno == EINVAL && a != MB_ADVISE_RANDOM ? MB_EUNSUPPORTED : MB_EENV;
        return mb_fail(code, "madvise(%s): %s", name, strerror(errno));
    }
    return 0;
}

int mb_region_sync(const struct mb_region *r)
{
    if (r->base && msync(r->base, r->len, MS_SYNC) != 0)
        return mb_fail(MB_EENV, "msync: %s", strerror(errno));
    return 0;
}

void mb_region_unmap(struct mb_region *r)
{
    if (r->map)
        munmap(r->map, r->map_len);
    memset(r, 0, sizeof *r);
}

int mb_fault_counts(uint64_t *minor, uint64_t *major)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return mb_fail(MB_EUNSUPPORTED, "getrusage: %s", strerror(errno));
    *minor = (uint64_t)ru.ru_minflt;
    *major = (uint64_t)ru.ru_majflt;
    return 0;
}

/* Reads the first line of `path` into buf; returns 0 or the errno. */
static int read_first_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errno ? errno : ENOENT;
    int rc = fgets(buf, (int)len, f) ? 0 : EIO;
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    return rc;
}

int mb_thp_mode(char *mode, size_t len, size_t *huge_bytes)
{
    static const char dir[] = "/sys/kernel/mm/transparent_hugepage";
    char line[160], path[128];
    snprintf(path, sizeof path, "%s/enabled", dir);
    int e = read_first_line(path, line, sizeof line);
    if (e)
        return mb_fail(MB_EUNSUPPORTED, "cannot read %s (%s): no transparent huge pages",
                       path, strerror(e));
    /* The active mode is the bracketed word: "always [madvise] never". */
    const char *lb = strchr(line, '['), *rb = lb ? strchr(lb, ']') : NULL;
    if (!rb)
        return mb_fail(MB_EUNSUPPORTED, "%s says '%s': no mode in brackets", path, line);
    snprintf(mode, len, "%.*s", (int)(rb - lb - 1), lb + 1);
    snprintf(path, sizeof path, "%s/hpage_pmd_size", dir);
    unsigned long long sz = 0;
    *huge_bytes = read_first_line(path, line, sizeof line) == 0 &&
                          sscanf(line, "%llu", &sz) == 1 && sz > 0
                      ? (size_t)sz
                      : (size_t)2 << 20; /* x86-64's PMD size, before the file existed */
    return 0;
}

int mb_fault_around_bytes(uint64_t *bytes)
{
    static const char path[] = "/sys/kernel/debug/fault_around_bytes";
    char line[64];
    unsigned long long v;
    int e = read_first_line(path, line, sizeof line);
    if (e == ENOENT)
        return mb_fail(MB_EUNSUPPORTED, "%s does not exist (debugfs not mounted)", path);
    if (e)
        return mb_fail(MB_EUNSUPPORTED, "cannot read %s: %s", path, strerror(e));
    if (sscanf(line, "%llu", &v) != 1)
        return mb_fail(MB_EUNSUPPORTED, "%s says '%s'", path, line);
    *bytes = v;
    return 0;
}
