/* mmbench: the command line. Only main() calls exit-like paths; every
 * subcommand returns its exit code. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "mmbench/internal_entry.h"
#include "mmbench/platform.h"

#ifndef MB_VERSION
#define MB_VERSION "0.0.0"
#endif
#include "git_commit.h"

void mb_usage(FILE *out)
{
    fputs("usage: mmbench <command> [options]\n"
          "\n"
          "What does memory-mapping buy on this machine? mmbench runs matched I/O\n"
          "workloads (fread, read, pread, mmap, ...) and counts what each costs.\n"
          "\n"
          "commands:\n"
          "  run --suite NAME [options]   run a suite; writes CSV, JSON and a chart\n"
          "  run --suite NAME --help      the suite's options\n"
          "  list                         suites, methods and every suite's options\n"
          "  compare BASE.json HEAD.json  regression verdict between two results\n"
          "  cache-evict FILE...          evict files from the page cache, checked (exit 1 if not)\n"
          "  --help                       this text\n"
          "  doc man|bash-completion FILE the manual page or bash completion (the build runs it)\n"
          "  --version                    version and git commit\n"
          "\n"
          "example:\n"
          "  mmbench run --suite records --records 1000 --record-size 20\n"
          "\n"
          "exit status: 0 ok; 1 a case failed, the chart or standard output failed, or\n"
          "(compare) a regression; 2 usage error (nothing was created) or --out busy with\n"
          "another run; 3 (compare) inconclusive\n",
          out);
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        mb_usage(stderr);
        return MB_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        mb_usage(stdout);
        return MB_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("mmbench %s%s%s\n", MB_VERSION, MB_GIT_COMMIT[0] ? " " : "", MB_GIT_COMMIT);
        return MB_EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return mb_cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "compare") == 0)
        return mb_cmd_compare(argc - 2, argv + 2);
    if (strcmp(cmd, "list") == 0)
        return mb_cmd_list(argc - 2, argv + 2);
    if (strcmp(cmd, "cache-evict") == 0)
        return mb_cmd_cache_evict(argc - 2, argv + 2);
    if (strcmp(cmd, "doc") == 0)
        return mb_cmd_doc(argc - 2, argv + 2);
    fprintf(stderr, "mmbench: unknown command '%s' (commands: run, list, compare, cache-evict, doc, --help, --version)\n", cmd);
    return MB_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    int code;
    if (mb_internal_entry(argc, argv, &code)) /* a helper mmbench started (Win32) */
        return code;
    mb_cleanup_install();
    int rc = dispatch(argc, argv);
    /* Output that never arrived (a full disk, a closed pipe) is a failure. */
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == MB_EXIT_OK) {
        fprintf(stderr, "mmbench: standard output could not be written\n");
        rc = MB_EXIT_FAIL;
    }
    return rc;
}
