/* fread: the C runtime's buffered stream, as the article's fread example.
 * fread-nobuf is the same with setvbuf(_IONBF), so every record costs at
 * least one OS call: the article's "1,000 I/O operations". */
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>

#include "mmbench/error.h"
#include "mmbench/method.h"
#include "mmbench/platform.h"

struct stream {
    FILE *f;
    uint64_t pos;   /* where the stream stands, to skip needless fseek calls */
};

static int open_stream(struct mb_target *t, int unbuffered)
{
    struct stream *s = calloc(1, sizeof *s);
    if (!s)
        return mb_fail(MB_ENOMEM, "out of memory");
    s->f = fopen(t->path, "rb");
    if (!s->f) {
        free(s);
        return mb_fail(MB_EENV, "fopen %s failed", t->path);
    }
    if (unbuffered && setvbuf(s->f, NULL, _IONBF, 0) != 0) {
        fclose(s->f);
        free(s);
        return mb_fail(MB_EENV, "setvbuf(_IONBF) failed");
    }
    if (t->readahead_off) {
        int rc = mb_stdio_no_readahead(s->f);
        if (rc) {
            fclose(s->f);
            free(s);
            return rc;
        }
    }
    t->priv = s;
    return 0;
}

static int fread_open(struct mb_target *t)
{
    return open_stream(t, 0);
}

static int fread_nobuf_open(struct mb_target *t)
{
    return open_stream(t, 1);
}

static int fread_access(struct mb_target *t, uint64_t off, size_t len, void *dst)
{
    struct stream *s = t->priv;
    /* Sequential records need no seek; random ones seek as a program would. */
    if (s->pos != off) {
        if (off > (uint64_t)LONG_MAX || fseek(s->f, (long)off, SEEK_SET) != 0)
            return mb_fail(MB_EENV, "fseek to %llu failed", (unsigned long long)off);
    }
    if (fread(dst, 1, len, s->f) != len)
        return mb_fail(MB_EENV, "short fread at offset %llu", (unsigned long long)off);
    s->pos = off + len;
    return 0;
}

static int fread_close(struct mb_target *t)
{
    struct stream *s = t->priv;
    int rc = 0;
    if (s) {
        if (fclose(s->f) != 0)
            rc = mb_fail(MB_EENV, "fclose failed");
        free(s);
        t->priv = NULL;
    }
    return rc;
}

const struct mb_method mb_method_fread = {
    .name = "fread",
    .help = "stdio fread with the default buffer (one fopen per pass; fseek only when not in order)",
    .flags = 0,
    .open = fread_open,
    .access = fread_access,
    .close = fread_close,
};

const struct mb_method mb_method_fread_nobuf = {
    .name = "fread-nobuf",
    .help = "stdio fread with setvbuf(_IONBF): one OS read per record",
    .flags = 0,
    .open = fread_nobuf_open,
    .access = fread_access,
    .close = fread_close,
};
