/* What the Win32 platform files, the Win32 methods and the Win32 mechanics
 * tests share: error text, Wine detection, file opening with the cache hints
 * that match mmbench's readahead setting, and file mappings. Only code built
 * for Windows includes this header; portable code calls platform.h. */
#ifndef MMBENCH_PLATFORM_WIN32_H
#define MMBENCH_PLATFORM_WIN32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* NOUSER: winuser.h defines MB_OK (a MessageBox flag), which is mmbench's
 * first error code; mmbench needs nothing from user32. */
#define WIN32_LEAN_AND_MEAN
#define NOUSER
#include <windows.h>

/* ---- errors and environment ------------------------------------------- */

/* Formats Win32 error `err` as "<system message> (error N)" into a static
 * buffer, valid until the next call (measurements run on one thread). Never
 * returns NULL. */
const char *mb_w32_strerror(DWORD err);

/* The Wine version ("8.0") when this process runs under Wine, detected
 * through ntdll's wine_get_version export; NULL on Windows. Static storage. */
const char *mb_w32_wine_version(void);

/* True when an uncached open (FILE_FLAG_NO_BUFFERING) really reads around
 * the OS cache. False under Wine, which opens the file without O_DIRECT, so
 * such reads still come from Linux's page cache. */
bool mb_w32_uncached_reads_work(void);

/* ---- files --------------------------------------------------------------- */

enum {
    MB_W32_OPEN_RANDOM = 1u << 0,     /* FILE_FLAG_RANDOM_ACCESS: no cache read-ahead */
    MB_W32_OPEN_SEQUENTIAL = 1u << 1, /* FILE_FLAG_SEQUENTIAL_SCAN: a whole-file scan */
    MB_W32_OPEN_UNCACHED = 1u << 2,   /* FILE_FLAG_NO_BUFFERING: sector-aligned I/O only */
    MB_W32_OPEN_WRITE = 1u << 3       /* GENERIC_WRITE too (only on files mmbench created) */
};

/* Opens an existing file for reading (and writing with MB_W32_OPEN_WRITE),
 * sharing read, write and delete with others. Returns 0 and *h, or MB_EENV
 * with the OS error in the message. The caller closes *h. */
int mb_w32_open(const char *path, unsigned flags, HANDLE *h);

/* Reads around the file cache through a handle opened with
 * MB_W32_OPEN_UNCACHED: each read covers the aligned sectors that hold the
 * record, in a bounce buffer aligned for them. */
struct mb_w32_uncached {
    size_t align;         /* sector alignment of offsets, lengths and the buffer */
    uint8_t *bounce;      /* VirtualAlloc'd, so page-aligned */
    size_t bounce_len;
};

/* Prepares u for the volume holding `path` (alignment, a bounce buffer of 16
 * sectors). Returns 0 or MB_ENOMEM; u is freed with mb_w32_uncached_free. */
int mb_w32_uncached_init(const char *path, struct mb_w32_uncached *u);

/* Copies `len` bytes at file offset `off` into dst with one ReadFile of the
 * aligned span through uncached handle h. Returns 0, MB_EENV or MB_ENOMEM. */
int mb_w32_uncached_read(struct mb_w32_uncached *u, HANDLE h, uint64_t off, size_t len, void *dst);

/* Frees what mb_w32_uncached_init made; safe on a zeroed u. */
void mb_w32_uncached_free(struct mb_w32_uncached *u);

/* ---- mappings -------------------------------------------------------------- */

/* One view of a file mapping and the handles behind it. */
struct mb_w32_map {
    HANDLE file;        /* INVALID_HANDLE_VALUE for a paging-file-backed mapping */
    HANDLE mapping;     /* the section object (CreateFileMapping) */
    void *view;         /* MapViewOfFile's address */
    uint64_t offset;    /* file offset of the view: a multiple of mb_alloc_granularity() */
    size_t len;         /* bytes in the view */
};

