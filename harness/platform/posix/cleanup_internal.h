/* Shared by cleanup.c and files.c only: not part of the platform API. */
#ifndef MMBENCH_POSIX_CLEANUP_INTERNAL_H
#define MMBENCH_POSIX_CLEANUP_INTERNAL_H

#include <stdbool.h>

/* True if `path` is registered for removal, so that mb_scratch_remove()
 * deletes only files mmbench created. */
bool mb_cleanup_known(const char *path);

#endif
