/* A few helpers for the Win32 mechanics tests: checks that count failures
 * and say what was expected, a test file with known bytes, and starting this
 * same program again as a child process (the tests that cross processes). */
#ifndef MMBENCH_W32TEST_H
#define MMBENCH_W32TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "win32.h"

/* Records one check: prints "ok" or "FAIL" with the message and the place.
 * Returns `ok` so that a test can stop when a later check would crash. */
bool w32t_check(bool ok, const char *file, int line, const char *fmt, ...) MB_PRINTF_LIKE(4, 5);
#define CHECK(cond, ...) w32t_check((cond), __FILE__, __LINE__, __VA_ARGS__)

/* The byte at file offset `off` of every test file. */
uint8_t w32t_byte(uint64_t off);

/* Creates a scratch file of `size` bytes of w32t_byte() in %TEMP% (removed
 * at exit). Returns its malloc'd path, or NULL after a failed check. */
char *w32t_file(const char *tag, uint64_t size);

/* True if `n` bytes at `p` are the file's bytes from offset `off`. */
bool w32t_same(const uint8_t *p, uint64_t off, size_t n);

/* Starts this program again as "<exe> <args>" and waits for it. With
 * `inherit`, the child inherits every inheritable handle; `std_in` (may be
 * NULL) becomes its standard input. Returns the child's exit code, or -1
 * when it could not be started. */
long w32t_spawn_self(const char *args, bool inherit, HANDLE std_in);

/* Prints "<name>: N checks, M failed" and returns the exit code (0 when
 * nothing failed). */
int w32t_finish(const char *name);

#endif
