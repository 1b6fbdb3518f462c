/* What memory a file held in the heap or through a mapping costs the
 * system: the commit charge, and read-only private mappings (which, unlike
 * writable ones, are not charged). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

const char *mb_file_views_unsupported(void)
{
    return mb_region_unsupported();
}

const char *mb_commit_unsupported(void)
{
    uint64_t b;
    if (mb_commit_charge(&b) == 0)
        return NULL;
    mb_clear_error();
    return "/proc/meminfo has no readable Committed_AS line";
}

int mb_commit_charge(uint64_t *bytes)
{
    FILE *f = fopen("/proc/meminfo", "r");
    if (!f)
        return mb_fail(MB_EUNSUPPORTED, "cannot open /proc/meminfo: %s", strerror(errno));
    char line[160];
    int rc = MB_EUNSUPPORTED;
    while (fgets(line, sizeof line, f)) {
        uint64_t kb;
        if (sscanf(line, "Committed_AS: %" SCNu64 " kB", &kb) == 1) {
            *bytes = kb * 1024u;
            rc = 0;
            break;
        }
    }
    fclose(f);
    return rc ? mb_fail(rc, "/proc/meminfo has no Committed_AS line") : 0;
}

int mb_region_map_readonly(struct mb_region *r, const char *path, size_t len)
{
    memset(r, 0, sizeof *r);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    int err = errno;
    close(fd);
    if (p == MAP_FAILED)
        return mb_fail(MB_EENV, "mmap %s (%zu bytes, read-only): %s", path, len, strerror(err));
    r->map = r->base = p;
    r->map_len = r->len = len;
    return 0;
}

int mb_file_read_into(const char *path, uint8_t *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mb_fail(MB_EENV, "open %s: %s", path, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t r = read(fd, buf + done, len - done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int err = errno;
            close(fd);
            return mb_fail(MB_EENV, "read %s: %s", path, r == 0 ? "short file" : strerror(err));
        }
        done += (size_t)r;
    }
    close(fd);
    return 0;
}
