/* The platform layer: every call into the operating system that portable code
 * needs goes through these functions. harness/platform/posix/ and
 * harness/platform/win32/ implement the same list; CMake picks one. */
#ifndef MMBENCH_PLATFORM_H
#define MMBENCH_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample.h"

/* ---- time ------------------------------------------------------------- */

/* Monotonic time in nanoseconds from an arbitrary origin. Never fails. */
uint64_t mb_now_ns(void);

/* CPU time (user + kernel) this process has used, in ns, into *ns: the
 * finest process CPU clock the platform has, read right next to the timer
 * (CLOCK_PROCESS_CPUTIME_ID; GetProcessTimes on Windows). Returns 0, or
 * MB_EUNSUPPORTED when there is none. */
int mb_cpu_now_ns(uint64_t *ns);

/* The clock's advertised resolution in nanoseconds (clock_getres /
 * QueryPerformanceFrequency). */
uint64_t mb_timer_resolution_ns(void);

/* ---- counters --------------------------------------------------------- */

/* A reading of every COUNTER and GAUGE field of fields.def this platform
 * provides, indexed by enum mb_field: cumulative counts (differences of two
 * readings give the cost of what ran between them) and current levels. A
 * field whose bit is clear in `valid` is unavailable: written as empty /
 * absent, never 0. */
struct mb_counters {
    double v[MB_F_COUNT];
    mb_fieldset valid;
};

/* Which side of a timed region a reading is taken on: the sources of the
 * CPU-time fields are read nearest the region, so the other sources' reads
 * stay outside their bracket. */
enum mb_counters_when { MB_COUNTERS_BEFORE, MB_COUNTERS_AFTER };

/* Fills *c with the current counters of this process. Returns 0, or MB_EENV
 * if nothing could be read (then c->valid is 0). */
int mb_counters_read(struct mb_counters *c, enum mb_counters_when when);

/* Chooses the block device whose completed read and write requests are
 * counted in device_reads / device_writes: the one holding `dir`.
 * Device-wide, so other processes' requests count too. Returns 0, or
 * MB_EUNSUPPORTED when `dir` is not on a block device (tmpfs, overlay) and
 * the fields stay unavailable. */
int mb_counters_watch_device(const char *dir);

/* ---- faults in a timed body ------------------------------------------- */

/* Calls fn(arg) so that a bus error raised by an access to a mapped file
 * inside it (SIGBUS: the file shrank under the mapping; Win32
 * EXCEPTION_IN_PAGE_ERROR) makes the call return MB_EENV with a message
 * naming the offset, instead of killing the process. What fn had acquired
 * when the fault hit is left for the caller to release. Returns fn's result
 * otherwise. Not reentrant; each thread guards its own calls. */
int mb_guarded_call(int (*fn)(void *), void *arg);

/* Tells the guard that [base, base + len) maps a file, so that a fault in it
 * is reported as a file offset; base NULL forgets. Two stores: cheap enough
 * for a timed region. */
void mb_guard_watch(const void *base, size_t len);

/* ---- scratch files and result files -------------------------------------- */

/* Fills `n` bytes of file content starting at file offset `off`. */
typedef void (*mb_fill_fn)(uint8_t *dst, uint64_t off, size_t n);

/* Creates a new file that did not exist before (O_EXCL / CREATE_NEW) inside
 * `dir`, named "<dir>/mmbench-<tag>-XXXXXX", writes `size` bytes produced by
 * `fill`, makes them durable and closes it. The path is registered for
 * removal at exit and on every terminating signal. The file carries an
 * owner record (pid, start time, boot id; mb_file_tag_set) and stays locked
 * (mb_lock_take) while this process lives, so that a later run can tell a
 * dead run's scratch file from a live one's (mb_scratch_reap). On success *path_out is a malloc'd
 * path the caller frees after mb_scratch_remove(). Returns 0, MB_EUSAGE (dir
 * missing or not writable), MB_EENV or MB_ENOMEM. Portable: harness/core/
 * scratch.c, on top of mb_fopen_new() and mb_stdio_sync(). */
int mb_scratch_create(const char *dir, const char *tag, uint64_t size, mb_fill_fn fill,
                      char **path_out);

/* Removes, and reports on stderr, the scratch files in `dir` that runs which
 * have ended left behind (killed before they could clean up): those whose
 * owner record is unlocked and names a process that no longer exists. A
 * live run's files, and files without an owner record, are never touched.
 * Returns the number removed (>= 0). Portable: harness/core/scratch.c. */
int mb_scratch_reap(const char *dir);

/* For a scratch file another program writes or executes: mb_scratch_create()
 * keeps each scratch file open for its lock, and the kernel refuses to
 * execute a file open for writing (ETXTBSY). This drops the lock of the
 * scratch file at `path` and keeps its owner record and its registration
 * for removal: a later run still tells it left over by its owner record
 * (pid, start time, boot id), though not across PID namespaces.
 * Portable: harness/core/scratch.c. */
void mb_scratch_unlock(const char *path);

/* Removes a scratch file created by mb_scratch_create() and forgets it.
 * Removing a path that was never registered does nothing (mmbench never
 * deletes what it did not create). Portable: harness/core/scratch.c. */
void mb_scratch_remove(const char *path);

