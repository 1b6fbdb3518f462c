/* Copy-on-write views on POSIX: mmap of a file MAP_PRIVATE or MAP_SHARED at
 * a view offset, private anonymous memory in base pages, the fault count
 * from getrusage, and fork, whose child shares its parent's private pages
 * until one of them writes. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmbench/cow.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"

int mb_cow_map_anon(struct mb_cow_view *v, size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap anonymous (%zu bytes): %s", len, strerror(errno));
#ifdef MADV_NOHUGEPAGE
    /* The baseline copies nothing but must fault per base page, as the
     * file copies do; a THP "always" setting would map 2 MiB per fault.
     * A kernel without THP refuses the advice and needs none. */
    (void)madvise(p, len, MADV_NOHUGEPAGE);
#endif
    v->base = p;
    return 0;
}

int mb_cow_map_file(struct mb_cow_view *v, const char *path, bool shared, uint64_t offset,
                    size_t len)
{
    /* A private mapping of a read-only descriptor may still be written:
     * the writes go to private copies, which is the point. */
    int fd = open(path, shared ? O_RDWR : O_RDONLY);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE, fd,
                   (off_t)offset);
    int err = errno;
    close(fd);
    if (p == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap %s (%zu bytes at offset %llu): %s", path, len,
                       (unsigned long long)offset, strerror(err));
    v->base = p;
    return 0;
}

const char *mb_cow_view_name(enum mb_cow_kind kind)
{
    switch (kind) {
    case MB_COW_FILE_PRIVATE:
        return "MAP_PRIVATE";
    case MB_COW_FILE_SHARED:
        return "MAP_SHARED";
    case MB_COW_ANON_PRIVATE:
        break;
    }
    return "MAP_PRIVATE|MAP_ANONYMOUS";
}

int mb_cow_flush(const struct mb_cow_view *v)
{
    if (v->base && v->kind == MB_COW_FILE_SHARED && msync(v->base, v->len, MS_SYNC) != 0)
        return mb_fail(MB_EENV, "msync: %s", strerror(errno));
    return 0;
}

void mb_cow_unmap(struct mb_cow_view *v)
{
    if (v->base)
        munmap(v->base, v->len);
    memset(v, 0, sizeof *v);
}

const char *mb_cow_faults_unsupported(void)
{
    return NULL;
}

int mb_cow_faults(uint64_t *faults)
{
    uint64_t minor = 0, major = 0;
    int rc = mb_fault_counts(&minor, &major);
    *faults = minor + major;
    return rc;
}

const char *mb_cow_fork_unsupported(void)
{
    return mb_workers_unsupported();
}
