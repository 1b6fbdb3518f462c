/* The share suite's messages, the same on every platform: message `seq`
 * is its sequence number, then 64-bit words derived from it, so that the
 * receiver can check every byte without a copy of what was sent. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static uint64_t msg_word(uint64_t seq, size_t i)
{
    return i == 0 ? seq : seq * 0x9E3779B97F4A7C15ull ^ (uint64_t)i * 0xBF58476D1CE4E5B9ull;
}

void mb_share_msg_fill(uint8_t *buf, size_t len, uint64_t seq)
{
    size_t words = len / 8;
    for (size_t i = 0; i < words; i++) {
        uint64_t w = msg_word(seq, i);
        memcpy(buf + 8 * i, &w, 8);
    }
    for (size_t k = words * 8; k < len; k++)
        buf[k] = (uint8_t)(seq + k);
}

int mb_share_msg_check(const uint8_t *buf, size_t len, uint64_t seq, size_t *bad_off)
{
    size_t words = len / 8;
    for (size_t i = 0; i < words; i++) {
        uint64_t w;
        memcpy(&w, buf + 8 * i, 8);
        if (w != msg_word(seq, i)) {
            uint64_t want = msg_word(seq, i);
            size_t b = 0;
            while (((const uint8_t *)&w)[b] == ((const uint8_t *)&want)[b])
                b++;
            *bad_off = 8 * i + b;
            return MB_EVERIFY;
        }
    }
    for (size_t k = words * 8; k < len; k++)
        if (buf[k] != (uint8_t)(seq + k)) {
            *bad_off = k;
            return MB_EVERIFY;
        }
    return 0;
}

int mb_share_reply_check(uint64_t ack, uint64_t bad_off, uint64_t seq)
{
    if (ack != seq)
        return mb_fail(MB_EVERIFY, "the reply names message %llu, not %llu",
                       (unsigned long long)ack, (unsigned long long)seq);
    if (bad_off != MB_SHARE_MSG_OK)
        return mb_fail(MB_EVERIFY, "the child found message %llu wrong at byte %llu",
                       (unsigned long long)seq, (unsigned long long)bad_off);
    return 0;
}