/* Defers terminating signals (true) until the matching call with false, so
 * that creating a file and registering it for removal happen as one step:
 * a signal in between would leave the file behind. Calls do not nest. */
void mb_signals_defer(bool defer);

/* True if `path` is registered for removal at exit (mb_cleanup_register). */
bool mb_cleanup_known(const char *path);

/* Flushes stdio stream `f` and makes its data durable (fsync /
 * FlushFileBuffers). Returns 0 or MB_EENV. */
int mb_stdio_sync(void *f /* FILE* */);

/* Installs the handlers of every terminating signal (HUP INT QUIT TERM PIPE
 * USR1 USR2 ALRM XCPU XFSZ; console events on Windows) and the atexit hook
 * that remove every registered scratch and temporary result file. A signal
 * the process inherited as ignored stays ignored (nohup). Call once from
 * main. */
void mb_cleanup_install(void);

/* True once a terminating signal has been received; the runner stops between
 * repetitions. */
bool mb_interrupted(void);

/* Registers / forgets a path removed on exit or signal (temporary result
 * files). Returns 0 or MB_ENOMEM. */
int mb_cleanup_register(const char *path);
void mb_cleanup_forget(const char *path);

/* Reads the whole file at `path` into a new malloc'd buffer (*buf, *len).
 * Returns 0, MB_EENV or MB_ENOMEM. The caller frees *buf. */
int mb_file_read_all(const char *path, uint8_t **buf, size_t *len);

/* Atomically replaces `final_path` by `tmp_path` (rename). Returns 0 or MB_EENV. */
int mb_file_commit(const char *tmp_path, const char *final_path);

/* Creates `path` and its missing parents. Returns 0, or MB_EUSAGE with a
 * message when it cannot be created or written into. */
int mb_mkdir_p(const char *path);

/* Returns 0 if `dir` exists, is a directory and is writable; MB_EUSAGE with a
 * message otherwise. */
int mb_dir_check_writable(const char *dir);

/* The directory scratch files go to when --dir is not given: a disk-backed
 * temporary directory ($TMPDIR if set, else /var/tmp, which unlike /tmp is
 * rarely tmpfs; %TEMP% on Windows). Static storage. */
const char *mb_default_scratch_dir(void);

/* True if `path` exists (any type). */
bool mb_path_exists(const char *path);

/* Creates the new file `path` for writing, failing if anything exists there
 * (fopen's C11 "wx", which msvcrt rejects: CREATE_NEW on Windows), in binary
 * mode so that lines end in \n everywhere. Returns the FILE* (the caller
 * fcloses it), or NULL with mb_fail set. */
void *mb_fopen_new(const char *path);

/* Asks the OS not to read ahead on stdio stream `f` (POSIX_FADV_RANDOM on
 * its descriptor). Returns 0, MB_EENV or MB_EUNSUPPORTED. */
int mb_stdio_no_readahead(void *f /* FILE* */);

/* ---- result sets, locks and owner records -------------------------------- */

/* Creates a new, empty directory "<prefix>XXXXXX" (mkdtemp; a unique name on
 * Windows) with the parents of `prefix` already existing. On success
 * *path_out is malloc'd (the caller frees it). Returns 0, MB_EENV or
 * MB_ENOMEM; the message carries the OS reason. */
int mb_dir_create_unique(const char *prefix, char **path_out);

/* Makes the entries of directory `dir` durable (fsync of the directory;
 * nothing to do on Windows, where metadata is journaled). Returns 0 or
 * MB_EENV. */
int mb_dir_sync(const char *dir);

/* Moves directory `from` to `to` in one step (rename). `to` must not exist,
 * or be an empty directory, which is replaced. Returns 0, MB_EUSAGE when
 * `to` holds something, or MB_EENV. */
int mb_dir_commit(const char *from, const char *to);

/* Removes the empty directory `dir`. Returns 0 or MB_EENV. */
int mb_dir_remove(const char *dir);

/* Calls fn(name, arg) for every entry of `dir` except "." and "..", until
 * fn returns non-zero. Returns 0, fn's non-zero value, or MB_EENV. */
int mb_dir_each(const char *dir, int (*fn)(const char *name, void *arg), void *arg);

/* True if `c` separates path components here ('/'; also '\\' on Windows,
 * where a backslash is no part of a file name). */
bool mb_path_is_sep(char c);

/* Makes the file `path` durable (open + fsync; FlushFileBuffers). Returns 0
 * or MB_EENV with the OS reason. */
int mb_file_sync(const char *path);

/* Removes the file `path`. Returns 0 (also when it was already gone) or
 * MB_EENV with the OS reason. */
int mb_file_remove(const char *path);

/* An exclusive lock held through an open file: the OS releases it when the
 * process ends, however it ends (an open-file-description lock on a byte
 * beyond any content; LockFileEx on Windows). It does not conflict with
 * reads, mappings or flock() on the same file. */
typedef intptr_t mb_lock_t;

/* Opens (creating it when `create`) and locks the file `path` without
 * waiting, unless `wait`. Returns 0 with *lock set, 1 when another process
 * holds it, or MB_EENV. On POSIX the lock is taken on the file the path
 * names when the call returns (a file removed meanwhile is retried). */
int mb_lock_take(const char *path, bool create, bool wait, mb_lock_t *lock);

