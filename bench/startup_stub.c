/* The startup suite's program on Windows, built once with mmbench; at run
 * time mmbench copies it under --dir with a padding section of the size
 * asked for (startup_pe.c), since Windows has no C compiler to call. It
 * does what the program POSIX builds does: argv[1] "mapped" prints the
 * padding section's size, touching none of it; "read" reads its whole
 * file with ReadFile into the heap and prints the sum of its 8-byte
 * words; argv[2] "hold" then touches (mapped) every page of the section,
 * prints "ready <value>" and waits for its stdin to end. The exit code is
 * 3 + value % 199. It finds its section in its own loaded headers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "startup_pe.h"

static const unsigned char *pad_section(size_t *len)
{
    const unsigned char *base = (const unsigned char *)GetModuleHandleA(NULL);
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
    const IMAGE_NT_HEADERS *nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
    const IMAGE_SECTION_HEADER *s = IMAGE_FIRST_SECTION(nt);
    for (unsigned i = 0; i < nt->FileHeader.NumberOfSections; i++)
        if (strncmp((const char *)s[i].Name, STARTUP_PE_PAD_SECTION, 8) == 0) {
            *len = s[i].Misc.VirtualSize;
            return base + s[i].VirtualAddress;
        }
    exit(1);
}

static unsigned long long file_sum(void)
{
    wchar_t self[32768];
    DWORD n = GetModuleFileNameW(NULL, self, 32768);
    HANDLE h = n && n < 32768 ? CreateFileW(self, GENERIC_READ, FILE_SHARE_READ, NULL,
                                           OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN, NULL)
                              : INVALID_HANDLE_VALUE;
    LARGE_INTEGER size;
    if (h == INVALID_HANDLE_VALUE || !GetFileSizeEx(h, &size))
        exit(1);
    unsigned char *buf = malloc((size_t)size.QuadPart + 8);
    if (!buf)
        exit(1);
    size_t got = 0;
    while (got < (size_t)size.QuadPart) {
        DWORD want = (size_t)size.QuadPart - got > (1u << 30) ? 1u << 30
                                                            : (DWORD)((size_t)size.QuadPart - got);
        DWORD r = 0;
        if (!ReadFile(h, buf + got, want, &r, NULL) || r == 0)
            exit(1);
        got += r;
    }
    CloseHandle(h);
    memset(buf + got, 0, 8);
    unsigned long long s = 0, w;
    for (size_t i = 0; i < got; i += 8) {
        memcpy(&w, buf + i, 8);
        s += w;
    }
    free(buf);
    return s;
}

int main(int argc, char **argv)
{
    int rd = argc > 1 && strcmp(argv[1], "read") == 0;
    int hold = argc > 2 && strcmp(argv[2], "hold") == 0;
    size_t len = 0;
    const unsigned char *pad = pad_section(&len);
    unsigned long long v = rd ? file_sum() : (unsigned long long)len;
    if (hold && !rd) {
        volatile const unsigned char *p = pad;
        unsigned long long t = 0;
        for (size_t i = 0; i < len; i += 4096)
            t += p[i];
        if (t != len / 4096)
            return 1;
    }
    printf("%s %llu\n", hold ? "ready" : argv[1], v);
    fflush(stdout);
    if (hold) {
        char c;
        DWORD r;
        while (ReadFile(GetStdHandle(STD_INPUT_HANDLE), &c, 1, &r, NULL) && r > 0)
            ;
    }
    return (int)(3 + v % 199);
}
