/* `mmbench list`: suites, methods, and each suite's options with defaults. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "mmbench/method.h"
#include "mmbench/sample.h"
#include "mmbench/suite.h"

/* The sample fields as the Markdown table README.md carries (a test
 * checks that the two agree). */
static void print_fields(void)
{
    puts("| field | unit | stats | meaning |");
    puts("|-------|------|-------|---------|");
    for (int f = 0; f < MB_F_COUNT; f++)
        printf("| `%s` | %s | %s | %s |\n", mb_fields[f].name, mb_fields[f].unit,
               mb_fields[f].stats == MB_STATS_ALL ? "all" : "median", mb_fields[f].help);
}

int mb_cmd_list(int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "--fields") == 0) {
        print_fields();
        return MB_EXIT_OK;
    }
    if (argc > 0) {
        fprintf(stderr, "mmbench list: unexpected argument '%s' (list takes none, or --fields)\n",
                argv[0]);
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
