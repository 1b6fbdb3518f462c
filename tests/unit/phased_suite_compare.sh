#!/bin/sh
# Google Benchmark's compare.py reads the results.json of a phased suite
# with a custom counter (the test-only widgets suite) against itself
# without error: the phase entries, the totals and their aggregates.
# Usage: sh phased_suite_compare.sh TEST_BINARY PYTHON. Exit 77 = skipped.
set -eu
BIN=$1
PY=$2
CMP=/usr/share/benchmark/compare.py
if [ ! -f "$CMP" ]; then
    CMP=$(dpkg -L libbenchmark-tools 2>/dev/null | grep '/compare\.py$' | head -n 1 || true)
fi
if [ -z "$CMP" ] || [ ! -f "$CMP" ]; then
    echo "SKIP: compare.py not found (Debian package libbenchmark-tools)"
    exit 77
fi
if ! "$PY" -c 'import numpy, scipy' 2>/dev/null; then
    echo "SKIP: $PY lacks numpy/scipy, which compare.py imports (python3-scipy)"
    exit 77
fi
T=$(mktemp -d "${TMPDIR:-/var/tmp}/mbtest-gbcompare.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir "$T/out"
"$BIN" --keep "$T/out" >"$T/test.log" 2>&1 || {
    echo "FAIL: $BIN --keep failed:"
    cat "$T/test.log"
    exit 1
}
"$PY" "$CMP" --no-color benchmarks "$T/out/results.json" "$T/out/results.json" >"$T/cmp" 2>&1 || {
    echo "FAIL: compare.py exited $?:"
    cat "$T/cmp"
    exit 1
}
if grep -q Traceback "$T/cmp"; then
    echo "FAIL: compare.py raised:"
    cat "$T/cmp"
    exit 1
fi
for name in 'widgets/size_bytes:65536 ' 'widgets/size_bytes:65536/phase:fill ' \
    'widgets/shape:square/phase:drop_median '; do
    grep -qF "$name" "$T/cmp" || {
        echo "FAIL: compare.py output lacks '$name':"
        cat "$T/cmp"
        exit 1
    }
done
echo ok
