/* The startup suite's executables: one C program, built at run time with
 * the C compiler into a scratch file under --dir, once per size, with a
 * large read-only section it does not use (or reads at start). */
#ifndef MMBENCH_STARTUP_EXE_H
#define MMBENCH_STARTUP_EXE_H

#include <stdbool.h>
#include <stdint.h>

/* One generated executable, shared by every case of its size. */
struct startup_exe {
    uint64_t pad_bytes;         /* its unused read-only section */
    const char *dir;            /* where it is built (--dir) */
    char *path;                 /* NULL until built */
    uint64_t file_bytes;        /* size of the executable file */
    uint64_t file_sum;          /* the sum of its 8-byte words: what the read mode prints */
    unsigned users;             /* cases set up on it */
};

/* What a start of the program prints on its one line ("<mode> <value>",
 * or "ready <value>" when held): the pad's size for a mapped start, the
 * sum of its own file for a read start. */
uint64_t startup_expected_value(const struct startup_exe *e, bool read_mode);

/* The exit code a start ends with, derived from its printed value, so
 * that a start timed by another tool is verified too. */
int startup_expected_exit(uint64_t value);

/* Builds the executable if no case has yet (or takes another user of it):
 * compiles the program with $CC or cc into a new scratch file. Returns 0,
 * MB_EUNSUPPORTED (no C compiler), MB_EENV (the compiler failed, with its
 * message), MB_ENOMEM. */
int startup_exe_acquire(struct startup_exe *e);

/* Drops a user; the last one removes the executable. */
void startup_exe_release(struct startup_exe *e);

#endif
