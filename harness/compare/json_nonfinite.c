/* Google Benchmark's JSON reporter writes a non-finite double as a bare NaN or
 * Infinity, which is not JSON: a strict parser would reject the whole file
 * for one bad value. The entry is only excluded if the literal becomes null. */
#include <stdlib.h>
#include <string.h>

#include "mmbench/compare.h"

static int is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '+' || c == '-';
}

/* Length of the non-finite literal starting at text[i], or 0. */
static size_t literal_at(const char *text, size_t len, size_t i)
{
    static const char *const words[] = {"-Infinity", "Infinity", "-NaN", "NaN"};
    if (i > 0 && is_word_char(text[i - 1]))
        return 0;
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        size_t w = strlen(words[k]);
        if (len - i >= w && memcmp(text + i, words[k], w) == 0 &&
            (i + w == len || !is_word_char(text[i + w])))
            return w;
    }
    return 0;
}

char *mb_cmp_json_nonfinite_to_null(const char *text, size_t len, size_t *out_len)
{
    /* "NaN" (3 bytes) becomes "null" (4): at most len/3 more bytes. */
    size_t cap = len + len / 3 + 2;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t o = 0;
    int in_string = 0;
    for (size_t i = 0; i < len;) {
        char c = text[i];
        if (in_string) {
            out[o++] = c;
            if (c == '\\' && i + 1 < len) {
                out[o++] = text[i + 1];
                i += 2;
                continue;
            }
            if (c == '"')
                in_string = 0;
            i++;
            continue;
        }
        if (c == '"') {
            in_string = 1;
            out[o++] = c;
            i++;
            continue;
        }
        size_t w = (c == 'N' || c == 'I' || c == '-') ? literal_at(text, len, i) : 0;
        if (w) {
            memcpy(out + o, "null", 4);
            o += 4;
            i += w;
            continue;
        }
        out[o++] = c;
        i++;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}
