#!/bin/sh
# Google Benchmark's own compare.py reads two mmbench results unchanged.
. "$(dirname "$0")/lib.sh"
CMP=/usr/share/benchmark/compare.py
[ -f "$CMP" ] || skip "$CMP missing (Debian package libbenchmark-tools)"
"$PY" -c 'import numpy, scipy' 2>/dev/null || skip "$PY lacks numpy/scipy (python3-scipy)"
mkdir "$T/scratch"
for run in A B; do
    "$MMBENCH" run --suite records --quick --records 100 --methods mmap,read --cache warm \
        --dir "$T/scratch" --out "$T/$run" --format json --no-plot >/dev/null 2>"$T/err" ||
        fail "run $run: $(cat "$T/err")"
done
"$PY" "$CMP" benchmarks "$T/A/results.json" "$T/B/results.json" >"$T/cmp" 2>&1 ||
    fail "compare.py exited $?: $(cat "$T/cmp")"
grep -q Traceback "$T/cmp" && fail "compare.py raised: $(cat "$T/cmp")"
for c in records/mmap/cache:warm/readahead:default records/read/cache:warm/readahead:off; do
    grep -qF "$c" "$T/cmp" || fail "compare.py output lacks $c: $(cat "$T/cmp")"
done
echo ok
