/* Typed option tables and their parser. Every value is validated here, once,
 * so that a bad command line fails before any file is created. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/options.h"

int mb_size_item_check(const char *item, uint64_t min, uint64_t max, uint64_t multiple,
                       const char *what, char *valid, size_t vlen)
{
    uint64_t v = 0;
    if (mb_parse_size(item, &v) == 0 && v >= min && v <= max && v % multiple == 0)
        return 0;
    mb_clear_error();
    snprintf(valid, vlen, "%s", what);
    return MB_EUSAGE;
}

int mb_size_list(const char *name, const char *list, uint64_t *out, size_t max, size_t *n)
{
    *n = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        char item[64];
        uint64_t v;
        if (len >= sizeof item)
            return mb_fail(MB_EUSAGE, "--%s: an item is too long", name);
        memcpy(item, p, len);
        item[len] = '\0';
        if (mb_parse_size(item, &v) != 0)
            return mb_fail(MB_EUSAGE, "--%s: '%s' is not a size", name, item);
        bool seen = false;
        for (size_t k = 0; k < *n; k++)
            seen = seen || out[k] == v;
        if (!seen && *n == max)
            return mb_fail(MB_EUSAGE, "--%s: at most %zu sizes", name, max);
        if (!seen)
            out[(*n)++] = v;
        p += len + (p[len] == ',');
    }
    return 0;
}

int mb_parse_count(const char *text, uint64_t *out)
{
    if (!text || !*text)
        return mb_fail(MB_EUSAGE, "empty number");
    uint64_t v = 0;
    for (const char *p = text; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return mb_fail(MB_EUSAGE, "'%s' is not a non-negative whole number", text);
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return mb_fail(MB_EUSAGE, "'%s' is too large", text);
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int mb_parse_size(const char *text, uint64_t *out)
{
    if (!text || !*text)
        return mb_fail(MB_EUSAGE, "empty size");
    const char *p = text;
    uint64_t v = 0;
    if (!isdigit((unsigned char)*p))
        return mb_fail(MB_EUSAGE, "'%s' is not a size (examples: 20, 4K, 64KiB, 1M)", text);
    while (isdigit((unsigned char)*p)) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return mb_fail(MB_EUSAGE, "size '%s' is too large", text);
        v = v * 10 + d;
        p++;
    }
    unsigned shift = 0;
    if (*p) {
        switch (toupper((unsigned char)*p)) {
        case 'B': shift = 0; break;
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        case 'T': shift = 40; break;
        default:
            return mb_fail(MB_EUSAGE, "'%s' is not a size (examples: 20, 4K, 64KiB, 1M)", text);
        }
        char unit = (char)toupper((unsigned char)*p);
        p++;
        /* Accept K, KB, KiB (all binary: sizes here are about pages). */
        if (unit != 'B') {
            if (*p == 'i' || *p == 'I')
                p++;
            if (*p == 'b' || *p == 'B')
                p++;
        }
        if (*p)
            return mb_fail(MB_EUSAGE, "'%s' is not a size (examples: 20, 4K, 64KiB, 1M)", text);
    }
    if (shift && v > (UINT64_MAX >> shift))
        return mb_fail(MB_EUSAGE, "size '%s' is too large", text);
    *out = v << shift;
    return 0;
}

bool mb_list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        const char *e = strpbrk(p, ",|");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

/* STRING and MULTI: non-empty, and valid for the table's check if it has one. */
static int check_text(const struct mb_opt *opt, const char *val)
{
    if (!*val)
        return mb_fail(MB_EUSAGE, "--%s needs a non-empty value", opt->name);
    char valid[256];
    if (opt->check && opt->check(val, valid, sizeof valid))
        return mb_fail(MB_EUSAGE, "--%s: bad value '%s' (valid: %s)", opt->name, val, valid);
    return 0;
}

/* SIZE or COUNT: a number within [min, max]. */
static int check_number(const struct mb_opt *opt, const char *val)
{
    uint64_t num;
    int rc = opt->type == MB_OPT_SIZE ? mb_parse_size(val, &num) : mb_parse_count(val, &num);
    if (rc) {
        /* mb_fail formats into the buffer mb_last_error() points at. */
        char why[256];
        snprintf(why, sizeof why, "%s", mb_last_error());
        return mb_fail(MB_EUSAGE, "--%s: %s", opt->name, why);
    }
    if (num < opt->min || num > opt->max)
        return mb_fail(MB_EUSAGE, "--%s %s is out of range (%llu to %llu)", opt->name, val,
                       (unsigned long long)opt->min, (unsigned long long)opt->max);
    return 0;
}

