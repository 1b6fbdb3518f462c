/* Memory shared with forked worker processes on POSIX: an anonymous
 * shared mapping, which a fork inherits (shared_mem.h). */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "mmbench/error.h"
#include "mmbench/shared_mem.h"

int mb_shared_mem_create(struct mb_shared_mem *s, size_t len)
{
    s->handle = -1;
    s->len = len;
    s->base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s->base == MAP_FAILED) {
        s->base = NULL;
        return mb_fail(MB_ENOMEM, "mmap of %zu shared bytes: %s", len, strerror(errno));
    }
    return 0;
}

int mb_shared_mem_attach(struct mb_shared_mem *s, intptr_t handle, size_t len)
{
    (void)s, (void)handle, (void)len;
    return mb_fail(MB_EUNSUPPORTED, "worker processes are forked here and inherit the memory");
}

void mb_shared_mem_release(struct mb_shared_mem *s)
{
    if (s->base)
        munmap(s->base, s->len);
    s->base = NULL;
}
