/* Builds the startup suite's executables. The program's source is fed to
 * the compiler on its stdin; its unused section is an assembler .fill, so
 * that a 512 MiB executable costs the compiler no 512 MiB of source. The
 * compiler and the linker write into scratch files mmbench created (and
 * tagged) through /proc/self/fd/N, so that neither the object nor the
 * executable is ever an untagged file a later run could not recognise as
 * left over. Where the build made the stub (Windows, no compiler at run
 * time), a copy of it padded with a section of the size instead. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/error.h"
#include "mmbench/platform.h"
#include "mmbench/child.h"
#include "startup_exe.h"
#include "startup_pe.h"

/* The program. argv[1] is "mapped" (print the pad's size, touching none of
 * it) or "read" (read the whole executable file with read() into the heap,
 * as a program loads its data at start, and print the sum of its 8-byte
 * words); argv[2] "hold" then touches (mapped) every page of the pad,
 * prints "ready <value>" and waits for its stdin to end. The exit code is
 * 3 + value % 199. */
static const char program[] =
    "#include <fcntl.h>\n"
    "#include <stdio.h>\n"
    "#include <stdlib.h>\n"
    "#include <string.h>\n"
    "#include <unistd.h>\n"
    "__asm__(\".section .rodata.mbpad,\\\"a\\\",@progbits\\n.balign 4096\\n"
    ".globl mb_pad\\nmb_pad:\\n.fill %llu,8,0x0101010101010101\\n"
    ".globl mb_pad_end\\nmb_pad_end:\\n.previous\\n\");\n"
    "extern const unsigned char mb_pad[], mb_pad_end[];\n"
    "static unsigned long long file_sum(void) {\n"
    "  int fd = open(\"/proc/self/exe\", O_RDONLY);\n"
    "  off_t size = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);\n"
    "  unsigned char *buf = size < 0 ? NULL : malloc((size_t)size + 8);\n"
    "  if (!buf || lseek(fd, 0, SEEK_SET) != 0) exit(1);\n"
    "  size_t n = 0;\n"
    "  while (n < (size_t)size) {\n"
    "    ssize_t r = read(fd, buf + n, (size_t)size - n);\n"
    "    if (r <= 0) exit(1);\n"
    "    n += (size_t)r;\n"
    "  }\n"
    "  memset(buf + n, 0, 8);\n"
    "  unsigned long long s = 0, w;\n"
    "  for (size_t i = 0; i < n; i += 8) { memcpy(&w, buf + i, 8); s += w; }\n"
    "  return s;\n"
    "}\n"
    "int main(int argc, char **argv) {\n"
    "  int rd = argc > 1 && strcmp(argv[1], \"read\") == 0;\n"
    "  int hold = argc > 2 && strcmp(argv[2], \"hold\") == 0;\n"
    "  unsigned long long v = rd ? file_sum() : (unsigned long long)(mb_pad_end - mb_pad);\n"
    "  if (hold && !rd) {\n"
    "    volatile const unsigned char *p = mb_pad;\n"
    "    unsigned long long t = 0;\n"
    "    for (size_t i = 0; i < (size_t)(mb_pad_end - mb_pad); i += 4096) t += p[i];\n"
    "    if (t != (unsigned long long)(mb_pad_end - mb_pad) / 4096) return 1;\n"
    "  }\n"
    "  printf(\"%%s %%llu\\n\", hold ? \"ready\" : argv[1], v);\n"
    "  fflush(stdout);\n"
    "  if (hold) { char c; while (read(0, &c, 1) > 0) ; }\n"
    "  return (int)(3 + v %% 199);\n"
    "}\n";

uint64_t startup_expected_value(const struct startup_exe *e, bool read_mode)
{
    return read_mode ? e->file_sum : e->pad_bytes;
}

int startup_expected_exit(uint64_t value)
{
    return (int)(3 + value % 199);
}

/* The sum of the file's 8-byte little-endian words, the last one padded
 * with zeros, as the read mode computes it. */
static int file_sum(const char *path, uint64_t *sum, uint64_t *bytes)
{
    enum { CHUNK = 1 << 20 };
    FILE *f = fopen(path, "rb");
    uint8_t *buf = malloc(CHUNK + 8);
    if (!f || !buf) {
        free(buf);
        if (f)
            fclose(f);
        return f ? mb_fail(MB_ENOMEM, "out of memory")
                 : mb_fail(MB_EENV, "cannot read %s: %s", path, strerror(errno));
    }
    uint64_t s = 0, total = 0;
    size_t n;
    while ((n = fread(buf, 1, CHUNK, f)) > 0) {
        memset(buf + n, 0, 8);
        for (size_t i = 0; i < n; i += 8) {
            uint64_t w = 0;
            for (int k = 7; k >= 0; k--)
                w = w << 8 | buf[i + (size_t)k];
            s += w;
        }
        total += n;
    }
    int bad = ferror(f);
    fclose(f);
    free(buf);
    if (bad)
        return mb_fail(MB_EENV, "reading %s failed", path);
    *sum = s;
    *bytes = total;
    return 0;
}

/* The compiler: $CC if set (one program, no arguments), else cc. */
static int find_compiler(char *buf, size_t len)
{
    const char *cc = getenv("CC");
    const char *name = cc && *cc ? cc : "cc";
    int rc = mb_program_find(name, buf, len);
    if (rc == 1)
        return mb_fail(MB_EUNSUPPORTED, "no C compiler (%s%s not found in PATH)", name,
                       cc && *cc ? ", from $CC," : "");
    return rc;
}

/* Runs the compiler with `args` (and `input` on its stdin), its output
 * written through descriptor fd, as /proc/self/fd/N. */
