/* A file opened for reading and writing, any number of shared read-write
 * views of it (each at its own address), and reads and writes at an offset
 * through the file handle that bypass every view: two paths to the same
 * bytes, for checking that what one writes the other sees. */
#ifndef MMBENCH_COHERENCE_H
#define MMBENCH_COHERENCE_H

#include <stddef.h>
#include <stdint.h>

/* A file opened read-write for views and for handle I/O. */
struct mb_coh_file {
    intptr_t handle;            /* fd, or HANDLE; -1 when closed */
    intptr_t mapping;           /* Win32 file mapping object; 0 on POSIX */
    size_t len;                 /* bytes, the size of every view */
};

/* Opens the existing file `path` of `len` bytes for reading and writing and
 * readies it for views. Returns 0, or MB_EENV with the OS error; on failure
 * nothing is left open. */
int mb_coh_open(struct mb_coh_file *f, const char *path, size_t len);

/* Maps a new shared, read-write view of the whole file (MAP_SHARED;
 * MapViewOfFile FILE_MAP_WRITE of the one mapping object) into *view: every
 * call gives another address. Returns 0 or MB_EENV. Unmap with
 * mb_coh_unview before mb_coh_close. */
int mb_coh_view(struct mb_coh_file *f, void **view);

/* Unmaps a view from mb_coh_view; NULL is a no-op. */
void mb_coh_unview(struct mb_coh_file *f, void *view);

/* Writes len bytes at file offset off through the handle (pwrite;
 * WriteFile with an offset), all of them or fails. Returns 0 or MB_EENV. */
int mb_coh_write(struct mb_coh_file *f, const void *buf, size_t len, uint64_t off);

/* Reads len bytes at file offset off through the handle (pread; ReadFile
 * with an offset), all of them or fails. Returns 0, or MB_EENV (also
 * when the file ends first). */
int mb_coh_read(struct mb_coh_file *f, void *buf, size_t len, uint64_t off);

/* Closes the handles; safe twice and on a file that failed to open. */
void mb_coh_close(struct mb_coh_file *f);

#endif