/* Replaces the content of the locked file by `text` and makes it durable.
 * Returns 0 or MB_EENV. */
int mb_lock_write(mb_lock_t lock, const char *text);

/* Releases the lock; when `path` is not NULL the file is removed first,
 * while still locked, so that no other process can lock a name that is
 * about to disappear. */
void mb_lock_release(mb_lock_t lock, const char *path);

/* Attaches the short text `value` to the file `path` under `name`, beside
 * its content (a "user." extended attribute). Returns 0, MB_EUNSUPPORTED
 * (the filesystem or platform has no such place) or MB_EENV. */
int mb_file_tag_set(const char *path, const char *name, const char *value);

/* Reads what mb_file_tag_set() attached into buf (NUL-terminated). Returns
 * 0, MB_EUNSUPPORTED, or MB_EENV (no such tag, or it does not fit). */
int mb_file_tag_get(const char *path, const char *name, char *buf, size_t len);

/* Who a process is, in a form that survives PID reuse (PID namespaces,
 * containers, reboots): its pid, its start time in the kernel's clock ticks
 * since boot, and the boot's id. */
struct mb_owner {
    long pid;
    unsigned long long start;  /* 0 when unknown */
    char boot[40];             /* "" when unknown */
};

/* Fills *o for the calling process. Returns 0 or MB_EENV. */
int mb_owner_self(struct mb_owner *o);

/* True unless the process `o` describes has certainly ended: another boot,
 * no such pid, or a pid now used by a process started at another time.
 * Unsure answers are "alive". */
bool mb_owner_alive(const struct mb_owner *o);

/* ---- terminating signals ------------------------------------------------ */

/* Registers directory `dir` (a result set being staged) whose entries and
 * itself are removed at exit and on every terminating signal, after the
 * registered files. One at a time; NULL forgets it. Returns 0 or MB_EUSAGE
 * (path too long). */
int mb_cleanup_set_dir(const char *dir);

/* Async-signal-safe: removes every registered path and the registered
 * directory, then ends the process by signal `sig` with its default action
 * (the exit status says which signal). For fault handlers (SIGBUS,
 * SIGSEGV) that found a fault outside a guarded region. Never returns. */
void mb_cleanup_fatal(int sig);

/* True once standard output turned out to be closed (a write to it raised
 * SIGPIPE or failed with EPIPE): the run goes on and its files are still
 * written; the exit status reports it. */
bool mb_stdout_lost(void);

/* ---- the program itself ------------------------------------------------ */

/* The directory holding the running executable (/proc/self/exe;
 * GetModuleFileName), into buf. Returns 0, or MB_EENV when unknown. */
int mb_self_dir(char *buf, size_t len);

/* Checks, without changing anything, that logical CPU `cpu` exists and this
 * process may run on it. Returns 0, or MB_EUSAGE with the reason and the
 * CPUs that are allowed. */
int mb_cpu_check(unsigned cpu);

/* ---- cache state ------------------------------------------------------ */

/* Evicts the pages of the file at `path` from the OS cache without touching
 * other files (sync its data, then drop it). Returns 0 or MB_EENV. Whether it
 * worked is checked by the caller with mb_cache_resident(). */
int mb_cache_evict(const char *path);

/* Drops the whole machine's clean page cache: the fallback the user asks for
 * with --drop-caches. Returns 0, MB_EENV (no permission) or MB_EUNSUPPORTED. */
int mb_cache_drop_all(void);

/* Reads every page of the file so that it is resident. Returns 0 or MB_EENV. */
int mb_cache_warm(const char *path);

/* Counts the file's pages that are resident in the page cache (mincore on a
 * fresh mapping). *resident and *total are in pages of mb_page_size().
 * Returns 0, MB_EENV or MB_EUNSUPPORTED (then both are left unchanged). */
int mb_cache_resident(const char *path, uint64_t *resident, uint64_t *total);

/* ---- memory ----------------------------------------------------------- */

/* The VM page size in bytes. */
size_t mb_page_size(void);

/* The granularity a view's file offset must be a multiple of (page size on
 * POSIX, dwAllocationGranularity on Windows). */
size_t mb_alloc_granularity(void);

/* Pins the calling thread to logical CPU `cpu`, so that a run is not
 * migrated between CPUs whose speed differs (a shared VM's vCPUs do).
 * Returns 0, MB_EUSAGE (no such CPU) or MB_EENV. */
int mb_pin_cpu(unsigned cpu);

/* ---- processes --------------------------------------------------------- */

/* Runs argv[0] (searched in PATH) with argv and waits for it, in a process
 * group of its own that a terminating signal of this process ends too.
 * Returns its exit status (0..255), MB_EENV when it could not be started or
 * died of a signal, or MB_EUNSUPPORTED when the platform cannot run such a
 * program at all (a POSIX script on Windows). */
int mb_run_program(char *const argv[]);

/* mb_run_program() with the child's standard output discarded (its errors
 * still reach stderr): for a helper whose report the caller gives itself.
 * Same returns. */
int mb_run_program_silent(char *const argv[]);

/* ---- backing objects of a shared mapping (the `backing` suite) ---------- */