static int run_cc(const struct startup_exe *e, const char *const *args, size_t nargs,
                  const char *input, int fd)
{
    char cc[4096], out[64], msg[2048];
    int rc = find_compiler(cc, sizeof cc);
    if (rc)
        return rc;
    snprintf(out, sizeof out, "/proc/self/fd/%d", fd);
    char *argv[16] = {cc};
    size_t n = 1;
    for (size_t i = 0; i < nargs && n < 13; i++)
        argv[n++] = (char *)args[i];
    argv[n++] = "-o";
    argv[n++] = out;
    argv[n] = NULL;
    struct mb_child ch;
    struct mb_child_usage u;
    rc = mb_child_start(&ch, argv, input, false, fd);
    rc = rc ? rc : mb_child_finish(&ch, &u, msg, sizeof msg);
    if (rc == 0 && (u.exit_code != 0 || u.signal))
        rc = mb_fail(MB_EENV, "%s could not build the executable with a %llu-byte section "
                     "(%s %d): %.600s", cc, (unsigned long long)e->pad_bytes,
                     u.signal ? "signal" : "exit", u.signal ? u.signal : u.exit_code, msg);
    return rc;
}

/* Runs the compiler into the existing scratch file `path`; `executable`
 * lets its owner run it afterwards. */
static int cc_into(const struct startup_exe *e, const char *path, const char *const *args,
                   size_t nargs, const char *input, bool executable)
{
    int fd;
    int rc = mb_child_out_open(path, &fd);
    if (rc)
        return rc;
    rc = run_cc(e, args, nargs, input, fd);
    int closed = mb_child_out_close(fd, path, rc == 0 && executable);
    return rc ? rc : closed;
}

/* The stub image being copied, with its padding section added, for
 * stub_fill (mb_fill_fn takes no context; one executable is made at a
 * time). */
static struct stub_copy {
    const uint8_t *img;
    uint64_t len;               /* the image's bytes, then zeros up to pad_at */
    uint64_t pad_at;
} stub_copy;

static void stub_fill(uint8_t *dst, uint64_t off, size_t n)
{
    for (size_t i = 0; i < n; i++, off++)
        dst[i] = off < stub_copy.len ? stub_copy.img[off] : off < stub_copy.pad_at ? 0 : 1;
}

/* Makes the executable from the stub the Windows build ships, `stub`:
 * its copy under --dir, a padding section of the size added (the same
 * 0x01 bytes the compiled program's section holds). */
static int build_from_stub(struct startup_exe *e, const char *stub)
{
    uint8_t *img = NULL;
    size_t len = 0;
    char tag[48];
    int rc = mb_file_read_all(stub, &img, &len);
    rc = rc ? rc : startup_pe_add_pad(img, len, e->pad_bytes, &stub_copy.pad_at);
    if (rc == 0) {
        stub_copy.img = img;
        stub_copy.len = len;
        snprintf(tag, sizeof tag, "startup-%lluKiB", (unsigned long long)(e->pad_bytes >> 10));
        rc = mb_scratch_create(e->dir, tag, stub_copy.pad_at + e->pad_bytes, stub_fill,
                               &e->path);
        stub_copy = (struct stub_copy){NULL, 0, 0};
    }
    free(img);
    return rc;
}

/* Compiles the program into an object file, then links it, both into
 * scratch files under --dir: the object is as large as the section, and
 * the compiler would otherwise leave it in its own temporary directory.
 * With -pipe the compiler writes no other large file. */
static int build_with_cc(struct startup_exe *e)
{
    char tag[48], *obj = NULL, *source = NULL;
    size_t len = sizeof program + 32;
    if (!(source = malloc(len)))
        return mb_fail(MB_ENOMEM, "out of memory");
    snprintf(source, len, program, (unsigned long long)(e->pad_bytes / 8));
    static const char *const compile[] = {"-pipe", "-O2", "-w", "-c", "-x", "c", "-"};
    int rc = mb_scratch_create(e->dir, "startup-obj", 0, NULL, &obj);
    rc = rc ? rc : cc_into(e, obj, compile, sizeof compile / sizeof compile[0], source, false);
    free(source);
    snprintf(tag, sizeof tag, "startup-%lluKiB", (unsigned long long)(e->pad_bytes >> 10));
    rc = rc ? rc : mb_scratch_create(e->dir, tag, 0, NULL, &e->path);
    if (rc == 0) {
        /* Its lock keeps it open for writing, which exec refuses. */
        mb_scratch_unlock(e->path);
        const char *link[] = {"-pipe", obj};
        rc = cc_into(e, e->path, link, 2, NULL, true);
    }
    if (obj) {
        mb_scratch_remove(obj);
        free(obj);
    }
    return rc;
}

/* The stub beside mmbench when the build made one (Windows, which has no C
 * compiler at run time), else the program compiled; then what its read
 * mode will print. */
static int build(struct startup_exe *e)
{
    char dir[4096], stub[4096 + 32];
    int rc = mb_self_dir(dir, sizeof dir);
    if (rc)
        return rc;
    snprintf(stub, sizeof stub, "%s/%s", dir, STARTUP_STUB_NAME);
    rc = mb_path_exists(stub) ? build_from_stub(e, stub) : build_with_cc(e);
    rc = rc ? rc : file_sum(e->path, &e->file_sum, &e->file_bytes);
    if (rc && e->path) {
        mb_scratch_remove(e->path);
        free(e->path);
        e->path = NULL;
    }
    return rc;
}

int startup_exe_acquire(struct startup_exe *e)
{
    int rc = e->users ? 0 : build(e);
    if (rc == 0)
        e->users++;
    return rc;
}

void startup_exe_release(struct startup_exe *e)
{
    if (!e->users || --e->users || !e->path)
        return;
    mb_scratch_remove(e->path);
    free(e->path);
    e->path = NULL;
}
