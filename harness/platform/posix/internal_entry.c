/* POSIX helpers are forked, never started from the executable again. */
#include "mmbench/internal_entry.h"

bool mb_internal_entry(int argc, char **argv, int *code)
{
    (void)argc, (void)argv, (void)code;
    return false;
}
