/* `mmbench compare`: placeholder until the regression gate lands (issue 3). */
#include <stdio.h>

#include "cli.h"

int mb_cmd_compare(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "mmbench compare: not built yet\n");
    return MB_EXIT_USAGE;
}
