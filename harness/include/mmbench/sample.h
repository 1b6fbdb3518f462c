/* One measured repetition of one case, and the table of its fields. */
#ifndef MMBENCH_SAMPLE_H
#define MMBENCH_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

/* The numeric fields of a sample, in output order. Every reporter walks this
 * list, so a new counter is added here and in mb_fields[] only. */
enum mb_field {
    MB_F_WALL,            /* wall_ns: elapsed time of the timed region */
    MB_F_CPU,             /* cpu_ns: CPU time (user + kernel) of the timed region */
    MB_F_USER,            /* user_ns */
    MB_F_SYS,             /* sys_ns */
    MB_F_OS_CALLS,        /* os_calls: read-type calls into the kernel */
    MB_F_STORAGE_BYTES,   /* storage_bytes: bytes that came from storage */
    MB_F_STORAGE_OPS,     /* storage_ops: block input operations */
    MB_F_DEVICE_READS,    /* device_reads: read requests the block device completed */
    MB_F_MAJOR,           /* major_faults */
    MB_F_MINOR,           /* minor_faults */
    MB_F_COUNT
};

struct mb_field_info {
    const char *name;     /* CSV column / JSON counter name */
    const char *help;     /* one line for the README and --help */
};

/* Names of the fields, indexed by enum mb_field. */
extern const struct mb_field_info mb_fields[MB_F_COUNT];

/* Values are per pass: a warm repetition may run the workload `passes` times
 * to last long enough to time (as Google Benchmark's iterations do), and every
 * figure is divided by that count. A cold repetition always has passes == 1. */
struct mb_sample {
    unsigned rep;             /* 0-based index among the measured repetitions */
    uint64_t passes;
    double v[MB_F_COUNT];     /* per-pass values */
    unsigned valid;           /* bit (1u << field) set when v[field] is known */
    int64_t resident_before;  /* file pages resident before the timed region; -1 unknown */
    int64_t file_pages;       /* pages in the file; -1 unknown */
    bool cache_ok;            /* the requested cache state was verified */
    bool checksum_ok;         /* every delivered byte matched the file */
};

/* True if field `f` of `s` holds a measured value. */
static inline bool mb_sample_has(const struct mb_sample *s, enum mb_field f)
{
    return (s->valid >> f) & 1u;
}

#endif