/* One item of a LIST, by the option's check or its choices. */
static int check_item(const struct mb_opt *opt, const char *it)
{
    char valid[512];
    if (!opt->check)
        return mb_list_has(opt->choices, it)
                   ? 0
                   : mb_fail(MB_EUSAGE, "--%s: unknown value '%s' (valid: %s)", opt->name, it,
                             opt->choices);
    int why = opt->check(it, valid, sizeof valid);
    if (why == MB_EUNSUPPORTED) /* known elsewhere: `valid` says why it is not here */
        return mb_fail(MB_EUSAGE, "--%s: '%s' is %s", opt->name, it, valid);
    if (why)
        return mb_fail(MB_EUSAGE, "--%s: unknown value '%s' (valid: %s)", opt->name, it, valid);
    return 0;
}

/* LIST: comma-separated items, none empty, each valid. */
static int check_list(const struct mb_opt *opt, const char *val)
{
    if (!*val)
        return mb_fail(MB_EUSAGE, "--%s: empty list", opt->name);
    char *copy = strdup(val);
    if (!copy)
        return mb_fail(MB_ENOMEM, "out of memory");
    int rc = 0;
    char *save = NULL;
    size_t items = 0;
    for (char *it = strtok_r(copy, ",", &save); it && !rc; it = strtok_r(NULL, ",", &save)) {
        items++;
        rc = check_item(opt, it);
    }
    free(copy);
    if (!rc && (items == 0 || val[0] == ',' || val[strlen(val) - 1] == ',' || strstr(val, ",,")))
        rc = mb_fail(MB_EUSAGE, "--%s: '%s' has an empty item", opt->name, val);
    return rc;
}

static int check_value(const struct mb_opt *opt, const char *val)
{
    switch (opt->type) {
    case MB_OPT_SIZE:
    case MB_OPT_COUNT:
        return check_number(opt, val);
    case MB_OPT_CHOICE:
        /* CHOICE lists use '|' so "a,b" is not accidentally accepted. */
        if (strchr(val, ',') || !mb_list_has(opt->choices, val))
            return mb_fail(MB_EUSAGE, "--%s: unknown value '%s' (choose one of: %s)", opt->name,
                           val, opt->choices);
        return 0;
    case MB_OPT_LIST:
        return check_list(opt, val);
    case MB_OPT_STRING:
    case MB_OPT_MULTI:
        return check_text(opt, val);
    case MB_OPT_FLAG:
        return 0;
    }
    return mb_fail(MB_EUSAGE, "--%s: unknown option type", opt->name);
}

static int find_slot(const struct mb_options *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->v[i].opt->name, name) == 0)
            return (int)i;
    return -1;
}

static int set_slot(struct mb_options *o, size_t i, const char *value)
{
    char *copy = value ? strdup(value) : NULL;
    if (value && !copy)
        return mb_fail(MB_ENOMEM, "out of memory");
    free(o->v[i].value);
    o->v[i].value = copy;
    return 0;
}

static void list_names(const struct mb_opt *const *tables, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t t = 0; tables[t]; t++)
        for (const struct mb_opt *opt = tables[t]; opt->name; opt++) {
            int w = snprintf(buf + used, len - used, "%s--%s", used ? " " : "", opt->name);
            if (w < 0 || (size_t)w >= len - used)
                return;
            used += (size_t)w;
        }
}

static int add_multi(struct mb_options *o, size_t i, const char *value)
{
    char **m = realloc(o->v[i].multi, (o->v[i].nmulti + 1) * sizeof *m);
    if (!m)
        return mb_fail(MB_ENOMEM, "out of memory");
    o->v[i].multi = m;
    if (!(m[o->v[i].nmulti] = strdup(value)))
        return mb_fail(MB_ENOMEM, "out of memory");
    o->v[i].nmulti++;
    return 0;
}

static int add_positional(struct mb_options *o, const struct mb_opt *const *tables,
                          const char *arg, size_t max_pos)
{
    if (o->npos < max_pos) {
        o->pos[o->npos++] = arg;
        return 0;
    }
    char names[1024];
    list_names(tables, names, sizeof names);
    if (max_pos)
        return mb_fail(MB_EUSAGE, "unexpected argument '%s' (at most %zu files)", arg, max_pos);
    return mb_fail(MB_EUSAGE, "unexpected argument '%s' (options: %s)", arg, names);
}

/* One "--name[=value]" at argv[*i] (its value may be argv[*i + 1], then *i
 * moves past it). Returns 0, MB_EUSAGE or MB_ENOMEM. */
