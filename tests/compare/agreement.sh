#!/bin/sh
# Agreement with Google Benchmark's tools/compare.py (Debian:
# libbenchmark-tools): on the same two files, mmbench compare's two-sided
# U-test p-values and direction of change must match compare.py's, for
# real_time and cpu_time, on real mmbench runs (a known slowdown written into
# a copy, exact and asymptotic test sizes), on synthetic Google Benchmark
# files (ties, units, error entries in Google Benchmark's own format), and on
# a real run whose cold cases fail (scratch files on tmpfs, which cannot be
# evicted): compare.py must read it, and mmbench must call the errored
# benchmarks failed when only head has them.
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

run() { # DIR REPS [run options...]
    dir=$1 reps=$2
    shift 2
    "$mmbench" run --suite records --methods mmap,read,floor --cache warm --reps "$reps" \
        --warmup 1 --min-time-us 300 --records 200 --out "$dir" --format json --no-plot "$@" \
        >"$dir.log" 2>&1 || [ -s "$dir/results.json" ] || { cat "$dir.log"; exit 1; }
}
run "$tmp/a12" 12
"$py" "$src/scale_rows.py" "$tmp/a12/results.json" "$tmp/b12.json" "/mmap/" 1.3
run "$tmp/a6" 6
run "$tmp/b6" 6
"$py" "$src/agreement_gen.py" "$tmp"

status=0
check() { # BASE HEAD
    "$py" "$cmp_py" --no-color -d "$tmp/dump.json" benchmarks "$1" "$2" >"$tmp/cmp_py.txt" 2>&1 ||
        { cat "$tmp/cmp_py.txt"; exit 1; }
    for metric in real_time cpu_time; do
        # Exit 0, 1 or 3 are all fine here: the verdict is not what is checked.
        rc=0
        "$mmbench" compare "$1" "$2" --metric "$metric" --format json >"$tmp/mine.json" || rc=$?
        case $rc in 0|1|3) ;; *) echo "mmbench compare failed on $1 $2"; exit 1 ;; esac
        printf '%s vs %s: ' "${1#"$tmp"/}" "${2#"$tmp"/}"
        "$py" "$src/agreement_check.py" "$tmp/dump.json" "$tmp/mine.json" "$metric" "$2" || status=1
    done
}
check "$tmp/a12/results.json" "$tmp/b12.json"
check "$tmp/a6/results.json" "$tmp/b6/results.json"
check "$tmp/gb_a.json" "$tmp/gb_b.json"

# A real run with failing cold cases. compare.py reads error entries only
# when they carry real_time, cpu_time and time_unit, as Google Benchmark
# writes them; an mmbench whose writer leaves them out is reported, not
# passed over silently.
shm=/dev/shm
if [ -d "$shm" ] && [ -w "$shm" ]; then
    mkdir -p "$shm/mmbench-agree.$$"
    run "$tmp/tmpfs" 6 --cache both --dir "$shm/mmbench-agree.$$"
    rm -rf "$shm/mmbench-agree.$$"
    f=$tmp/tmpfs/results.json
    if grep -q '"error_occurred": *true' "$f"; then
        if "$py" -c 'import json,sys; sys.exit(any(e.get("error_occurred") and "real_time" not in e for e in json.load(open(sys.argv[1]))["benchmarks"]))' "$f"; then
            check "$tmp/a6/results.json" "$f"
        else
            echo "NOTE: $f has error entries without real_time (the results writer predates"
            echo "      Google Benchmark's error format); compare.py cannot read it, check skipped"
        fi
    else
        echo "note: no cold case failed on $shm; the tmpfs check had nothing to check"
    fi
fi
if [ "$status" -eq 0 ]; then echo "agreement: 1 passed, 0 failed"; else echo "agreement: 0 passed, 1 failed"; fi
exit $status
