#!/bin/sh
# Builds the `mmbench run` command-line fuzz target with clang's libFuzzer
# (plus ASan and UBSan) and fuzzes it for SECONDS, starting from the
# committed seeds.
#
# usage: tests/fuzz/run-fuzz.sh SECONDS [WORKDIR]
#   WORKDIR (default: a temporary folder, removed afterwards) receives the
#   binary, the grown corpus, the log and any crash-* / leak-* artifact. The
#   committed corpus is only read. Exits 0 when no crash was found, 1 on a
#   crash, 77 (ctest's "skipped") with a message when clang or its libFuzzer
#   runtime (Debian: clang, libclang-rt-14-dev) is not installed.
set -eu
secs=${1:?usage: run-fuzz.sh SECONDS [WORKDIR]}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

. "$root/tests/libfuzzer.sh"
mb_fuzz_find_clang
mb_fuzz_workdir "${2:-}"

# The suites' files and the option validation (bench/ minus main, the
# subcommands and the Windows-only startup stub, a program of its own), on
# the whole library.
bench=$(ls "$root"/bench/*.c | grep -Ev '/(mmbench|overhead|startup_stub|cmd_[a-z_]+)\.c$')
# io_uring comes from core/uring_absent.c here: the target links no liburing.
posix=$(ls "$root"/harness/platform/posix/*.c | grep -v '/uring\.c$')
# shellcheck disable=SC2046,SC2086
"$cc" $MB_FUZZ_CFLAGS -I"$root/harness/include" -I"$root/bench" \
    -I"$root/harness/core" -I"$root/harness/platform/posix" -I"$root/harness/methods/posix" \
    "$root"/harness/core/*.c "$root"/harness/report/*.c "$root"/harness/methods/*.c \
    "$root"/harness/methods/posix/*.c $posix \
    "$root"/harness/compare/*.c $bench "$here/fuzz_run_options.c" \
    $(pkg-config --cflags --libs jansson) -lcsv -lm -o "$work/fuzz_run_options"

echo "fuzzing mmbench run's options for $secs s ($cc, libFuzzer + ASan + UBSan)"
mb_fuzz_run "$work/fuzz_run_options" "$secs" "$here/options.dict" 8192 "$here/corpus"
