/* Two processes sharing a mapping (the share suite): the Win32 twins
 * (named CreateFileMapping, an inherited handle, DuplicateHandle; events
 * and semaphores) are not written yet, so each function says so. */
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static const char why[] = "the share suite's Win32 twins (named or inherited file mappings, "
                          "DuplicateHandle, events) are not written yet: it forks POSIX children";

const char *mb_share_unsupported(void)
{
    return why;
}

size_t mb_peer_region_bytes(size_t msg_bytes)
{
    return msg_bytes;
}

int mb_peer_start(const struct mb_peer_config *cfg, struct mb_peer **out)
{
    (void)cfg;
    *out = NULL;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_peer_exchange(struct mb_peer *p)
{
    (void)p;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

int mb_peer_cpu_ns(struct mb_peer *p, uint64_t *ns)
{
    (void)p;
    *ns = 0;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}

void mb_peer_stop(struct mb_peer *p)
{
    (void)p;
}

void mb_share_msg_fill(uint8_t *buf, size_t len, uint64_t seq)
{
    (void)seq;
    memset(buf, 0, len);
}

int mb_share_msg_check(const uint8_t *buf, size_t len, uint64_t seq, size_t *bad_off)
{
    (void)buf, (void)len, (void)seq;
    *bad_off = 0;
    return mb_fail(MB_EUNSUPPORTED, "%s", why);
}
