/* A workload: the file the cases of a suite read, the records to read in
 * order, the bytes a pass must deliver, and the buffer passes deliver into.
 * Methods never see how it was built. */
#ifndef MMBENCH_WORKLOAD_H
#define MMBENCH_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

enum mb_access { MB_ACCESS_SEQUENTIAL, MB_ACCESS_RANDOM };

struct mb_workload {
    char *path;               /* scratch file (owned; removed by mb_workload_free) */
    uint64_t file_size;       /* bytes */
    size_t record_size;       /* bytes per record */
    size_t nrecords;
    enum mb_access access;
    uint64_t seed;            /* permutation seed (random access) */
    uint64_t *offsets;        /* nrecords file offsets, in the order they are read */
    size_t pass_bytes;        /* nrecords * record_size: what one pass delivers */
    uint8_t *expected;        /* those bytes, in that order: what every pass must deliver */
    /* The delivery buffer shared by the workload's cases (they never run at
     * once): `slots` slots of pass_bytes, `slot_stride` apart, so a batch of
     * passes can be verified after its timed region. Made by
     * mb_workload_arena(); slot i is at mb_workload_slot(w, i). */
    uint8_t *arena;
    size_t slots, slot_stride;
    void *arena_mem;          /* what was allocated (arena lies inside it) */
};

/* The address of delivery slot i of w. */
static inline uint8_t *mb_workload_slot(const struct mb_workload *w, size_t i)
{
    return w->arena + i * w->slot_stride;
}

/* Bytes of delivery buffer a workload keeps at most (at least one slot). */
#define MB_ARENA_BYTES (256u << 10)

/* Makes w's delivery buffer if it has none: as many slots as fit in
 * MB_ARENA_BYTES (at least one), zeroed and touched so that no pass pays
 * its first page faults. Each slot starts half a page past a page boundary:
 * copied from page-aligned sources (a mapping, the floor's heap copy), a
 * record's store then never lands 4 KiB away from a load in flight, which
 * the CPU mistakes for a dependency (4K aliasing) and which made the same
 * pass up to 18% slower or not, depending on where the buffer happened to
 * be. Returns 0 or MB_ENOMEM. */
int mb_workload_arena(struct mb_workload *w);

/* Deterministic file content: byte i of every mmbench data file. A pure
 * function so that any reader can verify any slice without a copy. */
uint8_t mb_content_byte(uint64_t off);

/* Fills dst[0..n) with the content of file bytes [off, off+n). */
void mb_content_fill(uint8_t *dst, uint64_t off, size_t n);

/* FNV-1a over `n` bytes continuing from `h` (start with MB_CHECKSUM_INIT). */
#define MB_CHECKSUM_INIT 14695981039346656037ull
uint64_t mb_checksum(uint64_t h, const void *buf, size_t n);

/* Builds a workload of `nrecords` x `record_size` bytes read in `access` order
 * (random = a Fisher-Yates permutation of the records from `seed`): creates
 * the scratch file in `dir` and the bytes a pass must deliver. Returns 0,
 * MB_EUSAGE (bad dir), MB_EENV or MB_ENOMEM; on failure *w is left empty. */
int mb_workload_create(struct mb_workload *w, const char *dir, const char *tag,
                       size_t nrecords, size_t record_size, enum mb_access access,
                       uint64_t seed);

/* Removes the scratch file and frees what mb_workload_create() allocated.
 * Safe on a zeroed or already freed workload. */
void mb_workload_free(struct mb_workload *w);

/* Returns a 64-bit pseudo-random value and advances *state (splitmix64). */
uint64_t mb_rand_next(uint64_t *state);

#endif
