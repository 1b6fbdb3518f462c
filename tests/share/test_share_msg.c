/* The share suite's message check: a message reads back as written, and
 * one corrupted byte anywhere, or the message of another sequence number,
 * is found and named by its offset. Then every channel through the
 * platform API: round trips verified, and no child left once stopped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"

static void test_roundtrip(void **state)
{
    (void)state;
    static const size_t lens[] = {8, 24, 64, 4096, 1 << 20};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint8_t *buf = malloc(lens[i]);
        assert_non_null(buf);
        size_t bad = 12345;
        mb_share_msg_fill(buf, lens[i], 77 + i);
        assert_int_equal(mb_share_msg_check(buf, lens[i], 77 + i, &bad), 0);
        free(buf);
    }
}

static void test_corrupt_byte(void **state)
{
    (void)state;
    const size_t len = 4096;
    const size_t offs[] = {0, 1, 7, 8, 2049, len - 1};
    uint8_t *buf = malloc(len);
    assert_non_null(buf);
    for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
        size_t bad = 0;
        mb_share_msg_fill(buf, len, 5);
        buf[offs[i]] ^= 0x10;
        assert_int_equal(mb_share_msg_check(buf, len, 5, &bad), MB_EVERIFY);
        assert_int_equal(bad, offs[i]);
    }
    free(buf);
}

static void test_other_sequence(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t bad = 99;
    mb_share_msg_fill(buf, sizeof buf, 6);
    assert_int_equal(mb_share_msg_check(buf, sizeof buf, 7, &bad), MB_EVERIFY);
    assert_int_equal(bad, 0);
    /* A stale message with the right sequence number but old content. */
    mb_share_msg_fill(buf, sizeof buf, 6);
    uint64_t seq = 7;
    memcpy(buf, &seq, 8);
    assert_int_equal(mb_share_msg_check(buf, sizeof buf, 7, &bad), MB_EVERIFY);
    assert_true(bad >= 8);
}

static void run_peer(enum mb_share_how how, enum mb_share_channel ch, size_t len)
{
    struct mb_peer_config cfg = {.how = how, .channel = ch, .msg_bytes = len};
    struct mb_peer *p = NULL;
    int rc = mb_peer_start(&cfg, &p);
    if (rc == MB_EUNSUPPORTED) {
        print_message("skipped how=%d channel=%d: %s\n", (int)how, (int)ch, mb_last_error());
        assert_null(p);
        return;
    }
    assert_int_equal(rc, 0);
    uint64_t cpu0 = 0, cpu1 = 0;
    assert_int_equal(mb_peer_cpu_ns(p, &cpu0), 0);
    for (int i = 0; i < 50; i++)
        assert_int_equal(mb_peer_exchange(p), 0);
    assert_int_equal(mb_peer_cpu_ns(p, &cpu1), 0);
    assert_true(cpu1 > cpu0); /* the child checked 50 messages */
    mb_peer_stop(p);
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static void test_peers(void **state)
{
    (void)state;
    static const enum mb_share_channel mapped[] = {MB_CHANNEL_FUTEX, MB_CHANNEL_CONDVAR,
                                                   MB_CHANNEL_EVENTFD, MB_CHANNEL_PIPE_NOTIFY};
    static const enum mb_share_how hows[] = {MB_SHARE_NAME, MB_SHARE_INHERIT_ANON,
                                             MB_SHARE_SCM_RIGHTS, MB_SHARE_PIDFD_GETFD};
    for (size_t h = 0; h < sizeof hows / sizeof hows[0]; h++)
        for (size_t c = 0; c < sizeof mapped / sizeof mapped[0]; c++)
            run_peer(hows[h], mapped[c], 4096);
    run_peer(MB_SHARE_NONE, MB_CHANNEL_PIPE, 1 << 20);
    run_peer(MB_SHARE_NONE, MB_CHANNEL_SOCKET, 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_corrupt_byte),
        cmocka_unit_test(test_other_sequence),
        cmocka_unit_test(test_peers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
