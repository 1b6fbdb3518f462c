/* The suite table, expanded from suites.def (no constructor attributes: they
 * do not survive static linking or MSVC). */
#include <string.h>

#include "mmbench/suite.h"

#define MB_SUITE(id) extern const struct mb_suite mb_suite_##id;
#include "suites.def"
#undef MB_SUITE

static const struct mb_suite *const all_suites[] = {
#define MB_SUITE(id) &mb_suite_##id,
#include "suites.def"
#undef MB_SUITE
};

const struct mb_suite *const *mb_suites(size_t *n)
{
    *n = sizeof all_suites / sizeof all_suites[0];
    return all_suites;
}

const struct mb_suite *mb_suite_find(const char *name)
{
    for (size_t i = 0; i < sizeof all_suites / sizeof all_suites[0]; i++)
        if (strcmp(all_suites[i]->name, name) == 0)
            return all_suites[i];
    return NULL;
}