static int parse_option(struct mb_options *o, const struct mb_opt *const *tables, int argc,
                        char **argv, int *i)
{
    const char *arg = argv[*i];
    char name[64];
    const char *eq = strchr(arg + 2, '=');
    size_t nlen = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
    if (nlen >= sizeof name)
        nlen = sizeof name - 1;
    memcpy(name, arg + 2, nlen);
    name[nlen] = '\0';
    int slot = find_slot(o, name);
    if (slot < 0) {
        char names[1024];
        list_names(tables, names, sizeof names);
        return mb_fail(MB_EUSAGE, "unknown option '--%s' (options: %s)", name, names);
    }
    const struct mb_opt *opt = o->v[slot].opt;
    const char *val;
    if (opt->type == MB_OPT_FLAG) {
        if (eq)
            return mb_fail(MB_EUSAGE, "--%s takes no value", name);
        val = "1";
    } else if (eq) {
        val = eq + 1;
    } else {
        if (*i + 1 >= argc)
            return mb_fail(MB_EUSAGE, "--%s needs a value", name);
        val = argv[++*i];
    }
    int rc = check_value(opt, val);
    if (rc)
        return rc;
    if (opt->type == MB_OPT_MULTI && add_multi(o, (size_t)slot, val))
        return MB_ENOMEM;
    if (set_slot(o, (size_t)slot, val))
        return MB_ENOMEM;
    o->v[slot].given = true;
    return 0;
}

int mb_options_parse(struct mb_options *o, const struct mb_opt *const *tables,
                     int argc, char **argv)
{
    return mb_options_parse_args(o, tables, argc, argv, 0);
}

int mb_options_parse_args(struct mb_options *o, const struct mb_opt *const *tables, int argc,
                          char **argv, size_t max_pos)
{
    if (max_pos > MB_MAX_POSITIONAL)
        max_pos = MB_MAX_POSITIONAL;
    memset(o, 0, sizeof *o);
    for (size_t t = 0; tables[t]; t++)
        for (const struct mb_opt *opt = tables[t]; opt->name; opt++) {
            if (find_slot(o, opt->name) >= 0)
                continue; /* an earlier table (the common one) wins */
            if (o->n == MB_MAX_OPTS)
                return mb_fail(MB_EUSAGE, "too many options declared");
            o->v[o->n].opt = opt;
            if (set_slot(o, o->n, opt->def))
                return MB_ENOMEM;
            o->n++;
        }

    int only_pos = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (max_pos && !only_pos && strcmp(arg, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (only_pos || strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            int rc = add_positional(o, tables, arg, max_pos);
            if (rc)
                return rc;
            continue;
        }
        int rc = parse_option(o, tables, argc, argv, &i);
        if (rc)
            return rc;
    }
    return 0;
}

void mb_options_free(struct mb_options *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->v[i].value);
        for (size_t k = 0; k < o->v[i].nmulti; k++)
            free(o->v[i].multi[k]);
        free(o->v[i].multi);
    }
    memset(o, 0, sizeof *o);
}

static int must_find(const struct mb_options *o, const char *name)
{
    int slot = find_slot(o, name);
    if (slot < 0) {
        fprintf(stderr, "mmbench: internal error: option --%s was never declared\n", name);
        abort();
    }
    return slot;
}

const char *mb_opt_str(const struct mb_options *o, const char *name)
{
    return o->v[must_find(o, name)].value;
}

uint64_t mb_opt_num(const struct mb_options *o, const char *name)
{
    int slot = must_find(o, name);
    const char *v = o->v[slot].value;
    uint64_t num = 0;
    if (!v)
        return 0;
    if (o->v[slot].opt->type == MB_OPT_SIZE)
        mb_parse_size(v, &num);
    else
        mb_parse_count(v, &num);
    return num;
}

bool mb_opt_flag(const struct mb_options *o, const char *name)
{
    const char *v = o->v[must_find(o, name)].value;
    return v && strcmp(v, "1") == 0;
}

bool mb_opt_given(const struct mb_options *o, const char *name)
{
    return o->v[must_find(o, name)].given;
}

const char *const *mb_opt_multi(const struct mb_options *o, const char *name, size_t *n)
{
    int slot = must_find(o, name);
    *n = o->v[slot].nmulti;
    return (const char *const *)o->v[slot].multi;
}

int mb_opt_set(struct mb_options *o, const char *name, const char *value)
{
    return set_slot(o, (size_t)must_find(o, name), value);
}

void mb_options_print(const struct mb_opt *table, void *out)
{
    FILE *f = out;
    for (const struct mb_opt *opt = table; opt->name; opt++) {
        char lhs[64];
        const char *meta = opt->type == MB_OPT_SIZE    ? " SIZE"
                           : opt->type == MB_OPT_COUNT ? " N"
                           : opt->type == MB_OPT_FLAG  ? ""
                           : opt->type == MB_OPT_LIST  ? " A,B,..."
                           : opt->type == MB_OPT_MULTI  ? " PATH"
                           : opt->type == MB_OPT_STRING ? (opt->check ? " X" : " PATH")
                                                        : " X";
        snprintf(lhs, sizeof lhs, "--%s%s", opt->name, meta);
        fprintf(f, "  %-24s %s", lhs, opt->help);
        if (opt->choices)
            fprintf(f, " [%s]", opt->choices);
        if (opt->type == MB_OPT_MULTI)
            fputs(" (repeatable)", f);
        if (opt->def && opt->type != MB_OPT_FLAG)
            fprintf(f, " (default: %s)", opt->def);
        fputc('\n', f);
    }
}
