/* `mmbench doc man|bash-completion FILE`: the manual page mmbench(1) and the
 * bash completion, generated from the option tables themselves (the common
 * options, each suite's, and compare's when its table exists), so that
 * neither can drift from what the parser accepts. The build runs it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_compare.h"
#include "mmbench/options.h"
#include "mmbench/suite.h"

#ifndef MB_VERSION
#define MB_VERSION "0.0.0"
#endif

#define COMPARE_OPTS (mb_compare_opts)

static const char *const commands = "run list compare cache-evict doc --help --version";

static const char *metavar(const struct mb_opt *o)
{
    switch (o->type) {
    case MB_OPT_SIZE: return "SIZE";
    case MB_OPT_COUNT: return "N";
    case MB_OPT_LIST: return "A,B,...";
    case MB_OPT_MULTI: return "FILE";
    case MB_OPT_STRING: return strcmp(o->name, "suite") == 0 ? "NAME" : strcmp(o->name, "cpu") == 0 ? "CPU" : "PATH";
    case MB_OPT_CHOICE: return "X";
    case MB_OPT_FLAG: return NULL;
    }
    return NULL;
}

/* Writes `s` as roff text: backslashes and dashes escaped, no line starting
 * with a control character. */
static void roff(FILE *f, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", f);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s, f);
    }
}

/* The valid values of an option: its choices, or what its check function
 * lists when handed an item nothing matches. */
static void choices(const struct mb_opt *o, char *buf, size_t len)
{
    buf[0] = '\0';
    if (o->choices)
        snprintf(buf, len, "%s", o->choices);
    else if (o->check && o->check("\001", buf, len) == 0)
        buf[0] = '\0';
    for (char *p = buf; *p; p++)
        if (*p == '|' || *p == ',')
            *p = ' ';
}

static void man_options(FILE *f, const struct mb_opt *table)
{
    for (const struct mb_opt *o = table; o && o->name; o++) {
        char valid[512];
        const char *m = metavar(o);
        fputs(".TP\n.B \\-\\-", f);
        roff(f, o->name);
        if (m) {
            fputs(" \\fI", f);
            roff(f, m);
            fputs("\\fR", f);
        }
        fputc('\n', f);
        roff(f, o->help);
        choices(o, valid, sizeof valid);
        if (valid[0]) {
            fputs(" (one of: ", f);
            roff(f, valid);
            fputc(')', f);
        }
        if (o->def && o->type != MB_OPT_FLAG) {
            fputs(" (default: ", f);
            roff(f, o->def);
            fputc(')', f);
        }
        fputc('\n', f);
    }
}

static void man_page(FILE *f)
{
    size_t ns;
    const struct mb_suite *const *suites = mb_suites(&ns);
    fprintf(f, ".TH MMBENCH 1 \"\" \"mmbench %s\" \"User Commands\"\n", MB_VERSION);
    fputs(".SH NAME\nmmbench \\- what memory\\-mapping buys: matched I/O workloads and what each "
          "costs the operating system\n"
          ".SH SYNOPSIS\n.B mmbench run \\-\\-suite\n.I NAME\n[\\fIoptions\\fR]\n.br\n"
          ".B mmbench list\n.br\n.B mmbench compare\n[\\fIoptions\\fR] \\fIBASE.json HEAD.json\\fR\n"
          ".br\n.B mmbench cache\\-evict\n\\fIFILE\\fR...\n"
          ".br\n.B mmbench \\-\\-version\n"
          ".SH DESCRIPTION\n.B mmbench run\nruns a suite of cases (access method x parameters x "
          "cache state), with warm\\-up and repetitions, and writes samples.csv, summary.csv, "
          "results.json (Google Benchmark schema) and the suite's chart into the \\-\\-out "
          "directory. The directory appears complete, in one step, or not at all.\n"
          ".PP\n.B mmbench list\nprints the suites, the access methods and every option.\n"
          ".PP\n.B mmbench compare\nsays whether HEAD is slower than BASE (see mmbench compare \\-\\-help).\n"
          ".PP\n.B mmbench cache\\-evict\nevicts each file's pages from the page cache and "
          "checks with mincore that none is left (exit 1 if some is).\n"
          ".SH OPTIONS OF EVERY SUITE\n", f);
    man_options(f, mb_common_opts);
    for (size_t i = 0; i < ns; i++) {
        fputs(".SH SUITE ", f);
        roff(f, suites[i]->name);
        fputc('\n', f);
        roff(f, suites[i]->help);
        fprintf(f, " (claims %s)\n", suites[i]->claims);
        man_options(f, suites[i]->opts);
    }
    fputs(".SH OPTIONS OF COMPARE\n", f);
    man_options(f, COMPARE_OPTS);
    fputs(".SH EXIT STATUS\n.TP\n0\nsuccess\n.TP\n1\na case failed, the chart could not be drawn, "
          "standard output could not be written, or (compare) a regression was found\n"
          ".TP\n2\nusage error: nothing was created; or \\-\\-out is being written by another run\n"
          ".TP\n3\n(compare) inconclusive: some benchmark could be judged neither same nor "
          "slower\n"
          ".SH ENVIRONMENT\n.TP\n.B TMPDIR\nscratch directory when \\-\\-dir is not given "
          "(default /var/tmp)\n.TP\n.B MMBENCH_SCRIPTS\nwhere the chart scripts are, instead of "
          "share/mmbench/scripts beside the installed binary\n"
          ".SH SEE ALSO\ngnuplot(1)\n", f);
}

