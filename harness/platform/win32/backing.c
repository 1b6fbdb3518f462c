/* Backing objects of a shared mapping on Windows: not written yet. The twin
 * of the POSIX kinds is CreateFileMapping(INVALID_HANDLE_VALUE, ...) (backed
 * by the paging file) against a file-backed mapping; until it exists every
 * kind reports itself unsupported with this reason, never a fake result. */
#include "mmbench/error.h"
#include "mmbench/platform.h"

#define WHY "the backing suite's Win32 twin (CreateFileMapping over the paging file) is not written yet"

void mb_backing_init(struct mb_backing *b, enum mb_backing_kind kind, size_t len,
                     const char *path)
{
    *b = (struct mb_backing){.kind = kind, .len = len, .path = path, .handle = -1};
}

const char *mb_backing_unsupported(enum mb_backing_kind kind)
{
    (void)kind;
    return WHY;
}

int mb_backing_create(struct mb_backing *b)
{
    (void)b;
    return mb_fail(MB_EUNSUPPORTED, "%s", WHY);
}

int mb_backing_unmap(struct mb_backing *b)
{
    (void)b;
    return mb_fail(MB_EUNSUPPORTED, "%s", WHY);
}

int mb_backing_close(struct mb_backing *b)
{
    (void)b;
    return mb_fail(MB_EUNSUPPORTED, "%s", WHY);
}

int mb_backing_durable(const struct mb_backing *b)
{
    (void)b;
    return mb_fail(MB_EUNSUPPORTED, "%s", WHY);
}

int mb_backing_read_back(const struct mb_backing *b, uint64_t off, void *buf, size_t n)
{
    (void)b;
    (void)off;
    (void)buf;
    (void)n;
    return mb_fail(MB_EUNSUPPORTED, "%s", WHY);
}

void mb_backing_release(struct mb_backing *b)
{
    (void)b;
}
