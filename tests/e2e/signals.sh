#!/bin/sh
# SIGINT and SIGTERM in the middle of a run: the process dies of the signal
# and leaves no scratch file in --dir, no lock, no staged result set and no
# --out at all beside where --out would be.
. "$(dirname "$0")/lib.sh"

for sig in INT TERM; do
    case $sig in INT) num=2 ;; TERM) num=15 ;; esac
    S="$T/scratch-$sig"
    P="$T/parent-$sig"
    O="$P/out"
    mkdir "$S" "$P"
    # long enough never to finish on its own: 24 cases x 200 reps of 200,000 records
    # A script's background job starts with SIGINT ignored (no job control), and
    # mmbench keeps an ignored signal ignored: give it the default back.
    env --default-signal=INT "$MMBENCH" run --suite records --records 200000 --reps 200 --dir "$S" --out "$O" \
        --no-plot --format csv,json,console >/dev/null 2>"$T/err-$sig" &
    pid=$!
    # Wait until the run is really under way: the scratch file exists and the
    # result set is being staged.
    i=0
    while [ -z "$(find "$S" -name 'mmbench-*' 2>/dev/null)" ] ||
        [ -z "$(find "$P" -name '.out.mmbench-new-*' 2>/dev/null)" ]; do
        i=$((i + 1))
        [ $i -le 300 ] || { kill -KILL $pid; fail "SIG$sig: the run never started"; }
        kill -0 $pid 2>/dev/null || fail "SIG$sig: the run ended early: $(cat "$T/err-$sig")"
        sleep 0.1
    done
    sleep 1
    kill -0 $pid 2>/dev/null || fail "SIG$sig: the run ended before the signal"
    kill -s "$sig" $pid
    set +e
    wait $pid
    rc=$?
    set -e
    want=$((128 + num))
    [ $rc -eq $want ] || fail "SIG$sig: exit status $rc, want $want (death by the signal)"
    assert_no_scratch "$S"
    [ -z "$(ls -A "$P")" ] || fail "SIG$sig: left beside --out: $(ls -A "$P")"
    echo "SIG$sig: clean"
done
