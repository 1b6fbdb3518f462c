/* Copy-on-write views (the cow suite): a file mapped private (MAP_PRIVATE;
 * FILE_MAP_COPY) or shared (MAP_SHARED; FILE_MAP_WRITE) at a view offset,
 * or private anonymous memory; the process's fault count; whether a child
 * process can share private pages until it writes them (fork). The view
 * offset rule (claim C10) is checked in one portable place,
 * mb_view_offset_check, which both platforms' mappings call. */
#ifndef MMBENCH_COW_H
#define MMBENCH_COW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a copy-on-write view maps. */
enum mb_cow_kind {
    MB_COW_FILE_PRIVATE,    /* writes go to private copies; the file never changes */
    MB_COW_FILE_SHARED,     /* writes reach the file */
    MB_COW_ANON_PRIVATE     /* demand-zero private memory, base pages: the baseline */
};

/* A mapped view: `base` is `len` bytes at file offset `offset` (0 for
 * anonymous memory); the handles are the platform's (-1 when none). */
struct mb_cow_view {
    uint8_t *base;
    size_t len;
    uint64_t offset;
    enum mb_cow_kind kind;
    intptr_t file, section;
};

/* Returns 0 if `offset` may start a view of a file here (a multiple of
 * mb_alloc_granularity(): the page size on POSIX, 64 KiB on Windows), else
 * MB_EUSAGE with a message naming the granularity and the two valid offsets
 * around it: an offset is refused, never rounded. Portable:
 * harness/core/view_offset.c. */
int mb_view_offset_check(uint64_t offset);

/* Maps `len` bytes of kind `kind`: a file kind maps the existing file
 * `path` (at least offset + len bytes, created by mmbench) read-write from
 * `offset`, touching nothing. Returns 0, MB_EUSAGE (a misaligned offset:
 * mb_view_offset_check), MB_EENV or MB_ENOMEM; *v is zeroed on failure and
 * released by mb_cow_unmap. */
int mb_cow_map(struct mb_cow_view *v, enum mb_cow_kind kind, const char *path, uint64_t offset,
               size_t len);

/* The platform halves of mb_cow_map (harness/core/cow_view.c), on a view
 * whose handles are -1: private anonymous memory of `len` bytes, or the
 * file `path` from the checked `offset`, shared or copy-on-write. Each
 * returns 0, MB_EENV or MB_ENOMEM and sets base (and the handles). */
int mb_cow_map_anon(struct mb_cow_view *v, size_t len);
int mb_cow_map_file(struct mb_cow_view *v, const char *path, bool shared, uint64_t offset,
                    size_t len);

/* The platform's name of the view `kind` maps ("MAP_PRIVATE",
 * "FILE_MAP_COPY", ...): static text for result files. */
const char *mb_cow_view_name(enum mb_cow_kind kind);

/* Writes a shared view's dirty pages to the file and waits (msync MS_SYNC;
 * FlushViewOfFile + FlushFileBuffers); nothing to do for a private view.
 * Returns 0 or MB_EENV. */
int mb_cow_flush(const struct mb_cow_view *v);

/* Unmaps the view, closes its handles and zeroes *v; safe on a zeroed view. */
void mb_cow_unmap(struct mb_cow_view *v);

/* NULL where mb_cow_faults counts, else the reason it cannot (static text). */
const char *mb_cow_faults_unsupported(void);

/* Page faults of the calling process so far, every kind together
 * (getrusage minor + major; PageFaultCount): cheap enough for a timed
 * region. Returns 0, or MB_EUNSUPPORTED with mb_cow_faults_unsupported()'s
 * reason. */
int mb_cow_faults(uint64_t *faults);

/* NULL where a child process starts with its parent's private pages shared
 * until one of them writes (fork), else the reason there is no such child
 * (static text). */
const char *mb_cow_fork_unsupported(void);

#endif
