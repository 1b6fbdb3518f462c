/* `mmbench cache-evict FILE...`: evicts each file's pages from the page
 * cache (the runner's cold-cache step, mb_cache_evict) and checks with
 * mincore that none is left. The startup suite hands it to hyperfine as
 * --prepare, so that each start hyperfine times is cold, checked. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"

/* A page under read I/O cannot be dropped: the readahead a program that
 * just ended started may still be in flight. So the check is retried, for
 * up to about 100 ms, before pages left resident are reported. */
static int evict_one(const char *path)
{
    enum { TRIES = 20 };
    uint64_t res = 0, total = 0;
    for (int i = 0; i < TRIES; i++) {
        if (i)
            mb_sleep_ns(5000000);
        int rc = mb_cache_evict(path);
        rc = rc ? rc : mb_cache_resident(path, &res, &total);
        if (rc) {
            fprintf(stderr, "mmbench cache-evict: %s\n", mb_last_error());
            return MB_EXIT_FAIL;
        }
        if (res == 0)
            return MB_EXIT_OK;
    }
    fprintf(stderr, "mmbench cache-evict: %llu of %llu pages of %s are still resident\n",
            (unsigned long long)res, (unsigned long long)total, path);
    return MB_EXIT_FAIL;
}

int mb_cmd_cache_evict(int argc, char **argv)
{
    if (argc < 1 || argv[0][0] == '-') {
        fprintf(stderr, "usage: mmbench cache-evict FILE...  (evicts each file's pages from "
                "the page cache and checks that none is left: exit 0, else 1)\n");
        bool help = argc >= 1 && (!strcmp(argv[0], "-h") || !strcmp(argv[0], "--help"));
        return help ? MB_EXIT_OK : MB_EXIT_USAGE;
    }
    int rc = MB_EXIT_OK;
    for (int i = 0; i < argc; i++)
        if (evict_one(argv[i]) != MB_EXIT_OK)
            rc = MB_EXIT_FAIL;
    return rc;
}