/* What memory a mapping is backed by. */
enum mb_backing_kind {
    MB_BACKING_FILE,          /* a data file under --dir, MAP_SHARED */
    MB_BACKING_SHARED_ANON,   /* MAP_SHARED | MAP_ANONYMOUS (the paging file's twin) */
    MB_BACKING_MEMFD,         /* memfd_create: anonymous memory with a descriptor */
    MB_BACKING_SHM,           /* shm_open: a named shared-memory object */
    MB_BACKING_PRIVATE_ANON   /* MAP_PRIVATE | MAP_ANONYMOUS: process memory */
};

/* One backing object and its mapping. `path` (file kind) names an existing
 * file the caller created and owns; everything else is the platform's. */
struct mb_backing {
    enum mb_backing_kind kind;
    size_t len;
    const char *path;         /* file kind: the file to map */
    char name[64];            /* shm kind: the object's name, once created */
    bool named;               /* the shm object exists and is registered for removal */
    intptr_t handle;          /* descriptor / file HANDLE; -1 when closed */
    intptr_t section;         /* Win32: the mapping object's HANDLE; -1 when closed */
    void *base;               /* the mapping; NULL when unmapped */
};

/* Readies *b for mb_backing_create(): nothing open, nothing mapped. */
void mb_backing_init(struct mb_backing *b, enum mb_backing_kind kind, size_t len,
                     const char *path);

/* NULL if this platform can create backing objects of `kind`, else why not
 * (static text). */
const char *mb_backing_unsupported(enum mb_backing_kind kind);

/* True if a mapping of `kind` holds a handle that mb_backing_close() closes
 * (a descriptor on POSIX; the section, and the file, on Windows). */
bool mb_backing_has_handle(enum mb_backing_kind kind);

/* Opens (creates) the backing object, sizes it to b->len and maps all of it
 * read-write. A shm object gets a unique name and is registered for removal
 * at exit and on SIGINT/SIGTERM before any signal can see it unregistered.
 * Returns 0, MB_EENV or MB_EUNSUPPORTED. */
int mb_backing_create(struct mb_backing *b);

/* Unmaps the mapping (nothing else). Returns 0 or MB_EENV. */
int mb_backing_unmap(struct mb_backing *b);

/* Closes the object's descriptor or handles, if it has any; the object
 * itself (file, shm name) stays. Returns 0 or MB_EENV. */
int mb_backing_close(struct mb_backing *b);

/* File kind: makes the file's data durable (open it again, fdatasync /
 * FlushFileBuffers, close). Returns 0 or MB_EENV. */
int mb_backing_durable(const struct mb_backing *b);

/* Reads `n` bytes at `off` of a file or shm object back through its path or
 * name, after the mapping and descriptor are gone (pread). Returns 0, MB_EENV
 * or MB_EUNSUPPORTED (the kind has no name to reopen). */
int mb_backing_read_back(const struct mb_backing *b, uint64_t off, void *buf, size_t n);

/* Unmaps and closes what is still mapped or open and removes a shm object's
 * name (shm_unlink) and its cleanup registration; never fails. The file of
 * the file kind is the caller's to remove. */
void mb_backing_release(struct mb_backing *b);

/* ---- system memory and space -------------------------------------------- */

/* System-wide memory figures in bytes; a bit of `valid` per field known. */
struct mb_meminfo {
    uint64_t dirty, writeback, available;
    bool has_dirty, has_writeback, has_available;
};

/* Reads Dirty, Writeback and MemAvailable (/proc/meminfo). Returns 0, or
 * MB_EUNSUPPORTED when the platform has no such figures. */
int mb_meminfo_read(struct mb_meminfo *m);

/* Free bytes an unprivileged user may still write on the filesystem holding
 * `dir` (statvfs f_bavail * f_frsize; GetDiskFreeSpaceEx). Returns 0 or
 * MB_EENV. */
int mb_space_free(const char *dir, uint64_t *bytes);

/* ---- environment ------------------------------------------------------- */

/* What every result file records about where it was measured. Strings are
 * NUL-terminated and empty when unknown. */
struct mb_env {
    char os[72];            /* "Linux", "Windows" */
    char kernel[160];       /* release and version */
    char arch[72];
    char cpu[128];          /* model name */
    char hostname[72];
    unsigned num_cpus;
    char fs_type[32];       /* filesystem of the scratch directory */
    char thp[32];           /* transparent huge pages mode */
    long readahead_kb;      /* block device readahead for the scratch dir; -1 unknown */
    size_t page_size;
    size_t alloc_granularity;
    bool under_wine;        /* detected, not configured */
    char wine_version[32];
    /* Where the platform's counters or cache states differ from the column
     * names' Linux meaning, one sentence each that every output prints;
     * empty when they mean what DESIGN.md's table says (Linux). */
    char counters_note[512];
    char cache_note[512];
    double load_avg[3];
    bool has_load_avg;
    /* CPU caches and clock, as Google Benchmark's context reports them. */
    struct mb_cpu_cache {
        char type[16];      /* "Data", "Instruction", "Unified" */
        int level;
        long size;          /* bytes */
        int num_sharing;    /* logical CPUs sharing it; 0 unknown */
    } caches[8];
    size_t ncaches;
    double mhz_per_cpu;     /* 0 unknown */
    int cpu_scaling;        /* 1 the frequency governor may scale, 0 it does not, -1 unknown */
};

