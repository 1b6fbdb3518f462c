/* The processes mmbench.exe starts from itself: the share suite's peer,
 * and a suite's workers, whose hooks are found through the suite named on
 * their command line. */
#include <stdio.h>
#include <string.h>

#include "mmbench/internal_entry.h"
#include "mmbench/suite.h"
#include "share_w32.h"

bool mb_internal_entry(int argc, char **argv, int *code)
{
    if (argc >= 2 && strcmp(argv[1], MB_INTERNAL_PEER_ARG) == 0) {
        *code = mb_w32_peer_main(argc - 2, argv + 2);
        return true;
    }
    if (argc < 2 || strcmp(argv[1], MB_INTERNAL_WORKER_ARG) != 0)
        return false;
    const struct mb_suite *s = argc >= 3 ? mb_suite_find(argv[2]) : NULL;
    if (!s || !s->worker) {
        fprintf(stderr, "mmbench: %s is mmbench's own, not a command\n", MB_INTERNAL_WORKER_ARG);
        *code = 2;
        return true;
    }
    *code = mb_w32_worker_main(s->worker, argc - 3, argv + 3);
    return true;
}
