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

cc=""
for c in clang clang-14 clang-15 clang-16; do
    if command -v "$c" >/dev/null 2>&1; then cc=$c; break; fi
done
if [ -z "$cc" ]; then
    echo "SKIP: clang is not installed (apt-get install clang libclang-rt-14-dev)"
    exit 77
fi
rt=$("$cc" -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
case $rt in
    /*) [ -f "$rt" ] || rt="" ;;
    *) rt="" ;;
esac
if [ -z "$rt" ]; then
    echo "SKIP: $cc has no libFuzzer runtime (apt-get install libclang-rt-14-dev)"
    exit 77
fi

if [ $# -ge 2 ]; then
    work=$2
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/mmbench-fuzz-run.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi

# The suites' files and the option validation (bench/ minus main and the
# subcommands), on the whole library.
bench=$(ls "$root"/bench/*.c | grep -Ev '/(mmbench|overhead|cmd_[a-z_]+)\.c$')
# shellcheck disable=SC2046,SC2086
"$cc" -std=c17 -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -I"$root/harness/include" -I"$root/bench" \
    -I"$root/harness/platform/posix" -I"$root/harness/methods/posix" \
    "$root"/harness/core/*.c "$root"/harness/report/*.c "$root"/harness/methods/*.c \
    "$root"/harness/methods/posix/*.c "$root"/harness/platform/posix/*.c \
    "$root"/harness/compare/*.c $bench "$here/fuzz_run_options.c" \
    $(pkg-config --cflags --libs jansson) -lcsv -lm -o "$work/fuzz_run_options"

mkdir -p "$work/corpus"
echo "fuzzing mmbench run's options for $secs s ($cc, libFuzzer + ASan + UBSan)"
# First corpus folder: where new inputs go; the committed seeds are read only.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
"$work/fuzz_run_options" -max_total_time="$secs" -dict="$here/options.dict" -max_len=8192 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" \
    "$work/corpus" "$here/corpus" 2>"$work/fuzz.log" || {
    tail -n 60 "$work/fuzz.log"
    echo "FUZZ FAILURE: see $work (artifacts: crash-*, leak-*, timeout-*)"
    [ $# -ge 2 ] || trap - EXIT
    exit 1
}
grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)" "$work/fuzz.log" || true
echo "no crash in $secs s"
