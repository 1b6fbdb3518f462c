#!/bin/sh
# SIGINT in the middle of a run: the process dies of the signal and leaves
# no scratch file in --dir and no shm object in /dev/shm, whichever kind's
# object existed when the signal came.
. "$(dirname "$0")/lib.sh"
[ -d /dev/shm ] || { echo "SKIP: no /dev/shm"; exit 77; }
for kind in file shm; do
    S="$T/scratch-$kind"
    mkdir "$S"
    # long enough never to finish on its own. A script's background job
    # starts with SIGINT ignored, which mmbench keeps (nohup): give it back.
    env --default-signal=INT "$MMBENCH" run --suite backing --kinds "$kind" --sizes 64M --reps 10000 --warmup 0 \
        --dir "$S" --out "$T/out-$kind" --no-plot --quiet --format csv >/dev/null 2>"$T/err" &
    pid=$!
    # Wait until an object exists, then give the run a moment inside its passes.
    i=0
    while [ -z "$(find "$S" -name 'mmbench-*' 2>/dev/null)$(shm_left $pid)" ]; do
        i=$((i + 1))
        [ $i -le 300 ] || { kill -KILL $pid; fail "$kind: the run never started"; }
        kill -0 $pid 2>/dev/null || fail "$kind: the run ended early: $(cat "$T/err")"
        sleep 0.05
    done
    sleep 0.5
    kill -s INT $pid
    set +e
    wait $pid
    rc=$?
    set -e
    [ $rc -eq 130 ] || fail "$kind: exit status $rc, want 130 (death by SIGINT)"
    assert_clean "$S" $pid
    echo "$kind: clean after SIGINT"
done
