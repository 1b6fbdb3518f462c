#!/bin/sh
# A small real run: exit 0, the three result files and nothing else in --out,
# no scratch file left, and the files read back by check_outputs.py.
. "$(dirname "$0")/lib.sh"
require_disk "$T"
mkdir "$T/scratch"
"$MMBENCH" run --suite records --quick --records 200 --reps 3 --dir "$T/scratch" \
    --out "$T/out" --no-plot --format csv,json,console >"$T/stdout" 2>"$T/stderr" ||
    fail "run exited $?: $(cat "$T/stderr")"
grep -q "results: $T/out/" "$T/stdout" || fail "stdout does not name the results folder"
grep -q "mmap/cache:cold/readahead:off" "$T/stdout" || fail "console table lacks mmap cold"
assert_no_scratch "$T/scratch"
[ -z "$(ls -A "$T/scratch")" ] || fail "scratch dir not empty: $(ls -A "$T/scratch")"
assert_no_tmp "$T/out"
got=$(cd "$T/out" && ls | tr '\n' ' ')
[ "$got" = "results.json samples.csv summary.csv " ] || fail "--out holds: $got"
"$PY" "$HERE/check_outputs.py" "$T/out" --reps 3 --records 200 --record-size 20 \
    --methods fread,fread-nobuf,read,pread,mmap,floor
echo "ok"
