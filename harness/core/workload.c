/* Workloads: deterministic file content, the read order and its checksum. */
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/workload.h"

uint8_t mb_content_byte(uint64_t off)
{
    /* A multiplicative hash of the offset: every byte differs from its
     * neighbours and from the same byte one page away, so a method that reads
     * the wrong offset, page or record cannot produce the right checksum. */
    uint64_t x = (off + 1) * 0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    return (uint8_t)(x >> 23);
}

void mb_content_fill(uint8_t *dst, uint64_t off, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = mb_content_byte(off + i);
}

uint64_t mb_checksum(uint64_t h, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t mb_rand_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int mb_workload_create(struct mb_workload *w, const char *dir, const char *tag,
                       size_t nrecords, size_t record_size, enum mb_access access,
                       uint64_t seed)
{
    memset(w, 0, sizeof *w);
    if (nrecords == 0 || record_size == 0)
        return mb_fail(MB_EUSAGE, "a workload needs at least one record of at least one byte");
    w->record_size = record_size;
    w->nrecords = nrecords;
    w->access = access;
    w->seed = seed;
    w->file_size = (uint64_t)nrecords * record_size;
    w->offsets = malloc(nrecords * sizeof *w->offsets);
    if (!w->offsets)
        return mb_fail(MB_ENOMEM, "out of memory for %zu record offsets", nrecords);
    for (size_t i = 0; i < nrecords; i++)
        w->offsets[i] = (uint64_t)i * record_size;
    if (access == MB_ACCESS_RANDOM) {
        uint64_t st = seed;
        for (size_t i = nrecords - 1; i > 0; i--) {
            size_t j = (size_t)(mb_rand_next(&st) % (i + 1));
            uint64_t t = w->offsets[i];
            w->offsets[i] = w->offsets[j];
            w->offsets[j] = t;
        }
    }
    /* The expected bytes follow the records in read order, so a method that
     * returns the right bytes in the wrong order fails too. */
    w->pass_bytes = nrecords * record_size;
    w->expected = malloc(w->pass_bytes);
    if (!w->expected) {
        mb_workload_free(w);
        return mb_fail(MB_ENOMEM, "out of memory for %zu bytes of records", w->pass_bytes);
    }
    for (size_t i = 0; i < nrecords; i++)
        mb_content_fill(w->expected + i * record_size, w->offsets[i], record_size);

    int rc = mb_scratch_create(dir, tag, w->file_size, mb_content_fill, &w->path);
    if (rc) {
        mb_workload_free(w);
        return rc;
    }
    return 0;
}

void mb_workload_free(struct mb_workload *w)
{
    if (w->path) {
        mb_scratch_remove(w->path);
        free(w->path);
    }
    free(w->offsets);
    free(w->expected);
    free(w->arena_mem);
    memset(w, 0, sizeof *w);
}

int mb_workload_arena(struct mb_workload *w)
{
    enum { PAGE = 4096 };
    if (w->arena)
        return 0;
    w->slot_stride = (w->pass_bytes + PAGE - 1) / PAGE * PAGE;
    size_t slots = MB_ARENA_BYTES / w->slot_stride;
    w->slots = slots ? slots : 1;
    size_t bytes = w->slots * w->slot_stride + 2 * PAGE;
    /* calloc'd memory may be untouched zero pages; writing it makes it
     * resident before any timed pass. */
    w->arena_mem = calloc(1, bytes);
    if (!w->arena_mem)
        return mb_fail(MB_ENOMEM, "out of memory for %zu x %zu bytes of delivery buffer",
                       w->slots, w->pass_bytes);
    uintptr_t base = ((uintptr_t)w->arena_mem + PAGE - 1) / PAGE * PAGE + PAGE / 2;
    w->arena = (uint8_t *)base;
    for (size_t i = 0; i < bytes; i += PAGE)
        ((volatile uint8_t *)w->arena_mem)[i] = 0;
    return 0;
}
