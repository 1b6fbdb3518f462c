/* A test-only suite, "widgets", built the way a real suite is (a struct
 * mb_suite whose build() fills a plan) but living in tests/unit/: two cases
 * with different parameter keys, each pass split into the phases "fill"
 * and "drop", and a custom counter "widgets". The pass is deterministic
 * work (memset a heap buffer, then check and clear it) that adds
 * WIDGETS_PER_PASS to its metric. */
#ifndef MB_WIDGETS_SUITE_H
#define MB_WIDGETS_SUITE_H

#include "mmbench/suite.h"

#define WIDGETS_PER_PASS 7
#define WIDGETS_BYTES 65536

/* What a case's hooks saw, for the tests to check. */
struct widgets_data {
    size_t len;
    unsigned char *buf;
    unsigned char fill;
    bool bad;                   /* the last pass found a byte it did not write */
    unsigned long setups, passes, verifies, teardowns;
};

extern const struct mb_suite tu_suite_widgets;

/* Its cases: 0 is "widgets/size_bytes:65536" (parameter size_bytes), 1 is
 * "widgets/shape:square" (parameter shape). */
#define WIDGETS_CASE_A "widgets/size_bytes:65536"
#define WIDGETS_CASE_B "widgets/shape:square"

#endif
