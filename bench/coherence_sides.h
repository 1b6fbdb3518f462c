/* The two sides of a coherence pass (bench/coherence.c): a writer that puts
 * N records at seeded random offsets of a file, one at a time, and a reader
 * that spins on each record's place until it sees it, through another path
 * to the same file. Each side runs on its own thread or in its own process;
 * they share only a control block (struct coh_ctl) and the file. */
#ifndef MMBENCH_COHERENCE_SIDES_H
#define MMBENCH_COHERENCE_SIDES_H

#include <stddef.h>
#include <stdint.h>

#include "mmbench/coherence.h"

/* Bytes between record offsets: a record (24 bytes) never straddles a
 * page, and every word is aligned for single-copy atomic loads and stores. */
#define COH_SLOT 32
/* lat[] of a write the reader gave up on. */
#define COH_UNSEEN UINT64_MAX

/* Shared by the sides (memory from mb_shared_mem_create, so a side process
 * shares it too). Words are accessed with __atomic builtins. */
struct coh_ctl {
    uint64_t ready;             /* sides that have their path ready */
    uint64_t acked;             /* writes the reader is done with, seen or not */
    uint64_t stop;              /* set by a side that failed: the other gives up */
    uint64_t seen;              /* writes the reader saw, record intact */
    char why[192];              /* the failing side's message */
    uint64_t lat[];             /* per write: ns from the write's start until seen, or COH_UNSEEN */
};

/* Bytes of a control block for `writes` writes. */
size_t coh_ctl_bytes(size_t writes);

/* How a side reaches the file. */
enum coh_path {
    COH_VIEW,                   /* loads and stores through a shared view */
    COH_HANDLE                  /* pread / pwrite (ReadFile / WriteFile) through the handle */
};

/* What one side of one pass needs. */
struct coh_side {
    struct coh_ctl *ctl;
    struct mb_coh_file *file;   /* for COH_HANDLE */
    uint8_t *view;              /* for COH_VIEW */
    enum coh_path path;
    size_t file_bytes, writes;
    uint64_t seed;              /* of this pass's offsets: both sides derive the same */
    uint64_t deadline_ns;       /* the reader waits this long for one write */
    size_t skip;                /* a write (1..writes) the writer leaves out; 0: none */
};

/* File offset of write k (1-based) of a pass seeded `seed`. */
uint64_t coh_offset(uint64_t seed, uint64_t k, size_t file_bytes);

/* Records the first failure of a pass: sets ctl->stop, which the other
 * side polls, and ctl->why = `what`. Returns rc. The message travels
 * through ctl, not mb_last_error(), because a side may be a thread or a
 * process of its own (mb_fail's buffer serves one thread: two sides that
 * fail at once may garble it, ctl->why keeps the first). */
int coh_stop(struct coh_ctl *c, int rc, const char *what);

/* Makes every page of the side's view present (a read, or an atomic add of
 * 0 for the writer) so that first-touch faults stay out of the latencies,
 * then waits until both sides are ready. Returns 0 or MB_EENV (the other
 * side stopped). */
int coh_ready(const struct coh_side *s, int writer);

/* The writer: for k = 1..writes, waits until the reader is done with k-1,
 * takes the time and writes record k (time, check word, k; k last through
 * a view, with release order). Returns 0 or an MB_E* code, with ctl->stop
 * and ctl->why set on failure. */
int coh_write_side(const struct coh_side *s);

/* The reader: for k = 1..writes, spins on record k's place until it holds
 * k with a matching check word, and stores the time since the write began
 * in ctl->lat (COH_UNSEEN after the deadline), then acknowledges k. Returns
 * 0 or an MB_E* code, with ctl->stop and ctl->why set on failure. */
int coh_read_side(const struct coh_side *s);

#endif
