#!/bin/sh
# SIGKILL cannot be caught: the run leaves its scratch file, its staged
# result set and the lock of --out behind. The next run into the same --out
# and --dir removes them, says so, and succeeds; a live run's scratch file
# beside them is not touched. Then the same inside PID namespaces
# (unshare -p --fork), where the killed run and the rerun have the same
# pid: the owner record's start time and boot id tell them apart.
. "$(dirname "$0")/lib.sh"
S="$T/scratch"
mkdir "$S"
long="--suite records --records 200000 --reps 200 --no-plot --format csv,json"
small="--suite records --quick --records 50 --methods read --cache warm --readahead default --no-plot"

# start_and_wait PARENT CMD...: starts CMD in the background ($pid) and
# waits until it has a scratch file in $S and a staged set in PARENT.
start_and_wait() {
    parent=$1
    shift
    before=$(find "$S" -name 'mmbench-*' | wc -l)
    "$@" >/dev/null 2>"$T/err" &
    pid=$!
    i=0
    while [ "$(find "$S" -name 'mmbench-*' | wc -l)" -le "$before" ] ||
        [ -z "$(find "$parent" -maxdepth 1 -name '.*.mmbench-new-*')" ]; do
        i=$((i + 1))
        [ $i -le 300 ] || { kill -KILL $pid; fail "the run never started: $(cat "$T/err")"; }
        kill -0 $pid 2>/dev/null || fail "the run ended early: $(cat "$T/err")"
        sleep 0.1
    done
}

# kill_and_rerun LABEL PREFIX...: PREFIX (empty, or an unshare command) runs
# both the killed run and the rerun.
kill_and_rerun() {
    label=$1
    shift
    P="$T/$label"
    mkdir "$P"
    # shellcheck disable=SC2086
    start_and_wait "$P" "$@" "$MMBENCH" run $long --dir "$S" --out "$P/out"
    # (Under unshare, $pid is unshare itself; --kill-child passes the
    # SIGKILL on to the run, which is pid 1 in its namespace.)
    kill -KILL $pid
    wait $pid 2>/dev/null || true
    left=$(ls -A "$S" | wc -l)
    [ "$left" -ge 1 ] || fail "$label: SIGKILL left no scratch file (nothing to test)"
    [ -n "$(find "$P" -maxdepth 1 -name '.out.mmbench-new-*')" ] || fail "$label: no staged set left"
    # The killed run itself dies a moment later (under unshare, after unshare):
    # until then the rerun is told that --out is busy.
    i=0
    while :; do
        rc=0
        # shellcheck disable=SC2086
        "$@" "$MMBENCH" run $small --dir "$S" --out "$P/out" >/dev/null 2>"$T/err2" || rc=$?
        if [ $rc -eq 2 ] && grep -q "being written by another" "$T/err2" && [ $i -lt 100 ]; then
            i=$((i + 1))
            sleep 0.05
            continue
        fi
        break
    done
    [ $rc -eq 0 ] || fail "$label: rerun after SIGKILL failed: $(cat "$T/err2")"
    grep -q "removed .*mmbench-records-" "$T/err2" || fail "$label: stale scratch not reported: $(cat "$T/err2")"
    grep -q "removed .*\.out\.mmbench-new-" "$T/err2" || fail "$label: stale staged set not reported: $(cat "$T/err2")"
    assert_absent_or_complete "$P/out" ""
    [ -e "$P/out" ] || fail "$label: rerun wrote no --out"
    assert_no_staging "$P"
    assert_no_scratch "$S"
    echo "$label: stale files of the killed run removed and reported; rerun complete"
}

kill_and_rerun plain

# A live run's scratch file is never taken for a dead one's.
P="$T/live"
mkdir "$P"
# shellcheck disable=SC2086
start_and_wait "$P" "$MMBENCH" run $long --dir "$S" --out "$P/out"
livepid=$pid
live=$(ls "$S")
# shellcheck disable=SC2086
"$MMBENCH" run $small --dir "$S" --out "$T/other" >/dev/null 2>"$T/err2" || fail "run beside a live one: $(cat "$T/err2")"
! grep -q removed "$T/err2" || fail "a live run's file was reported stale: $(cat "$T/err2")"
[ "$(ls "$S")" = "$live" ] || fail "the live run's scratch file changed: $(ls "$S")"
kill -TERM $livepid
wait $livepid 2>/dev/null || true
assert_no_scratch "$S"

if [ "$(id -u)" -ne 0 ] || ! unshare -p --fork --mount-proc true 2>/dev/null; then
    echo "SKIP (PID namespaces): unshare -p --fork --mount-proc needs root and a kernel that allows it"
    exit 0
fi
kill_and_rerun pidns unshare -p --fork --mount-proc --kill-child=KILL
kill_and_rerun pidns_shared_proc unshare -p --fork --kill-child=KILL
