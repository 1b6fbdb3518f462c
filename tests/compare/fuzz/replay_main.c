/* Replays fuzz inputs through the fuzz target without libFuzzer, so every
 * build (gcc, -Werror, ASan+UBSan) checks the committed corpus. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            failed = 1;
            continue;
        }
        uint8_t *buf = NULL;
        size_t len = 0, cap = 0;
        for (;;) {
            if (len == cap) {
                cap = cap ? cap * 2 : 4096;
                uint8_t *b = realloc(buf, cap);
                if (!b) {
                    free(buf);
                    fclose(f);
                    return 1;
                }
                buf = b;
            }
            size_t got = fread(buf + len, 1, cap - len, f);
            if (!got)
                break;
            len += got;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
    }
    printf("replayed %d inputs\n", argc - 1);
    return failed;
}
