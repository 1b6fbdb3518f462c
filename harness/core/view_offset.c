/* The view offset rule (claim C10), written once for both platforms: a view
 * of a file starts on a multiple of the allocation granularity. Windows
 * refuses anything else (ERROR_MAPPED_ALIGNMENT), mmap refuses an offset
 * that is not a page multiple (EINVAL); mmbench refuses it before asking,
 * with the figures, and never rounds it silently. */
#include "mmbench/cow.h"
#include "mmbench/error.h"
#include "mmbench/platform.h"

int mb_view_offset_check(uint64_t offset)
{
    uint64_t gran = mb_alloc_granularity();
    if (gran == 0 || offset % gran == 0)
        return 0;
    unsigned long long below = (unsigned long long)(offset - offset % gran);
    return mb_fail(MB_EUSAGE,
                   "view offset %llu is not a multiple of the allocation granularity (%llu "
                   "bytes) of this system, whose page size is %zu bytes: a view must start at a "
                   "multiple of it, and mmbench does not round; the nearest valid offsets are "
                   "%llu and %llu",
                   (unsigned long long)offset, (unsigned long long)gran, mb_page_size(), below,
                   below + (unsigned long long)gran);
}
