/* Access methods: one way of getting records out of a file (fread, read,
 * mmap, ...), as a table of function pointers in the manner of fio's
 * ioengine_ops, optional slots left NULL. A method knows nothing of timing,
 * counters or statistics: the read-records body (read_records.h) drives it. */
#ifndef MMBENCH_METHOD_H
#define MMBENCH_METHOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum {
    MB_M_IN_MEMORY = 1u << 0,  /* reads no file in its timed region (the floor) */
    MB_M_COUNTS_CALLS = 1u << 1 /* counts its own OS calls into mb_target.calls */
};

/* What a method works on. The body fills path, file_size, readahead_off and
 * cold; the method owns priv between open and close, prepared between
 * prepare and release. */
struct mb_target {
    const char *path;
    uint64_t file_size;
    bool readahead_off;       /* ask the OS for no readahead (FADV_RANDOM, MADV_RANDOM, ...) */
    bool cold;                /* the case asks for a cold cache */
    /* Set by prepare() when, because `cold` is set, its passes read around
     * the OS cache (Win32 FILE_FLAG_NO_BUFFERING), so they are cold by
     * construction where residency cannot be checked. Only where the bypass
     * is real (not under Wine, which ignores the flag). */
    bool uncached;
    void *priv;
    void *prepared;
    uint64_t calls;           /* OS calls the method counted (MB_M_COUNTS_CALLS) */
};

struct mb_method {
    const char *name;         /* exactly as on the command line */
    const char *help;         /* one line for `mmbench list` */
    unsigned flags;           /* MB_M_* */
    /* Optional, untimed: once per repetition before the cache state is set
     * (the floor loads the file into the heap here). */
    int (*prepare)(struct mb_target *t);
    /* Optional, timed: opens the file (and maps it). */
    int (*open)(struct mb_target *t);
    /* Timed: copies `len` bytes at file offset `off` into `dst`. */
    int (*access)(struct mb_target *t, uint64_t off, size_t len, void *dst);
    /* Optional, timed: a whole pass, n records of `len` bytes at offs[i]
     * into dst + i * len, with no indirect call per record. Every record
     * lies within the first t->file_size bytes of the file. */
    int (*pass)(struct mb_target *t, const uint64_t *offs, size_t n, size_t len, uint8_t *dst);
    /* Optional, timed: closes (and unmaps). Releases everything open()
     * took, even after a failed access. */
    int (*close)(struct mb_target *t);
    /* Optional, untimed: frees what prepare() made. */
    void (*release)(struct mb_target *t);
};

/* The methods this build offers, in display order; *n receives the count. */
const struct mb_method *const *mb_methods(size_t *n);

/* Finds a method by exact name; NULL if this platform has none by that name. */
const struct mb_method *mb_method_find(const char *name);

/* For a method another platform has but this one lacks ("ReadFile" on
 * POSIX), why it is not here; NULL for a name no platform has. Static. */
const char *mb_method_elsewhere(const char *name);

/* Writes "a, b, c" (every method name) into buf. Returns buf. */
char *mb_method_names(char *buf, size_t len);

/* Fails with MB_EVERIFY: `len` bytes at `off` lie beyond a `size`-byte
 * source (the cold path of mb_copy_span). */
int mb_span_out_of_range(uint64_t off, size_t len, size_t size);

/* Copies `len` bytes at `off` of the `size`-byte source `src` into dst.
 * Returns 0, or MB_EVERIFY when the span does not lie inside the source. */
static inline int mb_copy_span(void *dst, const uint8_t *src, size_t size, uint64_t off,
                               size_t len)
{
    if (off > size || len > size - off)
        return mb_span_out_of_range(off, len, size);
    memcpy(dst, src + off, len);
    return 0;
}

/* A whole pass out of memory: n records of `len` bytes at offs[i] of the
 * `size`-byte source into dst + i * len. The caller guarantees that every
 * record lies in the first `extent` bytes (a workload's records lie in its
 * file), so the bounds are checked once, not per record. Returns 0, or
 * MB_EVERIFY when the source is shorter than `extent`. */
int mb_copy_records(uint8_t *dst, const uint8_t *src, size_t size, uint64_t extent,
                    const uint64_t *offs, size_t n, size_t len);

#endif