/* Probes the environment; `scratch_dir` selects the filesystem and block
 * device that are described. Never fails: unknown fields stay empty / -1. */
void mb_env_probe(const char *scratch_dir, struct mb_env *env);

/* ---- fault regions (the faults suite) ------------------------------------ */

/* What backs a region mapped for first-touch faults. */
enum mb_region_kind {
    MB_REGION_ANON_PRIVATE,     /* MAP_PRIVATE | MAP_ANONYMOUS */
    MB_REGION_ANON_SHARED,      /* MAP_SHARED | MAP_ANONYMOUS (shmem) */
    MB_REGION_FILE_PRIVATE,     /* a file, MAP_PRIVATE, read + write (copy-on-write) */
    MB_REGION_FILE_SHARED       /* a file, MAP_SHARED, read + write */
};

/* Advice given to a region before it is touched. */
enum mb_region_advice {
    MB_ADVISE_RANDOM,           /* MADV_RANDOM: no readahead on a fault */
    MB_ADVISE_HUGEPAGE,         /* MADV_HUGEPAGE: transparent huge pages where allowed */
    MB_ADVISE_NOHUGEPAGE        /* MADV_NOHUGEPAGE: base pages whatever the THP mode */
};

/* A mapped region: `base` is `align`-aligned and `len` bytes long; `map`
 * and `map_len` are what was really mapped (larger when aligned). */
struct mb_region {
    uint8_t *base;
    size_t len;
    void *map;
    size_t map_len;
};

/* NULL where regions can be mapped and faults counted, else the reason
 * they cannot (Win32: the suite's faults are POSIX mappings). */
const char *mb_region_unsupported(void);

/* Maps `len` bytes of kind `kind` (a file kind maps `path` from offset 0)
 * at an address that is a multiple of `align` (0: the page size), touching
 * nothing. Returns 0, MB_EENV or MB_EUNSUPPORTED; *r is zeroed on failure. */
int mb_region_map(struct mb_region *r, enum mb_region_kind kind, const char *path, size_t len,
                  size_t align);

/* Applies advice `a` to the whole region. Returns 0, MB_EENV or
 * MB_EUNSUPPORTED (the kernel does not know the advice). */
int mb_region_advise(const struct mb_region *r, enum mb_region_advice a);

/* Writes the region's dirty file pages back and waits (msync MS_SYNC).
 * Returns 0 or MB_EENV. */
int mb_region_sync(const struct mb_region *r);

/* Unmaps the region and zeroes *r; safe on a zeroed region. */
void mb_region_unmap(struct mb_region *r);

/* Minor and major page faults of this process so far (getrusage: one cheap
 * call, fit for a timed region). Returns 0 or MB_EUNSUPPORTED. */
int mb_fault_counts(uint64_t *minor, uint64_t *major);

/* The transparent-huge-page mode ("always", "madvise", "never") into
 * `mode`, and the huge page size into *huge_bytes. Returns 0, or
 * MB_EUNSUPPORTED with the reason (no THP in this kernel or platform). */
int mb_thp_mode(char *mode, size_t len, size_t *huge_bytes);

/* The kernel's fault-around window in bytes (debugfs fault_around_bytes).
 * Returns 0, or MB_EUNSUPPORTED with the reason it cannot be read. */
int mb_fault_around_bytes(uint64_t *bytes);

/* ---- processes sharing a mapping (the share suite) ------------------------ */

/* How the second process obtains the shared mapping. */
enum mb_share_how {
    MB_SHARE_NONE,              /* no mapping: the bytes travel through the channel */
    MB_SHARE_NAME,              /* shm_open by a unique name, unlinked once both hold it */
    MB_SHARE_INHERIT_ANON,      /* MAP_SHARED | MAP_ANONYMOUS before fork */
    MB_SHARE_INHERIT_FILE,      /* MAP_SHARED of a scratch file before fork */
    MB_SHARE_SCM_RIGHTS,        /* a memfd sent over a Unix socket (SCM_RIGHTS) */
    MB_SHARE_PIDFD_GETFD        /* the parent takes the child's memfd (pidfd_getfd) */
};

/* How each side tells the other that a message or its reply is ready, or
 * (no mapping) what carries the bytes. */
enum mb_share_channel {
    MB_CHANNEL_FUTEX,           /* a futex word in the mapping */
    MB_CHANNEL_CONDVAR,         /* process-shared robust mutex + condition variables */
    MB_CHANNEL_EVENTFD,         /* one eventfd each way */
    MB_CHANNEL_PIPE_NOTIFY,     /* one pipe each way, 8 bytes per notification */
    MB_CHANNEL_PIPE,            /* no mapping: the message itself through a pipe */
    MB_CHANNEL_SOCKET           /* no mapping: the message itself through a Unix stream socket */
};

struct mb_peer_config {
    enum mb_share_how how;
    enum mb_share_channel channel;
    size_t msg_bytes;           /* every message's size, a multiple of 8, >= 8 */
    const char *file;           /* MB_SHARE_INHERIT_FILE: a file of mb_peer_region_bytes() bytes */
};

struct mb_peer; /* a child process and what it shares with its parent */

/* NULL where the share suite can run, else the reason it cannot. */
const char *mb_share_unsupported(void);

/* Bytes of the shared mapping a peer with messages of `msg_bytes` uses. */
size_t mb_peer_region_bytes(size_t msg_bytes);

