/* Growing a mapped file (claim C11): a file opened for reading and
 * writing, its size set directly, and one shared read-write view of its
 * start that is mapped anew, resized in place (mremap, Linux only) or
 * dropped. Where the platforms differ is the point: on POSIX a
 * mapping never changes its file's size (touching a mapped page past the
 * end of the file raises SIGBUS); on Win32 a read-write mapping object
 * larger than its file grows the file, and neither a view nor a mapping
 * object can change size once created. */
#ifndef MMBENCH_GROWTH_H
#define MMBENCH_GROWTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An open file and its one view. `section` is Win32's mapping object (-1
 * elsewhere and when none); `view` is NULL when nothing is mapped. */
struct mb_growth_file {
    intptr_t fd;                /* descriptor / file HANDLE; -1 when closed */
    intptr_t section;
    uint8_t *view;
    size_t view_len;
};

/* NULL where the view can be resized in place (mb_growth_remap), else the
 * reason it cannot (static text). */
const char *mb_growth_remap_unsupported(void);

/* What the fault guard catches when a mapped page past the end of a file
 * is touched, in words: "SIGBUS"; "an in-page error" on Win32. Static text. */
const char *mb_growth_fault_name(void);

/* Opens the existing file `path` (one mmbench created) for reading and
 * writing, mapping nothing. Returns 0 or MB_EENV; *g is closed on failure. */
int mb_growth_open(struct mb_growth_file *g, const char *path);

/* Sets the file's size to `size` bytes (ftruncate; SetFilePointerEx +
 * SetEndOfFile), zero-filling a growth. Win32 refuses to change the size of
 * a mapped file, so the caller unmaps first. Returns 0 or MB_EENV. */
int mb_growth_set_size(struct mb_growth_file *g, uint64_t size);

/* Drops the current view, if any, and maps bytes [0, len) of the file
 * shared and read-write. When `grow`, a file shorter than `len` is first
 * made `len` bytes long (ftruncate), so that every page of the view is
 * backed. Without it a POSIX file keeps its size and a page of the view
 * past its end raises SIGBUS when touched; on Win32 the mapping object
 * grows the file to `len` either way (CreateFileMapping). Returns 0 or
 * MB_EENV; on failure nothing is mapped. */
int mb_growth_map(struct mb_growth_file *g, size_t len, bool grow);

/* Makes the file `len` bytes long and resizes the view to it in place or
 * at a new address (ftruncate + mremap(MREMAP_MAYMOVE)); g->view may move.
 * Returns 0, MB_EENV, or MB_EUNSUPPORTED where mb_growth_remap_unsupported()
 * says why. */
int mb_growth_remap(struct mb_growth_file *g, size_t len);

/* Unmaps the view and closes the mapping object; nothing to do when
 * nothing is mapped. Returns 0 or MB_EENV; the view is forgotten either way. */
int mb_growth_unmap(struct mb_growth_file *g);

/* Appends `len` bytes of `buf` at the end of the file (pwrite at the size
 * fstat gives, looped until done; WriteFile at FILE_END). Returns 0 or
 * MB_EENV. */
int mb_growth_append(struct mb_growth_file *g, const void *buf, size_t len);

/* The file's size in bytes (fstat; GetFileSizeEx) into *size. Returns 0 or
 * MB_EENV. */
int mb_growth_size(const struct mb_growth_file *g, uint64_t *size);

/* Reads exactly `len` bytes at `off` into buf through the descriptor (pread;
 * ReadFile at an offset). Returns 0, or MB_EENV on an error or a short file. */
int mb_growth_read(const struct mb_growth_file *g, uint64_t off, void *buf, size_t len);

/* Unmaps and closes whatever is open; safe on a closed file. */
void mb_growth_close(struct mb_growth_file *g);

#endif
