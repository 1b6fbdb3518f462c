#!/bin/sh
# A signal the run inherits as ignored stays ignored (nohup, `trap '' HUP`):
# a hang-up in the middle of such a run changes nothing, and it completes.
. "$(dirname "$0")/lib.sh"
S="$T/scratch"
mkdir "$S"
(
    trap '' HUP
    exec "$MMBENCH" run --suite records --quiet --records 20000 --reps 10 --methods read,mmap \
        --cache warm --no-plot --dir "$S" --out "$T/out" >/dev/null 2>"$T/err"
) &
pid=$!
i=0
while [ -z "$(find "$T" -maxdepth 1 -name '.out.mmbench-new-*')" ]; do
    i=$((i + 1))
    [ $i -le 300 ] || fail "the run never staged its results: $(cat "$T/err")"
    kill -0 $pid 2>/dev/null || fail "the run ended too early to test: $(cat "$T/err")"
    sleep 0.02
done
kill -HUP $pid
set +e
wait $pid
rc=$?
set -e
[ $rc -eq 0 ] || fail "an ignored SIGHUP ended the run: exit $rc: $(cat "$T/err")"
assert_absent_or_complete "$T/out" ""
[ -e "$T/out" ] || fail "no results"
assert_no_scratch "$S"
echo ok
