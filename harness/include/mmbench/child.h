/* Child processes that run other programs: started with fork + exec
 * (CreateProcess on Windows), their output collected, their resource usage
 * and I/O read before they are reaped, their memory read while they run. */
#ifndef MMBENCH_CHILD_H
#define MMBENCH_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A started child. Every child of this process runs in one process group
 * (the first child's; a job object on Windows) that a terminating signal
 * of this process kills and reaps before the scratch files go, and it dies
 * with its parent. */
struct mb_child {
    long pid;                   /* 0 when none */
    int out_fd;                 /* read end of its stdout and stderr, or -1 */
    int in_fd;                  /* write end of its stdin while held, or -1 */
    uint64_t start_ns;          /* mb_now_ns() right before the fork */
    void *process, *out, *in;   /* Windows: its handle and its pipes' ends; else NULL */
};

/* What one child cost, read before it was reaped. A figure the platform
 * cannot give is < 0 (on Windows: major faults, inblock, read_bytes and
 * maxrss; under Wine every figure but the time and the exit). */
struct mb_child_usage {
    uint64_t wall_ns;           /* fork to the exit being seen */
    double user_ns, sys_ns;     /* rusage */
    double major_faults, minor_faults;
    double inblock;             /* ru_inblock (512-byte units on Linux) */
    double maxrss_bytes;
    double read_bytes;          /* /proc/PID/io read_bytes: what came from storage */
    double read_calls;          /* /proc/PID/io syscr */
    int exit_code;              /* 0..255, or -1 when it died of `signal` */
    int signal;
};

/* How a running child's memory is shared (/proc/PID/smaps_rollup), bytes. */
struct mb_child_memory {
    double rss, pss, shared_clean, private_bytes; /* private: Private_Clean + Private_Dirty */
};

/* NULL where children can be started and measured this way, else why not
 * (static text). */
const char *mb_child_unsupported(void);

/* Finds executable `name` in PATH (or takes it as a path when it holds a
 * '/') and writes its path into buf. Returns 0, 1 when there is none, or
 * MB_EUNSUPPORTED. */
int mb_program_find(const char *name, char *buf, size_t len);

/* Starts argv[0] (a path) with argv. `input` (NULL for none) is written to
 * its stdin, which is then closed, unless `hold`: then stdin stays open
 * until mb_child_release() and the child is expected to wait for its end.
 * `keep_fd` (>= 0) stays open in the child under the same number (a file
 * it writes through /proc/self/fd/N). Returns 0, MB_EENV or
 * MB_EUNSUPPORTED; on failure nothing is left running. */
int mb_child_start(struct mb_child *ch, char *const argv[], const char *input, bool hold,
                   int keep_fd);

/* Opens the existing file `path` for writing into *fd, for a child that
 * writes it through /proc/self/fd/N (keep_fd of mb_child_start). Returns 0,
 * MB_EENV or MB_EUNSUPPORTED. */
int mb_child_out_open(const char *path, int *fd);

/* Closes what mb_child_out_open() opened and, when `executable`, lets the
 * file's owner execute it. Returns 0 or MB_EENV. */
int mb_child_out_close(int fd, const char *path, bool executable);

/* Reads the child's output into buf (NUL-terminated, cut to len - 1) up to
 * its first newline. Returns 0, or MB_EENV when it ends or fails first. */
int mb_child_read_line(struct mb_child *ch, char *buf, size_t len);

/* Closes a held child's stdin, so that it ends. */
void mb_child_release(struct mb_child *ch);

/* Reads the child's remaining output into out (NUL-terminated, cut to
 * outlen - 1; out may be NULL), waits for it to exit, reads its I/O
 * counters, then reaps it and fills *u. Returns 0 (the exit code or signal
 * is in *u) or MB_EENV; the child is reaped and *ch cleared either way. */
int mb_child_finish(struct mb_child *ch, struct mb_child_usage *u, char *out, size_t outlen);

/* Kills and reaps the child; a cleared or finished child is a no-op. */
void mb_child_kill(struct mb_child *ch);

/* Reads how the running child's memory is shared. Returns 0, MB_EENV or
 * MB_EUNSUPPORTED. */
int mb_child_memory_read(const struct mb_child *ch, struct mb_child_memory *m);

#endif
