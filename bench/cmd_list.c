/* `mmbench list`: suites, methods, and each suite's options with defaults. */
#include <stdio.h>

#include "cli.h"
#include "mmbench/method.h"
#include "mmbench/suite.h"

int mb_cmd_list(int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr, "mmbench list: unexpected argument '%s' (list takes none)\n", argv[0]);
        return MB_EXIT_USAGE;
    }
    size_t ns, nm;
    const struct mb_suite *const *suites = mb_suites(&ns);
    const struct mb_method *const *methods = mb_methods(&nm);

    puts("suites:");
    for (size_t i = 0; i < ns; i++) {
        const char *why = suites[i]->supported ? suites[i]->supported() : NULL;
        printf("  %-10s %s [claims %s]%s%s\n", suites[i]->name, suites[i]->help, suites[i]->claims,
               why ? " UNSUPPORTED here: " : "", why ? why : "");
    }
    puts("\nmethods:");
    for (size_t i = 0; i < nm; i++)
        printf("  %-12s %s\n", methods[i]->name, methods[i]->help);
    puts("\noptions of every suite:");
    mb_options_print(mb_common_opts, stdout);
    for (size_t i = 0; i < ns; i++) {
        printf("\noptions of suite %s:\n", suites[i]->name);
        mb_options_print(suites[i]->opts, stdout);
    }
    return MB_EXIT_OK;
}
