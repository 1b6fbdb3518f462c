/* The startup suite's executables: one C program, built at run time with
 * the C compiler into a scratch file under --dir, once per size, with a
 * large read-only section it does not use (or reads at start). Where the
 * build made the stub STARTUP_STUB_NAME beside mmbench (Windows, which has
 * no C compiler at run time), a copy of it with a padding section of the
 * size added instead (startup_pe.h). */
#ifndef MMBENCH_STARTUP_EXE_H
#define MMBENCH_STARTUP_EXE_H

#include <stdbool.h>
#include <stdint.h>

/* The Windows build's stub program (startup_stub.c). */
#define STARTUP_STUB_NAME "mmbench-startup-stub.exe"

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
 * copies the stub with its padding section, or compiles the program with
 * $CC or cc, into a new scratch file. Returns 0, MB_EUNSUPPORTED (no C
 * compiler), MB_EENV (the compiler failed, with its message; a stub that
 * cannot be padded), MB_ENOMEM. */
int startup_exe_acquire(struct startup_exe *e);

/* Drops a user; the last one removes the executable. */
void startup_exe_release(struct startup_exe *e);

#endif
