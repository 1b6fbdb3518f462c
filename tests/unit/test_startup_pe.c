/* startup_pe_add_pad(): a padding section added to a synthetic PE32+
 * image laid out as GNU ld lays out the Windows stub (headers rounded up
 * to the file alignment, sections back to back, nothing after the last),
 * and every image it must refuse left unchanged. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mmbench/error.h"
#include "startup_pe.h"

enum { FILE_ALIGN = 0x200, SECT_ALIGN = 0x1000, LFANEW = 0x80, OPT_SIZE = 240 };
enum { OPT = LFANEW + 4 + 20, SECTIONS = OPT + OPT_SIZE, HEADERS = 0x400 };

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Headers, .text (0x600 bytes at RVA 0x1000, virtual 0x5f0) and .reloc
 * (0x200 bytes at RVA 0x2000, virtual 0x30): 0xc00 bytes. */
static uint8_t *image(size_t *len)
{
    *len = 0xc00;
    uint8_t *img = calloc(1, *len);
    assert_non_null(img);
    img[0] = 'M';
    img[1] = 'Z';
    put32(img + 0x3c, LFANEW);
    memcpy(img + LFANEW, "PE\0\0", 4);
    put16(img + LFANEW + 4, 0x8664);
    put16(img + LFANEW + 4 + 2, 2);
    put16(img + LFANEW + 4 + 16, OPT_SIZE);
    put16(img + OPT, 0x20b);
    put32(img + OPT + 8, 0x200);            /* SizeOfInitializedData */
    put32(img + OPT + 32, SECT_ALIGN);
    put32(img + OPT + 36, FILE_ALIGN);
    put32(img + OPT + 56, 0x3000);          /* SizeOfImage */
    put32(img + OPT + 60, HEADERS);
    put32(img + OPT + 64, 0x1234);          /* CheckSum */
    put32(img + OPT + 108, 16);
    const struct { const char *name; uint32_t va, vsize, raw, rawsize; } s[2] = {
        {".text", 0x1000, 0x5f0, 0x400, 0x600}, {".reloc", 0x2000, 0x30, 0xa00, 0x200}};
    for (int i = 0; i < 2; i++) {
        uint8_t *h = img + SECTIONS + 40 * i;
        memcpy(h, s[i].name, strlen(s[i].name));
        put32(h + 8, s[i].vsize);
        put32(h + 12, s[i].va);
        put32(h + 16, s[i].rawsize);
        put32(h + 20, s[i].raw);
        memset(img + s[i].raw, 0xcc, s[i].rawsize);
    }
    return img;
}

static void adds_section(void **state)
{
    (void)state;
    size_t len;
    uint8_t *img = image(&len);
    uint64_t at = 0;
    assert_int_equal(startup_pe_add_pad(img, len, 1u << 20, &at), 0);
    assert_int_equal(at, 0xc00);
    assert_int_equal(img[LFANEW + 4 + 2], 3);
    const uint8_t *h = img + SECTIONS + 80;
    assert_memory_equal(h, ".mbpad\0\0", 8);
    assert_int_equal(get32(h + 8), 1u << 20);     /* VirtualSize */
    assert_int_equal(get32(h + 12), 0x3000);      /* after .reloc, section-aligned */
    assert_int_equal(get32(h + 16), 1u << 20);    /* SizeOfRawData */
    assert_int_equal(get32(h + 20), 0xc00);       /* PointerToRawData: the end of the file */
    assert_int_equal(get32(h + 36), 0x40000040u); /* initialized data, read-only */
    assert_int_equal(get32(img + OPT + 56), 0x3000 + (1u << 20));
    assert_int_equal(get32(img + OPT + 8), 0x200 + (1u << 20));
    assert_int_equal(get32(img + OPT + 64), 0);
    /* A second section goes after the first. */
    uint64_t at2 = 0;
    uint8_t *grown = calloc(1, at + (1u << 20));
    assert_non_null(grown);
    memcpy(grown, img, len);
    assert_int_equal(startup_pe_add_pad(grown, at + (1u << 20), 4096, &at2), 0);
    assert_int_equal(at2, at + (1u << 20));
    assert_int_equal(get32(grown + SECTIONS + 120 + 12), 0x3000 + (1u << 20));
    free(grown);
    free(img);
}

/* Runs the call on a broken copy of the image: it must fail with MB_EENV
 * and leave the copy as it was. */
static void refuses(uint8_t *img, size_t len, uint64_t pad)
{
    uint8_t *before = malloc(len);
    assert_non_null(before);
    memcpy(before, img, len);
    uint64_t at = 0;
    assert_int_equal(startup_pe_add_pad(img, len, pad, &at), MB_EENV);
    assert_memory_equal(img, before, len);
    mb_clear_error();
    free(before);
}

static void refuses_bad_images(void **state)
{
    (void)state;
    size_t len;
    uint8_t *img = image(&len);
    refuses(img, len, 1000);                      /* not a whole file-alignment unit */
    refuses(img, len - 0x200, 4096);              /* .reloc cut short */
    uint8_t *longer = calloc(1, len + 16);
    assert_non_null(longer);
    memcpy(longer, img, len);
    refuses(longer, len + 16, 4096);              /* symbols after the last section */
    free(longer);
    img[SECTIONS + 80] = 'x';                     /* the next header slot is in use */
    refuses(img, len, 4096);
    img[SECTIONS + 80] = 0;
    put32(img + OPT + 112 + 8 * 4 + 4, 0x100);    /* a certificate */
    refuses(img, len, 4096);
    put32(img + OPT + 112 + 8 * 4 + 4, 0);
    put32(img + OPT + 60, SECTIONS + 80 + 20);    /* headers end inside the new slot */
    put32(img + SECTIONS + 20, SECTIONS + 80 + 20);
    refuses(img, len, 4096);
    img[LFANEW] = 'X';                            /* no PE signature */
    refuses(img, len, 4096);
    img[0] = 'X';
    refuses(img, len, 4096);
    free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adds_section),
        cmocka_unit_test(refuses_bad_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
