/* Error codes and the last-error message shared by every layer of mmbench. */
#ifndef MMBENCH_ERROR_H
#define MMBENCH_ERROR_H

/* Functions return 0 on success or one of these negative codes. The kinds are
 * kept apart because the runner treats them differently: a usage error stops
 * the run (exit 2), an environment error or a verification failure fails one
 * case and the run goes on. */
enum mb_err {
    MB_OK = 0,
    MB_EUSAGE = -1,       /* bad option or argument: the user must change the command */
    MB_EENV = -2,         /* the OS refused something (I/O, permission, no space, ...) */
    MB_EVERIFY = -3,      /* a method delivered bytes that do not match the file */
    MB_ENOMEM = -4,       /* out of memory */
    MB_EUNSUPPORTED = -5, /* the platform lacks the feature */
    MB_EINTR = -6         /* interrupted by SIGINT / SIGTERM */
};

/* Declares a printf-like function (format string is argument `fmt`, the
 * values start at `first`) so that GCC checks its calls. mingw-w64's GCC
 * reads the "printf" archetype as msvcrt's, which lacks %zu and %lld, even
 * though the Win32 build runs the C99 printf (__USE_MINGW_ANSI_STDIO): there
 * the archetype must be gnu_printf. */
#if defined(__MINGW32__)
#define MB_PRINTF_LIKE(fmt, first) __attribute__((format(gnu_printf, fmt, first)))
#elif defined(__GNUC__)
#define MB_PRINTF_LIKE(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define MB_PRINTF_LIKE(fmt, first)
#endif

/* Returns a static, human-readable name of an MB_E* code ("usage error", ...). */
const char *mb_strerror(int code);

/* Records a printf-style message for the most recent failure and returns
 * `code`, so callers can write `return mb_fail(MB_EENV, "open %s: %s", ...)`.
 * The message is kept in a static buffer until the next call (mmbench runs its
 * measurements on one thread). */
int mb_fail(int code, const char *fmt, ...) MB_PRINTF_LIKE(2, 3);

/* Returns the message recorded by the last mb_fail(), or "" if none. The
 * pointer stays valid until the next mb_fail() or mb_clear_error(). */
const char *mb_last_error(void);

/* Forgets the last message. */
void mb_clear_error(void);

#endif