enum {
    MB_W32_MAP_WRITE = 1u << 0,  /* PAGE_READWRITE + FILE_MAP_WRITE: writes reach the file */
    MB_W32_MAP_COPY = 1u << 1,   /* PAGE_WRITECOPY + FILE_MAP_COPY: private copy-on-write */
    MB_W32_MAP_RANDOM = 1u << 2  /* open the file with FILE_FLAG_RANDOM_ACCESS */
};

/* Maps `len` bytes of the file at `path` from file offset `offset` (len 0:
 * to the end of the file). With MB_W32_MAP_WRITE and a range beyond the end
 * of the file, the mapping grows the file to offset + len (C11).
 * An offset that is not a multiple of the allocation granularity is refused
 * with MB_EUSAGE and a message naming both numbers, never rounded (C10).
 * Returns 0 and fills *m, or MB_EUSAGE / MB_EENV with nothing left open. */
int mb_w32_map_file(const char *path, uint64_t offset, size_t len, unsigned flags,
                    struct mb_w32_map *m);

/* Creates (or, when `name` exists, opens) a mapping of `len` bytes backed by
 * the paging file, CreateFileMapping(INVALID_HANDLE_VALUE, ...), and maps all
 * of it read-write. `name` may be NULL (anonymous); `inheritable` makes the
 * mapping handle inheritable by child processes. *existed (may be NULL) tells
 * whether the name was already taken (ERROR_ALREADY_EXISTS). Returns 0 or
 * MB_EENV. */
int mb_w32_map_pagefile(const char *name, size_t len, bool inheritable, struct mb_w32_map *m,
                        bool *existed);

/* Makes the view's dirty pages durable: FlushViewOfFile writes them to the
 * file, FlushFileBuffers waits until the device has them. A paging-file
 * mapping has nothing to make durable and returns 0. Returns 0 or MB_EENV. */
int mb_w32_map_flush(const struct mb_w32_map *m);

/* Unmaps the view and closes both handles; safe on a zeroed or already
 * released *m. Returns 0 or MB_EENV (everything is released anyway). */
int mb_w32_unmap(struct mb_w32_map *m);

/* ---- processes mmbench starts from itself -------------------------------- */

/* Gives a child started suspended the CPU pin (--cpu) of the calling
 * thread, as a forked child inherits it. Best effort: never fails. */
void mb_w32_pass_pin(HANDLE child);

/* Creates a job object that kills every process in it when its last handle
 * closes, so that they die with this process however it ends. Returns 0
 * and *job (the caller keeps it open while they must live), or MB_EENV with
 * *job NULL. Portable within Win32: process_util.c. */
int mb_w32_kill_on_close_job(HANDLE *job);

/* Starts `cmd` (program `exe`) with the inheritable handles `si` names,
 * in `job`, with the caller's CPU pin (mb_w32_pass_pin), and lets it run.
 * Returns 0 with pi->hProcess (the caller closes it) and pi->dwProcessId,
 * or MB_EENV naming `what`, the process ended and nothing left open. */
int mb_w32_start_in_job(const char *exe, char *cmd, STARTUPINFOA *si, HANDLE job,
                        const char *what, PROCESS_INFORMATION *pi);

/* Creates a pipe, *r its read end and *w its write end, of which only the
 * child's end (`child_end` 0: *r, 1: *w) is inheritable. Returns 0 or
 * MB_EENV; the caller closes both ends. */
int mb_w32_child_pipe(HANDLE *r, HANDLE *w, int child_end);

/* The user and kernel CPU time process `proc` has used (GetProcessTimes),
 * in ns. Returns 0 or MB_EENV. */
int mb_w32_process_cpu(HANDLE proc, uint64_t *user_ns, uint64_t *kernel_ns);

struct mb_worker_kind;

/* A worker re-launched by mb_workers_start: argv holds its index, the
 * barrier and "done" event handles and k->describe()'s text. Rebuilds the
 * state (k->attach), waits for the barrier, runs k->fn and sets "done" when
 * it returned 0. Returns the process's exit status. */
int mb_w32_worker_main(const struct mb_worker_kind *k, int argc, char **argv);

#endif
