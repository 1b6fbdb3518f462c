/* The method registry: the platform's methods.def lists them (CMake puts
 * harness/methods/<os>/ on the include path). */
#include <stdio.h>
#include <string.h>

#include "mmbench/method.h"

#define MB_METHOD_ELSEWHERE(name, why)
#define MB_METHOD(id) extern const struct mb_method mb_method_##id;
#include "methods.def"
#undef MB_METHOD

static const struct mb_method *const all_methods[] = {
#define MB_METHOD(id) &mb_method_##id,
#include "methods.def"
#undef MB_METHOD
};
#undef MB_METHOD_ELSEWHERE

static const struct {
    const char *name, *why;
} elsewhere[] = {
#define MB_METHOD(id)
#define MB_METHOD_ELSEWHERE(name, why) {name, why},
#include "methods.def"
#undef MB_METHOD
#undef MB_METHOD_ELSEWHERE
};

const struct mb_method *const *mb_methods(size_t *n)
{
    *n = sizeof all_methods / sizeof all_methods[0];
    return all_methods;
}

const struct mb_method *mb_method_find(const char *name)
{
    for (size_t i = 0; i < sizeof all_methods / sizeof all_methods[0]; i++)
        if (strcmp(all_methods[i]->name, name) == 0)
            return all_methods[i];
    return NULL;
}

const char *mb_method_elsewhere(const char *name)
{
    for (size_t i = 0; i < sizeof elsewhere / sizeof elsewhere[0]; i++)
        if (strcmp(elsewhere[i].name, name) == 0)
            return elsewhere[i].why;
    return NULL;
}

char *mb_method_names(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof all_methods / sizeof all_methods[0]; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", all_methods[i]->name);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
    return buf;
}
