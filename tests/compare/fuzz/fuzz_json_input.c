/* Fuzz target for the comparison's JSON reader (libFuzzer entry point; the
 * same file links with replay_main.c for a plain corpus replay under gcc).
 * The reader faces files from any tool and any version, so no input may
 * crash it, leak, or make the rest of the engine misbehave: every accepted
 * input also goes through the full comparison and all three outputs. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmbench/compare.h"
#include "mmbench/error.h"

static FILE *sink(void)
{
    static FILE *devnull;
    if (!devnull)
        devnull = fopen("/dev/null", "w");
    return devnull;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first byte picks the metric, so counters and times both get fuzzed. */
    static const char *const metrics[] = {"real_time", "cpu_time", "os_calls", "iterations"};
    const char *metric = metrics[size ? data[0] % 4 : 0];
    char err[256];
    struct mb_cmp_set base, head;
    mb_cmp_set_init(&base);
    mb_cmp_set_init(&head);
    int rc = mb_cmp_parse(&base, (const char *)data, size, "fuzz", metric, err, sizeof err);
    /* The same document twice as head merges rounds; twice as base too (bit
     * 2 of the first byte) makes the rounds paired, else unpaired. */
    if (!rc && size && (data[0] & 4))
        rc = mb_cmp_parse(&base, (const char *)data, size, "fuzz", metric, err, sizeof err);
    if (!rc)
        rc = mb_cmp_parse(&head, (const char *)data, size, "fuzz", metric, err, sizeof err);
    if (!rc)
        rc = mb_cmp_parse(&head, (const char *)data, size, "fuzz", metric, err, sizeof err);
    if (!rc) {
        struct mb_cmp_opts o;
        struct mb_cmp_report r;
        mb_cmp_opts_default(&o);
        o.metric = metric;
        o.resamples = 32; /* the statistics' cost is not what is fuzzed */
        if (mb_cmp_compare(&base, &head, &o, &r) == 0) {
            FILE *out = sink();
            if (out) {
                mb_cmp_print_table(out, &r);
                mb_cmp_print_markdown(out, &r);
                mb_cmp_print_json(out, &r);
            }
            mb_cmp_report_free(&r);
        }
    }
    mb_cmp_set_free(&base);
    mb_cmp_set_free(&head);
    return 0;
}
