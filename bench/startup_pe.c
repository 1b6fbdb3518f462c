/* The padding section of the startup suite's Windows executables. A new
 * section is appended after the linker's last one rather than an existing
 * one grown: which section GNU ld places last (.reloc, .tls, an orphan)
 * depends on the toolchain, and a new header needs only room in the
 * headers, which linkers leave (SizeOfHeaders is rounded up to
 * FileAlignment). Offsets are those of the PE/COFF specification. */
#include <string.h>

#include "mmbench/error.h"
#include "startup_pe.h"

enum {
    DOS_LFANEW = 0x3c,
    COFF_NSECTIONS = 2, COFF_OPT_SIZE = 16, COFF_SIZE = 20,
    OPT_MAGIC = 0, OPT_INIT_DATA = 8, OPT_SECT_ALIGN = 32, OPT_FILE_ALIGN = 36,
    OPT_IMAGE_SIZE = 56, OPT_HEADERS_SIZE = 60, OPT_CHECKSUM = 64,
    OPT32_NDIRS = 92, OPT64_NDIRS = 108,    /* NumberOfRvaAndSizes; the directories follow */
    DIR_SECURITY = 4,                       /* the certificate table: a file offset */
    SEC_SIZE = 40, SEC_VSIZE = 8, SEC_VADDR = 12, SEC_RAW_SIZE = 16, SEC_RAW_PTR = 20,
    SEC_FLAGS = 36,
};
#define SCN_INITIALIZED_DATA 0x00000040u
#define SCN_MEM_READ 0x40000000u

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }

static uint32_t get32(const uint8_t *p)
{
    return get16(p) | get16(p + 2) << 16;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}

/* The parts of the image this edits, found and checked. */
struct pe {
    uint8_t *coff, *opt, *sections;
    uint32_t nsections, file_align, sect_align;
};

static int parse(uint8_t *img, size_t len, struct pe *pe)
{
    if (len < 0x40 || img[0] != 'M' || img[1] != 'Z')
        return mb_fail(MB_EENV, "not a PE executable (no MZ header)");
    uint32_t lfanew = get32(img + DOS_LFANEW);
    if (lfanew > len || len - lfanew < 4 + COFF_SIZE || memcmp(img + lfanew, "PE\0\0", 4) != 0)
        return mb_fail(MB_EENV, "not a PE executable (no PE signature)");
    pe->coff = img + lfanew + 4;
    pe->opt = pe->coff + COFF_SIZE;
    uint32_t opt_size = get16(pe->coff + COFF_OPT_SIZE);
    uint32_t magic = opt_size >= 2 ? get16(pe->opt + OPT_MAGIC) : 0;
    uint32_t ndirs_at = magic == 0x20b ? OPT64_NDIRS : magic == 0x10b ? OPT32_NDIRS : 0;
    size_t opt_at = lfanew + 4u + COFF_SIZE;
    if (!ndirs_at || opt_size < ndirs_at + 4 || len - opt_at < opt_size)
        return mb_fail(MB_EENV, "not a PE executable (optional header)");
    uint32_t ndirs = get32(pe->opt + ndirs_at);
    if (ndirs > DIR_SECURITY && opt_size >= ndirs_at + 4 + 8 * (DIR_SECURITY + 1) &&
        get32(pe->opt + ndirs_at + 4 + 8 * DIR_SECURITY + 4) != 0)
        return mb_fail(MB_EENV, "the executable is signed: its certificate must stay last");
    pe->sections = pe->opt + opt_size;
    pe->nsections = get16(pe->coff + COFF_NSECTIONS);
    pe->file_align = get32(pe->opt + OPT_FILE_ALIGN);
    pe->sect_align = get32(pe->opt + OPT_SECT_ALIGN);
    if (!pe->nsections || !pe->file_align || !pe->sect_align ||
        (size_t)(pe->sections - img) + (size_t)pe->nsections * SEC_SIZE > len)
        return mb_fail(MB_EENV, "not a PE executable (section table)");
    return 0;
}

