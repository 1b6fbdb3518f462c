#!/bin/sh
# Agreement with Google Benchmark's tools/compare.py (Debian:
# libbenchmark-tools): on the same two files, mmbench compare's two-sided
# U-test p-values and direction of change must match compare.py's, for
# real_time and cpu_time, on real mmbench runs (a known slowdown, exact and
# asymptotic test sizes) and on synthetic Google Benchmark files (ties, units).
# Skipped (exit 77) with a message when compare.py or scipy is missing.
# usage: agreement.sh PATH/TO/mmbench PATH/TO/tests/compare
set -eu
mmbench=$1 src=$2
cmp_py=/usr/share/benchmark/compare.py
py=""
# Debian's python3 first: a python3 earlier in PATH may lack scipy.
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c "import scipy, numpy" 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
    echo "SKIP: no python3 with scipy (apt-get install python3-scipy)"
    exit 77
fi
if [ ! -f "$cmp_py" ]; then
    echo "SKIP: $cmp_py not found (apt-get install libbenchmark-tools)"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmbench-agree.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

run() { # DIR REPS [env...]
    dir=$1 reps=$2
    shift 2
    env "$@" "$mmbench" run --suite records --methods mmap,read,floor --cache warm --reps "$reps" \
        --warmup 1 --min-time-us 300 --records 200 --out "$dir" --format json --no-plot \
        >"$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
}
run "$tmp/a12" 12
run "$tmp/b12" 12 MMBENCH_TEST_SLOWDOWN=mmap:30
run "$tmp/a6" 6
run "$tmp/b6" 6 MMBENCH_TEST_SLOWDOWN=read:30
"$py" "$src/agreement_gen.py" "$tmp"

status=0
check() { # BASE HEAD
    "$py" "$cmp_py" --no-color -d "$tmp/dump.json" benchmarks "$1" "$2" >"$tmp/cmp_py.txt" 2>&1 ||
        { cat "$tmp/cmp_py.txt"; exit 1; }
    for metric in real_time cpu_time; do
        # Exit 0 or 1 are both fine here: the verdict is not what is checked.
        "$mmbench" compare "$1" "$2" --metric "$metric" --format json >"$tmp/mine.json" || [ $? -eq 1 ] ||
            { echo "mmbench compare failed on $1 $2"; exit 1; }
        printf '%s vs %s: ' "${1#"$tmp"/}" "${2#"$tmp"/}"
        "$py" "$src/agreement_check.py" "$tmp/dump.json" "$tmp/mine.json" "$metric" || status=1
    done
}
check "$tmp/a12/results.json" "$tmp/b12/results.json"
check "$tmp/a6/results.json" "$tmp/b6/results.json"
check "$tmp/gb_a.json" "$tmp/gb_b.json"
exit $status