/* Forks a child that dies with its parent, gives it the mapping as `cfg`
 * says and leaves it waiting for messages. Returns 0 and *out, MB_EUNSUPPORTED
 * with the reason (no /dev/shm, no pidfd_getfd), MB_EENV or MB_ENOMEM; on
 * failure nothing is left (child reaped, name unlinked). */
int mb_peer_start(const struct mb_peer_config *cfg, struct mb_peer **out);

/* One round trip: writes the next message (sequence number + deterministic
 * content), the child checks all of it on arrival and replies with its
 * verdict, which is checked here. Returns 0, MB_EVERIFY (a corrupt message
 * or reply) or MB_EENV (the child died: it is reaped). */
int mb_peer_exchange(struct mb_peer *p);

/* CPU time (user + kernel) the child has used so far, in ns, into *ns
 * (its process CPU clock). Returns 0, MB_EUNSUPPORTED or MB_EENV. */
int mb_peer_cpu_ns(struct mb_peer *p, uint64_t *ns);

/* Kills and reaps the child, unmaps, closes and frees; NULL is a no-op. */
void mb_peer_stop(struct mb_peer *p);

/* Fills buf[0..len) with message `seq`: the sequence number, then words
 * derived from it. */
void mb_share_msg_fill(uint8_t *buf, size_t len, uint64_t seq);

/* Returns 0 if buf[0..len) is message `seq`, else MB_EVERIFY and *bad_off,
 * the first wrong byte. */
int mb_share_msg_check(const uint8_t *buf, size_t len, uint64_t seq, size_t *bad_off);

/* What a peer writes as the bad offset when the message it checked was
 * right. */
#define MB_SHARE_MSG_OK UINT64_MAX

/* The peer's reply to message `seq` through shared memory: the sequence it
 * acknowledged and the bad offset it found. Returns 0 when both say `seq`
 * arrived intact, else MB_EVERIFY naming which. */
int mb_share_reply_check(uint64_t ack, uint64_t bad_off, uint64_t seq);
/* ---- worker processes, shared locks, whole-file saves (lostupdates) ------- */

#define MB_WORKERS_MAX 16

/* A group of worker processes started together and released together. */
struct mb_workers {
    /* Set by mb_workers_start once its descriptors and handles are this
     * group's; false in a zeroed group, which owns nothing to close. */
    bool started;
    unsigned n;                 /* started */
    long pid[MB_WORKERS_MAX];   /* 0 once reaped */
    long pgid;                  /* their process group; 0 when none is alive */
    int go_fd, done_fd;         /* the barrier's write end, the done pipe's read end; -1 */
    unsigned done;              /* workers that reported their work finished */
    /* Filled by mb_workers_reap: exit code, or -1 when killed by signal[i]. */
    int exit_code[MB_WORKERS_MAX];
    int signal[MB_WORKERS_MAX];
    double cpu_ns;              /* user + kernel CPU time of the reaped workers */
};

/* NULL where worker processes, process-shared robust mutexes and file
 * locks are available, else the reason they are not. */
const char *mb_workers_unsupported(void);

/* Starts n (1..MB_WORKERS_MAX) worker processes in a new process group;
 * each blocks until mb_workers_go, then returns k->fn(arg, i) as its exit
 * status (0 ok) without running atexit handlers (worker_kind.h: on
 * Windows each is mmbench started again, given k->describe(arg)). Until
 * mb_workers_kill or mb_workers_reap, SIGINT/SIGTERM/SIGHUP of this
 * process kill and reap the group before the usual cleanup, and a worker
 * dies with its parent.
 * Returns 0, MB_EENV or MB_EUSAGE; on failure nothing is left running. */
struct mb_worker_kind;
int mb_workers_start(struct mb_workers *w, unsigned n, const struct mb_worker_kind *k,
                     void *arg);

/* Releases every worker at once and waits until each has reported its work
 * done or has ended without reporting (w->done counts the reports), for at
 * most `timeout_ns`. Returns 0, or MB_EENV when the pipe fails or time ran
 * out (a worker hangs: the caller kills the group). */
int mb_workers_go(struct mb_workers *w, uint64_t timeout_ns);

/* Waits for every worker to end and fills exit_code, signal and cpu_ns.
 * Returns 0 or MB_EENV (waitpid failed: the rest are killed). */
int mb_workers_reap(struct mb_workers *w);

/* Kills the group (SIGKILL) and reaps whatever is left; safe to call
 * twice or on a zeroed or reaped group. */
void mb_workers_kill(struct mb_workers *w);

/* Ends the calling worker at once, as a crash would (SIGKILL to itself). */
void mb_worker_die_now(void);

/* Sleeps the calling process for about `ns` nanoseconds (nanosleep;
 * Sleep on Windows, in milliseconds). */
void mb_sleep_ns(uint64_t ns);

/* Bytes a process-shared mutex occupies in shared memory. */
size_t mb_pmutex_size(void);

/* Initializes a process-shared, robust mutex at `m` (in memory every user
 * maps shared, aligned to 16). Returns 0, MB_EUNSUPPORTED (the system has
 * no such mutexes) or MB_EENV. */
int mb_pmutex_init(void *m);

