/* Copies out of memory for the methods that read a mapping or a heap copy,
 * with the bounds check every record passes through. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/method.h"

int mb_span_out_of_range(uint64_t off, size_t len, size_t size)
{
    return mb_fail(MB_EVERIFY, "%zu bytes at offset %llu lie beyond the %zu-byte source", len,
                   (unsigned long long)off, size);
}

int mb_copy_records(uint8_t *dst, const uint8_t *src, size_t size, uint64_t extent,
                    const uint64_t *offs, size_t n, size_t len)
{
    if (extent > size)
        return mb_span_out_of_range(0, (size_t)extent, size);
    for (size_t i = 0; i < n; i++)
        memcpy(dst + i * len, src + offs[i], len);
    return 0;
}
