#!/bin/sh
# Two runs on the same --out at once: the second stops at once (exit 2, one
# line naming the other run) and touches nothing; the first completes. Runs
# sharing --dir and a parent directory but not --out both complete.
. "$(dirname "$0")/lib.sh"
S="$T/scratch"
mkdir "$S"
P="$T/p"
mkdir "$P"
long="--suite records --records 20000 --reps 30 --methods read,mmap --cache warm --no-plot"
small="--suite records --quick --records 50 --methods read --cache warm --readahead default --no-plot"

# shellcheck disable=SC2086
"$MMBENCH" run $long --dir "$S" --out "$P/out" >/dev/null 2>"$T/err1" &
first=$!
i=0
while [ ! -e "$P/.out.mmbench-lock" ]; do
    i=$((i + 1))
    [ $i -le 300 ] || fail "the first run never locked --out: $(cat "$T/err1")"
    kill -0 $first 2>/dev/null || fail "the first run ended early: $(cat "$T/err1")"
    sleep 0.05
done
set +e
# shellcheck disable=SC2086
"$MMBENCH" run $small --dir "$S" --out "$P/out" >/dev/null 2>"$T/err2"
rc=$?
set -e
[ $rc -eq 2 ] || fail "second run on a busy --out exited $rc: $(cat "$T/err2")"
[ "$(wc -l <"$T/err2")" -eq 1 ] || fail "second run said: $(cat "$T/err2")"
grep -q "another mmbench run (pid $first)" "$T/err2" || fail "message does not name the run: $(cat "$T/err2")"
# Meanwhile another --out beside it works.
# shellcheck disable=SC2086
"$MMBENCH" run $small --dir "$S" --out "$P/out2" >/dev/null 2>"$T/err3" || fail "run beside: $(cat "$T/err3")"
kill -0 $first 2>/dev/null || fail "the first run ended before the test was done: $(cat "$T/err1")"
wait $first || fail "the first run failed: $(cat "$T/err1")"
for o in out out2; do
    [ -e "$P/$o" ] || fail "no $o"
    assert_absent_or_complete "$P/$o" ""
done
assert_no_staging "$P"
assert_no_scratch "$S"
echo ok
