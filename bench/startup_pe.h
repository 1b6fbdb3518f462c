/* Adding a padding section to a PE (Windows) executable: plain byte
 * editing of its headers, portable, so that Windows builds the startup
 * suite's executables of every size from one stub without a compiler. */
#ifndef MMBENCH_STARTUP_PE_H
#define MMBENCH_STARTUP_PE_H

#include <stddef.h>
#include <stdint.h>

/* The name of the section startup_pe_add_pad() adds; the stub finds its
 * padding by it. At most 8 characters (a PE section name). */
#define STARTUP_PE_PAD_SECTION ".mbpad"

/* Edits the PE image `img` (`len` bytes, a PE32 or PE32+ executable with
 * no data after its last section's raw data) in place so that a section
 * STARTUP_PE_PAD_SECTION of `pad_bytes` (a whole number of the image's
 * FileAlignment, > 0) of read-only initialized data follows its last one,
 * and sets *pad_offset to the file offset where the caller appends those
 * bytes (the new file is *pad_offset + pad_bytes long; the bytes between
 * `len` and *pad_offset are zeros). Raises NumberOfSections, SizeOfImage
 * and SizeOfInitializedData; clears CheckSum, which no longer holds.
 * Returns 0, or MB_EENV with a message (not such an image, no room for one
 * more section header, data after the sections, a signature) and `img`
 * unchanged. */
int startup_pe_add_pad(uint8_t *img, size_t len, uint64_t pad_bytes, uint64_t *pad_offset);

#endif
