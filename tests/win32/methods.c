/* The Win32 methods of the records suite, driven the way the runner drives
 * them, on records that cross sector and page boundaries, in and out of
 * order: every byte delivered must be the file's. ReadFile counts one call
 * per record. The cold ReadFile path (FILE_FLAG_NO_BUFFERING, aligned sector
 * reads into a bounce buffer) is driven directly through the uncached
 * reader, as Wine opens such files cached. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/method.h"
#include "w32test.h"

#define SIZE (300u * 1024u + 77u) /* not a multiple of any sector */

struct rec {
    uint64_t off;
    size_t len;
};

static const struct rec recs[] = {
    {0, 20}, {20, 20}, {4090, 20},             /* crosses a 4 KiB boundary */
    {8191, 2}, {100, 20},                      /* out of order: a seek */
    {65530, 100000},                           /* larger than the bounce buffer */
    {SIZE - 20, 20}, {SIZE - 1, 1},            /* the partial last sector */
    {512, 512},
};
#define NRECS (sizeof recs / sizeof recs[0])

static void run(const char *name, const char *path, bool cold)
{
    const struct mb_method *m = mb_method_find(name);
    if (!CHECK(m != NULL, "method %s is registered", name))
        return;
    struct mb_target t = {.path = path, .file_size = SIZE, .cold = cold, .readahead_off = cold};
    static uint8_t dst[100000];
    int rc = m->prepare ? m->prepare(&t) : 0;
    if (!CHECK(rc == 0, "%s%s: prepare (%s)", name, cold ? " cold" : "", rc ? mb_last_error() : "ok"))
        return;
    rc = m->open ? m->open(&t) : 0;
    bool opened = rc == 0, all = opened;
    if (!opened)
        printf("     open: %s\n", mb_last_error());
    for (size_t i = 0; all && i < NRECS; i++) {
        memset(dst, 0, recs[i].len);
        rc = m->access(&t, recs[i].off, recs[i].len, dst);
        all = rc == 0 && w32t_same(dst, recs[i].off, recs[i].len);
        if (!all)
            printf("     record %zu at %llu (%zu bytes): %s\n", i, (unsigned long long)recs[i].off,
                   recs[i].len, rc ? mb_last_error() : "wrong bytes");
    }
    int rc2 = opened && m->close ? m->close(&t) : 0;
    CHECK(all && rc2 == 0, "%s%s: %zu records at awkward offsets delivered the file's bytes", name,
          t.uncached ? " (uncached)" : cold ? " (cold case)" : "", NRECS);
    if (m->flags & MB_M_COUNTS_CALLS) {
        uint64_t want = strcmp(name, "MapViewOfFile") == 0 ? 0 : NRECS;
        CHECK(t.calls == want, "%s counts its own read calls: %llu (expected %llu)", name,
              (unsigned long long)t.calls, (unsigned long long)want);
    }
    if (cold)
        CHECK(t.uncached == (strcmp(name, "ReadFile") == 0),
              "%s %s that it reads around the cache", name, t.uncached ? "says" : "does not say");
    if (m->release)
        m->release(&t);
}

/* The uncached reader cold ReadFile uses, driven directly: Wine ignores
 * FILE_FLAG_NO_BUFFERING for caching but the aligned sector reads, the
 * bounce buffer and the copy out of it are the same code. */
static void check_uncached_reader(const char *path)
{
    HANDLE h;
    struct mb_w32_uncached u;
    if (!CHECK(mb_w32_open(path, MB_W32_OPEN_UNCACHED, &h) == 0, "uncached open: %s",
               mb_last_error()))
        return;
    bool all = mb_w32_uncached_init(path, &u) == 0;
    static uint8_t dst[100000];
    for (size_t i = 0; all && i < NRECS; i++) {
        memset(dst, 0, recs[i].len);
        all = mb_w32_uncached_read(&u, h, recs[i].off, recs[i].len, dst) == 0 &&
              w32t_same(dst, recs[i].off, recs[i].len);
        if (!all)
            printf("     record %zu at %llu: %s\n", i, (unsigned long long)recs[i].off,
                   mb_last_error());
    }
    CHECK(all && u.align % 512 == 0,
          "uncached reader: %zu records at awkward offsets, through aligned %zu-byte sectors", NRECS,
          u.align);
    mb_w32_uncached_free(&u);
    CloseHandle(h);
}

int main(void)
{
    char *path = w32t_file("methods", SIZE);
    if (!path)
        return w32t_finish("methods");
    const char *names[] = {"ReadFile", "fread", "MapViewOfFile", "floor"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        run(names[i], path, false);

    struct mb_target t = {.path = path, .file_size = SIZE, .cold = true};
    const struct mb_method *rf = mb_method_find("ReadFile");
    if (rf && rf->prepare(&t) == 0) {
        CHECK(t.uncached == mb_w32_uncached_reads_work(),
              "cold ReadFile reads uncached exactly where that bypasses the cache (%s: %s)",
              mb_w32_wine_version() ? "Wine" : "Windows", t.uncached ? "uncached" : "not uncached");
        rf->release(&t);
    }
    check_uncached_reader(path);

    char list[256];
    mb_method_names(list, sizeof list);
    CHECK(strcmp(list, "ReadFile, fread, MapViewOfFile, floor") == 0, "the Win32 methods: %s", list);
    mb_scratch_remove(path);
    free(path);
    return w32t_finish("methods");
}
