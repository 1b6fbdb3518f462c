/* Access methods: one way of getting records out of a file (fread, read,
 * mmap, ...), as a table of function pointers in the manner of fio's
 * ioengine_ops. The runner drives them; a method knows nothing of timing,
 * counters or statistics. */
#ifndef MMBENCH_METHOD_H
#define MMBENCH_METHOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    MB_M_MAPPED = 1u << 0,     /* reads through a memory mapping */
    MB_M_BUFFERED = 1u << 1,   /* a user-space buffer sits between calls and the OS */
    MB_M_SYSCALL = 1u << 2,    /* one OS call per record */
    MB_M_IN_MEMORY = 1u << 3,  /* reads no file in its timed region (the floor) */
    MB_M_COUNTS_CALLS = 1u << 4/* counts its own OS calls into mb_target.calls */
};

/* What a method works on during one pass. The runner fills path, size,
 * readahead_off and cold; the method owns priv between prepare/open and
 * close/release. */
struct mb_target {
    const char *path;
    uint64_t file_size;
    bool readahead_off;       /* ask the OS for no readahead (FADV_RANDOM, MADV_RANDOM, ...) */
    bool cold;                /* the case asks for a cold cache */
    /* Set by a method's prepare() when, because `cold` is set, its passes
     * will read around the OS cache (Win32 ReadFile with
     * FILE_FLAG_NO_BUFFERING): the repetition is then cold by construction
     * even where residency cannot be checked. Only set where the bypass is
     * real (not under Wine, which ignores the flag). */
    bool uncached;
    void *priv;               /* the method's state */
    void *prepared;           /* state made by prepare(), outside the timed region */
    uint64_t calls;           /* OS calls counted by the method itself (MB_M_COUNTS_CALLS) */
};

struct mb_method {
    const char *name;         /* exactly as on the command line */
    const char *help;         /* one line for `mmbench list` */
    unsigned flags;           /* MB_M_* */
    /* Optional, untimed: runs once per repetition before the cache state is
     * set (the floor loads the file into the heap here). */
    int (*prepare)(struct mb_target *t);
    /* Timed: opens the file (and maps it, for mapped methods). */
    int (*open)(struct mb_target *t);
    /* Timed: copies `len` bytes at file offset `off` into `dst`. */
    int (*access)(struct mb_target *t, uint64_t off, size_t len, void *dst);
    /* Timed: closes (and unmaps). Must release everything open() took even
     * after a failed access(). */
    int (*close)(struct mb_target *t);
    /* Optional, untimed: frees what prepare() made. */
    void (*release)(struct mb_target *t);
};

/* The methods this build offers, in display order; *n receives the count. */
const struct mb_method *const *mb_methods(size_t *n);

/* Finds a method by exact name; NULL if this platform has none by that name. */
const struct mb_method *mb_method_find(const char *name);

/* Writes "a, b, c" (every method name) into buf. Returns buf. */
char *mb_method_names(char *buf, size_t len);

#endif
