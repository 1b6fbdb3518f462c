/* The processes mmbench.exe starts from itself: the share suite's peer. */
#include <string.h>

#include "mmbench/internal_entry.h"
#include "share_w32.h"

bool mb_internal_entry(int argc, char **argv, int *code)
{
    if (argc < 2 || strcmp(argv[1], MB_INTERNAL_PEER_ARG) != 0)
        return false;
    *code = mb_w32_peer_main(argc - 2, argv + 2);
    return true;
}
