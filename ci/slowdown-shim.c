/* A known regression for measuring the gate, injected from outside the
 * library: loaded with LD_PRELOAD, this interposes mmap() and munmap() and,
 * when a shared read-only file mapping is unmapped, spins for PCT percent of
 * the time since the file was opened for it (open() is interposed too, so
 * the open that precedes the mapping counts). The mmap method opens, maps and
 * unmaps once per timed pass, so its passes grow by about PCT percent;
 * methods that never map a file are untouched. Nothing in mmbench knows about it, so no test-only code
 * ships in the library.
 *
 * Environment: MB_SHIM_SLOWDOWN_PCT=25 (0 < PCT <= 10000; unset or invalid:
 * the shim does nothing).
 * Build: cc -O2 -shared -fPIC -o slowdown-shim.so slowdown-shim.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <time.h>

#define MAX_LIVE 64

typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);
typedef int (*munmap_fn)(void *, size_t);
typedef int (*open_fn)(const char *, int, ...);

/* When the last file was opened: the start of the pass that maps it. */
static uint64_t last_open;

static struct {
    void *addr;
    uint64_t t0;
} live[MAX_LIVE];

static double factor = -1; /* < 0: not read yet */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double slowdown(void)
{
    if (factor < 0) {
        const char *env = getenv("MB_SHIM_SLOWDOWN_PCT");
        char *end = NULL;
        double pct = env ? strtod(env, &end) : 0;
        factor = (env && end != env && !*end && pct > 0 && pct <= 10000) ? pct / 100 : 0;
    }
    return factor;
}

static void remember(void *addr)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (!live[i].addr) {
            live[i].addr = addr;
            live[i].t0 = last_open ? last_open : now_ns();
            return;
        }
}

static int open_common(const char *sym, const char *path, int flags, va_list ap)
{
    static open_fn real_open, real_open64;
    open_fn *real = sym[4] ? &real_open64 : &real_open;
    if (!*real)
        *real = (open_fn)(uintptr_t)dlsym(RTLD_NEXT, sym);
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
    last_open = now_ns();
    return (*real)(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int fd = open_common("open", path, flags, ap);
    va_end(ap);
    return fd;
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int fd = open_common("open64", path, flags, ap);
    va_end(ap);
    return fd;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    static mmap_fn real;
    if (!real)
        real = (mmap_fn)(uintptr_t)dlsym(RTLD_NEXT, "mmap");
    void *p = real(addr, len, prot, flags, fd, off);
    /* Only what the mmap method makes: a shared, read-only view of a file. */
    if (p != MAP_FAILED && fd >= 0 && (flags & MAP_SHARED) && prot == PROT_READ && slowdown() > 0)
        remember(p);
    return p;
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    return mmap(addr, len, prot, flags, fd, off);
}

int munmap(void *addr, size_t len)
{
    static munmap_fn real;
    if (!real)
        real = (munmap_fn)(uintptr_t)dlsym(RTLD_NEXT, "munmap");
    int rc = real(addr, len);
    for (int i = 0; addr && i < MAX_LIVE; i++)
        if (live[i].addr == addr) {
            uint64_t t1 = now_ns();
            uint64_t until = t1 + (uint64_t)((double)(t1 - live[i].t0) * slowdown());
            live[i].addr = NULL;
            while (now_ns() < until)
                ;
            break;
        }
    return rc;
}