/* Where the sections end, in the file and in memory, and where the first
 * section's data begins (the new header must end before it). */
static int extents(const struct pe *pe, size_t len, uint64_t *file_end,
                   uint64_t *mem_end, uint64_t *first_raw)
{
    uint64_t headers = get32(pe->opt + OPT_HEADERS_SIZE);
    *file_end = headers;
    *mem_end = 0;
    *first_raw = headers;
    for (uint32_t i = 0; i < pe->nsections; i++) {
        const uint8_t *s = pe->sections + (size_t)i * SEC_SIZE;
        uint64_t raw = get32(s + SEC_RAW_PTR), raw_size = get32(s + SEC_RAW_SIZE);
        uint64_t va = get32(s + SEC_VADDR), vsize = get32(s + SEC_VSIZE);
        if (raw_size && raw + raw_size > *file_end)
            *file_end = raw + raw_size;
        if (raw_size && raw < *first_raw)
            *first_raw = raw;
        uint64_t end = va + (vsize > raw_size ? vsize : raw_size);
        if (end > *mem_end)
            *mem_end = end;
    }
    if (*file_end != len)
        return mb_fail(MB_EENV, "the executable has %llu bytes after its last section "
                       "(symbols? strip it)", (unsigned long long)(len - *file_end));
    return 0;
}

int startup_pe_add_pad(uint8_t *img, size_t len, uint64_t pad_bytes, uint64_t *pad_offset)
{
    struct pe pe = {NULL, NULL, NULL, 0, 0, 0};
    uint64_t file_end = 0, mem_end = 0, first_raw = 0;
    int rc = parse(img, len, &pe);
    rc = rc ? rc : extents(&pe, len, &file_end, &mem_end, &first_raw);
    if (rc)
        return rc;
    if (!pad_bytes || pad_bytes % pe.file_align)
        return mb_fail(MB_EENV, "a padding section of %llu bytes is not a whole number of the "
                       "executable's %u-byte file alignment", (unsigned long long)pad_bytes,
                       pe.file_align);
    uint8_t *hdr = pe.sections + (size_t)pe.nsections * SEC_SIZE;
    size_t hdr_at = (size_t)(hdr - img);
    static const uint8_t zeros[SEC_SIZE];
    if (hdr_at + SEC_SIZE > first_raw || memcmp(hdr, zeros, SEC_SIZE) != 0)
        return mb_fail(MB_EENV, "no room for one more section header in the executable");
    uint64_t va = align_up(mem_end, pe.sect_align);
    uint64_t raw = align_up(file_end, pe.file_align);
    uint64_t image = align_up(va + pad_bytes, pe.sect_align);
    uint64_t init = get32(pe.opt + OPT_INIT_DATA) + pad_bytes;
    if (raw + pad_bytes > UINT32_MAX || image > UINT32_MAX || init > UINT32_MAX ||
        pe.nsections >= 96)
        return mb_fail(MB_EENV, "a padding section of %llu bytes makes the executable too large",
                       (unsigned long long)pad_bytes);
    memcpy(hdr, STARTUP_PE_PAD_SECTION, sizeof STARTUP_PE_PAD_SECTION - 1);
    put32(hdr + SEC_VSIZE, (uint32_t)pad_bytes);
    put32(hdr + SEC_VADDR, (uint32_t)va);
    put32(hdr + SEC_RAW_SIZE, (uint32_t)pad_bytes);
    put32(hdr + SEC_RAW_PTR, (uint32_t)raw);
    put32(hdr + SEC_FLAGS, SCN_INITIALIZED_DATA | SCN_MEM_READ);
    pe.coff[COFF_NSECTIONS] = (uint8_t)(pe.nsections + 1);
    pe.coff[COFF_NSECTIONS + 1] = 0;
    put32(pe.opt + OPT_IMAGE_SIZE, (uint32_t)image);
    put32(pe.opt + OPT_INIT_DATA, (uint32_t)init);
    put32(pe.opt + OPT_CHECKSUM, 0);
    *pad_offset = raw;
    return 0;
}
