#!/bin/sh
# Builds the JSON reader's fuzz target with clang's libFuzzer (plus ASan and
# UBSan) and fuzzes it for SECONDS, starting from the committed seeds.
#
# usage: tests/compare/fuzz/run-fuzz.sh SECONDS [WORKDIR]
#   WORKDIR (default: a temporary folder, removed afterwards) receives the
#   binary, the grown corpus and any crash-* / leak-* artifact. The committed
#   corpus is only read. Exits 0 when no crash was found, 1 on a crash, 77
#   (ctest's "skipped") with a message when clang or its libFuzzer runtime
#   (Debian: clang, libclang-rt-14-dev) is not installed.
set -eu
secs=${1:?usage: run-fuzz.sh SECONDS [WORKDIR]}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

. "$root/tests/libfuzzer.sh"
mb_fuzz_find_clang
mb_fuzz_workdir "${2:-}"

# shellcheck disable=SC2046,SC2086
"$cc" $MB_FUZZ_CFLAGS -I"$root/harness/include" \
    "$root"/harness/compare/*.c "$here/fuzz_json_input.c" \
    $(pkg-config --cflags --libs jansson) -lm -o "$work/fuzz_json_input"

echo "fuzzing the compare JSON reader for $secs s ($cc, libFuzzer + ASan + UBSan)"
mb_fuzz_run "$work/fuzz_json_input" "$secs" "$here/json.dict" 16384 "$here/corpus"