/* Locks `m`. Returns 0 with *owner_died false, or 0 with *owner_died true
 * when its previous owner died holding it: the caller repairs what it
 * guards and calls mb_pmutex_consistent before unlocking. MB_EENV when the
 * mutex is not recoverable. */
int mb_pmutex_lock(void *m, bool *owner_died);

/* Marks a mutex taken over from a dead owner usable again. Returns 0 or MB_EENV. */
int mb_pmutex_consistent(void *m);

/* Unlocks `m`. Returns 0 or MB_EENV. */
int mb_pmutex_unlock(void *m);

/* Destroys an unlocked mutex. */
void mb_pmutex_destroy(void *m);

/* Opens the existing file `path` for reading and writing: a new open file
 * description, so that its lock is its own. Returns 0 and *fd, or MB_EENV. */
int mb_lfile_open(const char *path, int *fd);

/* Takes (exclusive) or drops the whole-file advisory lock on fd (flock).
 * Returns 0 or MB_EENV. */
int mb_lfile_lock(int fd, bool take);

/* Reads the file from offset 0 into buf (at most cap bytes) as one load.
 * Returns 0 and *len, or MB_EENV. */
int mb_lfile_load(int fd, void *buf, size_t cap, size_t *len);

/* Saves buf[0..len) as the whole file: written over it from offset 0, then
 * cut to len. Returns 0 or MB_EENV. */
int mb_lfile_save(int fd, const void *buf, size_t len);

/* Closes fd. */
void mb_lfile_close(int fd);

/* ---- footprint (the lazy and footprint suites) --------------------------- */

/* NULL where files can be read into fresh anonymous memory and mapped
 * read-only (mb_file_read_into, mb_region_map_readonly), else the reason
 * they cannot. */
const char *mb_file_views_unsupported(void);

/* NULL where the commit charge can be read, else the reason it cannot. */
const char *mb_commit_unsupported(void);

/* The system's commit charge in bytes into *bytes: the memory promised to
 * every process that swap or RAM may have to back (Linux: Committed_AS of
 * /proc/meminfo; system-wide, so other processes move it too). Returns 0, or
 * MB_EUNSUPPORTED with the reason. */
int mb_commit_charge(uint64_t *bytes);

/* Maps `len` bytes of the file at `path` from offset 0, private and
 * read-only (PROT_READ, MAP_PRIVATE: no commit charge, unlike a writable
 * private mapping), touching nothing. Returns 0, MB_EENV or MB_EUNSUPPORTED;
 * *r is zeroed on failure; mb_region_unmap() releases it. */
int mb_region_map_readonly(struct mb_region *r, const char *path, size_t len);

/* Reads the first `len` bytes of the file at `path` into buf (open, read
 * until done, close: what a program that loads a file at start-up does).
 * Returns 0, or MB_EENV when the file cannot be read or is shorter. */
int mb_file_read_into(const char *path, uint8_t *buf, size_t len);

/* ---- flush files (the flush suite) ---------------------------------------- */

/* A file opened for the flush suite: `fd` is what the view maps and what
 * close ends; `fd2` stays open so that the data can be made durable after
 * the view and `fd` are gone. A closed descriptor is -1. */
struct mb_flush_file {
    intptr_t fd, fd2;
    uint8_t *view;              /* MAP_SHARED read-write view of `len` bytes, or NULL */
    size_t len;
};

/* NULL where the flush suite can run, else the reason it cannot. */
const char *mb_flush_unsupported(void);

/* Opens `path` (an existing file of at least `len` bytes) twice, read-write,
 * mapping nothing. Returns 0 or MB_EENV; *f is closed on failure. */
int mb_flush_open(struct mb_flush_file *f, const char *path, size_t len);

/* Maps the file's first f->len bytes shared, read-write. Returns 0 or MB_EENV. */
int mb_flush_map(struct mb_flush_file *f);

/* Writes the view's dirty pages in [off, off + len) back: wait (MS_SYNC)
 * or only schedule (MS_ASYNC). Returns 0 or MB_EENV. */
int mb_flush_msync(const struct mb_flush_file *f, size_t off, size_t len, bool wait);

/* Unmaps the view (munmap). Returns 0 or MB_EENV; the view is forgotten either way. */
int mb_flush_unmap(struct mb_flush_file *f);

/* Closes `fd`, the descriptor the view was mapped from. Returns 0 or MB_EENV. */
int mb_flush_close_fd(struct mb_flush_file *f);

/* Makes the file's data durable through `fd2` (fdatasync). Returns 0 or MB_EENV. */
int mb_flush_datasync(const struct mb_flush_file *f);

/* Writes `len` bytes of `buf` at `off` through `fd2` (pwrite, looped until
 * done). Returns 0 or MB_EENV. */
int mb_flush_pwrite(const struct mb_flush_file *f, const void *buf, size_t len, uint64_t off);

/* Unmaps and closes whatever is still open; safe on a closed file. */
void mb_flush_close(struct mb_flush_file *f);

/* Pages of the file at `path` that are dirty and under writeback in the
 * page cache (cachestat). Returns 0, MB_EENV or MB_EUNSUPPORTED. */
int mb_flush_file_dirty(const char *path, uint64_t *dirty, uint64_t *writeback);

