#!/bin/sh
# A quick run of every kind at two small sizes: phases in samples.csv and
# results.json, durable only for the file, every case verified, page faults
# of the fill, and nothing left behind.
. "$(dirname "$0")/lib.sh"
mkdir "$T/scratch"
set +e
"$MMBENCH" run --suite backing --sizes 1M,4M --reps 2 --warmup 0 --dir "$T/scratch" \
    --out "$T/out" --no-plot --quiet --format csv,json >"$T/log" 2>&1 &
pid=$!
wait $pid
rc=$?
set -e
[ $rc -eq 0 ] || fail "run exited $rc: $(cat "$T/log")"
assert_clean "$T/scratch" $pid
"$PY" "$HERE/check_outputs.py" "$T/out"
