/* The sample field table, expanded from fields.def, and what is computed
 * from it alone. */
#include <string.h>

#include "mmbench/sample.h"

#define NONE -1, -1, 0
#define RATIO(n, d, k) MB_F_##n, MB_F_##d, k

const struct mb_field_info mb_fields[MB_F_COUNT] = {
#define MB_FIELD(id, name, unit, source, stats, console, derive, help)                        \
    [MB_F_##id] = {#name, unit, MB_SRC_##source, MB_STATS_##stats, console, derive, help},
#include "mmbench/fields.def"
#undef MB_FIELD
};

#undef NONE
#undef RATIO

_Static_assert(MB_F_COUNT <= 64, "mb_fieldset holds at most 64 fields");

void mb_sample_derive(struct mb_sample *s)
{
    for (int f = 0; f < MB_F_COUNT; f++) {
        const struct mb_field_info *fi = &mb_fields[f];
        if (fi->source != MB_SRC_DERIVED)
            continue;
        s->valid &= ~MB_FIELD_BIT(f);
        if (!mb_sample_has(s, (enum mb_field)fi->num) || !mb_sample_has(s, (enum mb_field)fi->den) ||
            s->v[fi->den] == 0)
            continue;
        mb_sample_set(s, (enum mb_field)f, fi->scale * s->v[fi->num] / s->v[fi->den]);
    }
}

int mb_field_find(const char *name)
{
    for (int f = 0; f < MB_F_COUNT; f++)
        if (strcmp(mb_fields[f].name, name) == 0)
            return f;
    return -1;
}