/* The machine's dirty and writeback memory in pages of mb_page_size()
 * (/proc/meminfo Dirty, Writeback). Returns 0, MB_EENV or MB_EUNSUPPORTED. */
int mb_flush_meminfo(uint64_t *dirty, uint64_t *writeback);

/* True when the file at `path` can be read with O_DIRECT (around the page
 * cache); false when the filesystem refuses it. */
bool mb_flush_direct_ok(const char *path);

/* Reads `len` bytes at `off` (both page multiples) of `path` into `dst`:
 * with O_DIRECT when `direct`, else with plain reads (the caller evicted
 * the range first). Returns 0 or MB_EENV. */
int mb_flush_read_back(const char *path, uint64_t off, size_t len, uint8_t *dst, bool direct);

/* 0 when data under `dir` can be made durable; MB_EUNSUPPORTED with the
 * reason when `dir` is on a memory filesystem (tmpfs, ramfs). */
int mb_flush_durable_fs(const char *dir);
/* ---- file access (the sweep suite) ---------------------------------------- */

/* How a file is read: read(2) from the file position, pread(2), stdio
 * fread, or pread(2) on an O_DIRECT descriptor (around the page cache; the
 * buffer, offset and length must be aligned to the logical block size). */
enum mb_io_kind { MB_IO_READ, MB_IO_PREAD, MB_IO_FREAD, MB_IO_DIRECT };

/* An open file of one kind; the position is tracked so that read(2) and
 * fread seek only when the next offset is not the current one. */
struct mb_file_io {
    int fd;
    void *fp;
    enum mb_io_kind kind;
    uint64_t pos;
};

/* NULL where these functions work, else the reason they cannot. */
const char *mb_file_io_unsupported(void);

/* Opens `path` for reading by `kind`. Returns 0, MB_EENV, or
 * MB_EUNSUPPORTED with the reason (the filesystem refuses O_DIRECT). */
int mb_file_io_open(struct mb_file_io *io, const char *path, enum mb_io_kind kind);

/* Reads exactly `len` bytes at file offset `off` into dst (seeking when
 * needed). Returns 0, MB_EENV (error or end of file) or MB_EUNSUPPORTED. */
int mb_file_io_read(struct mb_file_io *io, uint64_t off, void *dst, size_t len);

/* Closes what mb_file_io_open opened; safe after a failed open. */
void mb_file_io_close(struct mb_file_io *io);

/* What a read-only mapping is told before it is touched. */
enum mb_map_hint {
    MB_MAP_NORMAL,              /* no advice: the kernel's default readahead */
    MB_MAP_SEQUENTIAL,          /* MADV_SEQUENTIAL */
    MB_MAP_RANDOM,              /* MADV_RANDOM: no readahead */
    MB_MAP_WILLNEED,            /* MADV_WILLNEED: read the whole range ahead */
    MB_MAP_POPULATE             /* MAP_POPULATE: every page mapped by mmap itself */
};

/* Maps the first `len` bytes of `path` read-only and shared, with hint h
 * (mb_region_unmap undoes it). Returns 0, MB_EENV or MB_EUNSUPPORTED. */
int mb_file_map(struct mb_region *r, const char *path, size_t len, enum mb_map_hint h);

/* `len` bytes aligned to `align` (a power of two), freed by
 * mb_aligned_free; NULL when out of memory. */
void *mb_aligned_alloc(size_t align, size_t len);
void mb_aligned_free(void *p);

/* ---- io_uring reads (the sweep suite) -------------------------------------- */

#define MB_URING_MAX_DEPTH 256

/* A ring of `depth` entries, kept for a case's lifetime. */
struct mb_uring {
    void *ring;
    unsigned depth;
};

/* One whole-file pass: n block reads of `block` bytes (the last one cut at
 * `size`) at order[i] * block (i * block when order is NULL), at most the
 * ring's depth in flight. Unit i is read into bufs + (i % (2 * half)) *
 * block (bufs: 2 * half blocks, page-aligned; half >= the depth), so that
 * each half of bufs fills while the other is checked: check(arg, first,
 * count) sees units first .. first + count - 1, all complete, before their
 * buffers are read into again, and the last ones at the end of the pass. */
struct mb_uring_pass {
    const char *path;
    bool direct;                /* O_DIRECT: around the page cache */
    uint64_t size;
    size_t block, n, half;
    const uint32_t *order;
    uint8_t *bufs;
    void (*check)(void *arg, size_t first, size_t count);
    void *arg;
};

/* NULL where io_uring can be built in, else why not (no liburing, not
 * Linux); the kernel's own refusal shows at mb_uring_init. */
const char *mb_uring_unsupported(void);

/* Makes a ring of `depth` (<= MB_URING_MAX_DEPTH) entries. Returns 0,
 * MB_ENOMEM, or MB_EUNSUPPORTED with the reason (kernel, seccomp,
 * kernel.io_uring_disabled, no liburing). */
int mb_uring_init(struct mb_uring *u, unsigned depth);

/* Frees the ring; safe on a zeroed one. */
void mb_uring_exit(struct mb_uring *u);

/* Opens ps->path, runs the pass, closes it. Returns 0, MB_EENV (an error or
 * a short read) or MB_EUNSUPPORTED (O_DIRECT refused). */
int mb_uring_read_file(struct mb_uring *u, const struct mb_uring_pass *ps);

#endif
