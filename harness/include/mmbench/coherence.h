/* What the coherence suite (claim C12) needs from the OS: a scratch file
 * opened for reading and writing, any number of shared read-write views of
 * it (each at its own address), reads and writes at an offset through the
 * file handle that bypass every view, a second thread, and memory shared
 * with its worker processes. */
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
 * with an offset). Returns 0, or MB_EENV (also on a short read). */
int mb_coh_read(struct mb_coh_file *f, void *buf, size_t len, uint64_t off);

/* Closes the handles; safe twice and on a file that failed to open. */
void mb_coh_close(struct mb_coh_file *f);

/* A second thread of this process. */
struct mb_coh_thread;

/* Starts a thread running fn(arg). Returns 0 and *t, or MB_EENV / MB_ENOMEM. */
int mb_coh_thread_start(struct mb_coh_thread **t, int (*fn)(void *arg), void *arg);

/* Waits for the thread to end, frees *t and returns what fn returned
 * (MB_EENV when the wait itself fails). */
int mb_coh_thread_join(struct mb_coh_thread *t);

/* Gives the CPU to another runnable thread, if any (sched_yield;
 * SwitchToThread): a spinning side must not starve the side it waits for
 * on a machine with fewer free CPUs than sides. */
void mb_coh_yield(void);

/* Zeroed memory that worker processes (mb_workers_start) share with this
 * one: MAP_SHARED | MAP_ANONYMOUS, which a fork inherits; on Windows a
 * paging-file section whose inheritable handle the re-launched workers
 * inherit, and map by its value (mb_coh_shared_attach). */
struct mb_coh_shared {
    void *base;
    size_t len;
    intptr_t handle;            /* the section (Windows); -1 on POSIX */
};

/* Creates `len` bytes of shared memory in *s. Returns 0 or MB_ENOMEM. */
int mb_coh_shared_create(struct mb_coh_shared *s, size_t len);

/* In a worker started afresh (Windows), maps the inherited section
 * `handle` of `len` bytes into *s. Returns 0, MB_EUSAGE (not such a
 * section) or MB_EUNSUPPORTED (POSIX: workers are forked and inherit it). */
int mb_coh_shared_attach(struct mb_coh_shared *s, intptr_t handle, size_t len);

/* Unmaps and closes; safe on a zeroed *s and twice. */
void mb_coh_shared_release(struct mb_coh_shared *s);

#endif
