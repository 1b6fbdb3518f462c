/* Options: each suite and the CLI declare a table of typed options; the
 * parser validates every value once, so suites read already-checked numbers. */
#ifndef MMBENCH_OPTIONS_H
#define MMBENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mb_opt_type {
    MB_OPT_SIZE,    /* bytes, with suffixes: 20, 4K, 64KiB, 1M, 2G */
    MB_OPT_COUNT,   /* non-negative integer within [min, max] */
    MB_OPT_CHOICE,  /* one of `choices` ("a|b|c") */
    MB_OPT_LIST,    /* comma-separated list, each checked by `check` or `choices` */
    MB_OPT_STRING,  /* free text (a path); with `check`, a value that check validates */
    MB_OPT_FLAG,    /* no value */
    MB_OPT_MULTI    /* free text, repeatable: every value is kept, in order */
};

struct mb_opt {
    const char *name;       /* without the leading "--" */
    enum mb_opt_type type;
    const char *def;        /* default as text; NULL = none */
    const char *help;
    const char *choices;    /* CHOICE / LIST: "a|b|c" */
    uint64_t min, max;      /* SIZE / COUNT bounds (inclusive) */
    /* LIST with dynamic choices, or STRING with a checked value: returns 0
     * if item is valid; otherwise MB_EUSAGE with what is valid written into
     * `valid`, or MB_EUNSUPPORTED with why this platform lacks it. */
    int (*check)(const char *item, char *valid, size_t vlen);
};

#define MB_MAX_OPTS 48
#define MB_MAX_POSITIONAL 16

struct mb_options {
    struct {
        const struct mb_opt *opt;
        char *value;        /* malloc'd; NULL for an unset option without default */
        bool given;         /* on the command line */
        char **multi;       /* MULTI: every value given, malloc'd */
        size_t nmulti;
    } v[MB_MAX_OPTS];
    size_t n;
    const char *pos[MB_MAX_POSITIONAL]; /* positional arguments (borrowed from argv) */
    size_t npos;
};

/* Parses a size with optional suffix (K, KB, KiB, M, MB, MiB, G, GB, GiB,
 * T...; all binary: 1K = 1024, case-insensitive, optional "B"). Returns 0 and
 * *out, or MB_EUSAGE for empty text, a sign, a fraction, garbage or overflow. */
int mb_parse_size(const char *text, uint64_t *out);

/* A list item check for sizes (an mb_opt `check`'s body): returns 0 when
 * `item` is a size within [min, max] and a multiple of `multiple`, else
 * MB_EUSAGE with `what` (the valid sizes, in words) copied into `valid`. */
int mb_size_item_check(const char *item, uint64_t min, uint64_t max, uint64_t multiple,
                       const char *what, char *valid, size_t vlen);

/* The sizes of option --`name`'s list value (checked by the parser), in
 * order and each once, into out[0..max). Returns 0 and *n, or MB_EUSAGE
 * for an item that is not a size or more than `max` different sizes. */
int mb_size_list(const char *name, const char *list, uint64_t *out, size_t max, size_t *n);

/* Parses a non-negative decimal integer (no sign, no suffix). */
int mb_parse_count(const char *text, uint64_t *out);

/* Fills `o` from the defaults of every table in `tables` (NULL-terminated
 * array of tables, each ended by an entry with name == NULL), then parses
 * argv[0..argc). Unknown options, missing or invalid values fail with
 * MB_EUSAGE and a one-line message naming the problem and the valid choices
 * (mb_last_error()). Positional arguments are refused. */
int mb_options_parse(struct mb_options *o, const struct mb_opt *const *tables,
                     int argc, char **argv);

/* mb_options_parse() that also accepts up to `max_pos` (<= MB_MAX_POSITIONAL)
 * positional arguments into o->pos: any argument not starting with "--",
 * "-" alone (standard input), and everything after a bare "--". More than
 * max_pos is MB_EUSAGE. */
int mb_options_parse_args(struct mb_options *o, const struct mb_opt *const *tables, int argc,
                          char **argv, size_t max_pos);

/* Frees the values. */
void mb_options_free(struct mb_options *o);

/* Typed getters for an option that exists in the parsed tables (asking for an
 * option that was never declared is a programming error and aborts). */
const char *mb_opt_str(const struct mb_options *o, const char *name);
uint64_t mb_opt_num(const struct mb_options *o, const char *name);
bool mb_opt_flag(const struct mb_options *o, const char *name);
bool mb_opt_given(const struct mb_options *o, const char *name);

/* Every value of a MULTI option, in command-line order; *n receives the
 * count (0 when never given). The array belongs to `o`. */
const char *const *mb_opt_multi(const struct mb_options *o, const char *name, size_t *n);

/* Overrides a value (e.g. --quick lowering unset defaults). Returns 0 or MB_ENOMEM. */
int mb_opt_set(struct mb_options *o, const char *name, const char *value);

/* True if the comma-separated list `list` contains `item`. */
bool mb_list_has(const char *list, const char *item);

/* Prints the options of `table` (name, default, help) to `out`. */
void mb_options_print(const struct mb_opt *table, void *out /* FILE* */);

#endif