static void completion_words(FILE *f, const struct mb_opt *table)
{
    for (const struct mb_opt *o = table; o && o->name; o++)
        fprintf(f, " --%s", o->name);
}

static void completion_values(FILE *f, const struct mb_opt *table)
{
    for (const struct mb_opt *o = table; o && o->name; o++) {
        char valid[512];
        choices(o, valid, sizeof valid);
        if (o->type == MB_OPT_STRING && strcmp(o->name, "suite") != 0)
            fprintf(f, "        --%s) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n", o->name);
        else if (valid[0])
            fprintf(f, "        --%s) _mmbench_list \"%s\" %d; return ;;\n", o->name, valid,
                    o->type == MB_OPT_LIST);
    }
}

static void bash_completion(FILE *f)
{
    size_t ns;
    const struct mb_suite *const *suites = mb_suites(&ns);
    fputs("# bash completion for mmbench (generated by `mmbench doc bash-completion`)\n"
          "_mmbench_list() {\n"
          "    local pre=\"\" cur=$cur\n"
          "    if [ \"$2\" = 1 ] && [ \"${cur%,*}\" != \"$cur\" ]; then pre=${cur%,*},; cur=${cur##*,}; fi\n"
          "    COMPREPLY=($(compgen -P \"$pre\" -W \"$1\" -- \"$cur\"))\n"
          "}\n_mmbench() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n", f);
    fprintf(f, "    if [ \"$COMP_CWORD\" -eq 1 ]; then COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); "
               "return; fi\n    case ${COMP_WORDS[1]} in\n    run)\n        case $prev in\n"
               "        --suite) COMPREPLY=($(compgen -W \"",
            commands);
    for (size_t i = 0; i < ns; i++)
        fprintf(f, "%s%s", i ? " " : "", suites[i]->name);
    fputs("\" -- \"$cur\")); return ;;\n", f);
    completion_values(f, mb_common_opts);
    for (size_t i = 0; i < ns; i++)
        completion_values(f, suites[i]->opts);
    fputs("        esac\n        COMPREPLY=($(compgen -W \"", f);
    completion_words(f, mb_common_opts);
    for (size_t i = 0; i < ns; i++)
        completion_words(f, suites[i]->opts);
    fputs("\" -- \"$cur\")) ;;\n    compare)\n        COMPREPLY=($(compgen -f -W \"", f);
    completion_words(f, COMPARE_OPTS);
    fputs(" --help\" -- \"$cur\")) ;;\n    doc) COMPREPLY=($(compgen -W \"man bash-completion\" -- "
          "\"$cur\")) ;;\n    esac\n}\ncomplete -F _mmbench mmbench\n", f);
}

int mb_cmd_doc(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[0], "man") != 0 && strcmp(argv[0], "bash-completion") != 0)) {
        fputs("usage: mmbench doc man|bash-completion FILE\n", stderr);
        return MB_EXIT_USAGE;
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return MB_EXIT_FAIL;
    }
    if (strcmp(argv[0], "man") == 0)
        man_page(f);
    else
        bash_completion(f);
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "mmbench doc: writing %s failed\n", argv[1]);
        return MB_EXIT_FAIL;
    }
    return MB_EXIT_OK;
}
