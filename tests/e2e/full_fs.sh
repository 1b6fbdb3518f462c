#!/bin/sh
# A full filesystem under --out or --dir (a small tmpfs; needs root): the
# run fails (exit 1) saying "No space left on device", --out's parent holds
# exactly what it held before (nothing: no partial set, no staging, no
# lock), --dir holds no scratch file, and the same command succeeds once
# there is room.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "mounting a small tmpfs needs root"
F="$T/fs"
mkdir "$F"
mount -t tmpfs -o size=48k,mode=0755 mmbench-e2e "$F" 2>"$T/merr" || skip "cannot mount a tmpfs: $(cat "$T/merr")"
trap 'umount "$F" 2>/dev/null; rm -rf "$T"' EXIT
S="$T/scratch"
mkdir "$S"
# About 100 KiB of results: more than the filesystem holds.
many="--suite records --reps 60 --warmup 0 --min-time-us 0 --records 50 --methods read,mmap --cache warm --no-plot"

set +e
# shellcheck disable=SC2086
"$MMBENCH" run $many --dir "$S" --out "$F/out" >/dev/null 2>"$T/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "full --out: exit $rc, want 1: $(cat "$T/err")"
grep -q "No space left on device" "$T/err" || fail "full --out: the reason is not given: $(cat "$T/err")"
[ -z "$(ls -A "$F")" ] || fail "full --out: left behind: $(ls -A "$F")"
assert_no_scratch "$S"

mount -o remount,size=8m "$F" || fail "cannot grow the tmpfs"
# shellcheck disable=SC2086
"$MMBENCH" run $many --dir "$S" --out "$F/out" >/dev/null 2>"$T/err" || fail "rerun with room: $(cat "$T/err")"
assert_absent_or_complete "$F/out" ""
[ -e "$F/out" ] || fail "rerun with room wrote nothing"
assert_no_staging "$F"

# A full --dir: the scratch file cannot be written.
D="$T/fs2"
mkdir "$D"
mount -t tmpfs -o size=16k,mode=0755 mmbench-e2e "$D" || fail "cannot mount a second tmpfs"
trap 'umount "$F" 2>/dev/null; umount "$D" 2>/dev/null; rm -rf "$T"' EXIT
set +e
"$MMBENCH" run --suite records --quick --records 100000 --methods read --cache warm --no-plot \
    --dir "$D" --out "$T/out2" >/dev/null 2>"$T/err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "full --dir: exit $rc, want 1: $(cat "$T/err")"
grep -q "No space left on device" "$T/err" || fail "full --dir: the reason is not given: $(cat "$T/err")"
[ -z "$(ls -A "$D")" ] || fail "full --dir: left behind: $(ls -A "$D")"
[ ! -e "$T/out2" ] || fail "full --dir: --out was created"
echo ok
