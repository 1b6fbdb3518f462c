/* Fuzz target for `mmbench run`'s command line (libFuzzer entry point; the
 * same file links with a plain replay main for the committed seeds under
 * gcc). The input is the argument list, one argument per line. Parsing and
 * validation face whatever a user or a script types: no input may crash,
 * leak or create anything, and every refusal must come with a message. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "run_options.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    for (char *p = text; argc < MAX_ARGS && p <= text + size;) {
        char *nl = memchr(p, '\n', (size_t)(text + size - p));
        if (nl)
            *nl = '\0';
        argv[argc++] = p;
        if (!nl)
            break;
        p = nl + 1;
    }
    argv[argc] = NULL;

    struct mb_run_request rq;
    mb_clear_error();
    int rc = mb_run_parse(&rq, argc, argv, (time_t)1700000000);
    /* A refusal always says why; an acceptance names a suite or asks for help. */
    if (rc != 0 && mb_last_error()[0] == '\0')
        abort();
    if (rc == 0 && !rq.help && (!rq.suite || !rq.out[0]))
        abort();
    mb_run_request_free(&rq);
    free(text);
    return 0;
}
