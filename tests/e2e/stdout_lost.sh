#!/bin/sh
# Standard output that cannot be written (a full device, a pipe closed by
# `head`) costs no result: the files are complete, stderr says what
# happened, and the exit status is 1, not 0 and not a death by SIGPIPE.
. "$(dirname "$0")/lib.sh"
S="$T/scratch"
mkdir "$S"
small="--suite records --quick --records 200 --methods read,mmap --no-plot --dir $S"
if [ -w /dev/full ]; then
    set +e
    # shellcheck disable=SC2086
    "$MMBENCH" run $small --out "$T/full" >/dev/full 2>"$T/err"
    rc=$?
    set -e
    [ $rc -eq 1 ] || fail ">/dev/full: exit $rc, want 1: $(cat "$T/err")"
    grep -q "standard output" "$T/err" || fail ">/dev/full: no message: $(cat "$T/err")"
    assert_absent_or_complete "$T/full" ""
    [ -e "$T/full" ] || fail ">/dev/full: results lost"
    set +e
    "$MMBENCH" --version >/dev/full 2>/dev/null
    rc=$?
    set -e
    [ $rc -eq 1 ] || fail "--version >/dev/full: exit $rc, want 1"
else
    echo "SKIP (/dev/full): not writable here"
fi
# `| head -1`: mmbench's status is read through a file, as sh has no pipefail.
# shellcheck disable=SC2086
{
    rc=0
    "$MMBENCH" run $small --out "$T/head" 2>"$T/err" || rc=$?
    echo $rc >"$T/rc"
} | head -1 >/dev/null
rc=$(cat "$T/rc")
[ "$rc" -eq 1 ] || fail "| head -1: exit $rc, want 1: $(cat "$T/err")"
assert_absent_or_complete "$T/head" ""
[ -e "$T/head" ] || fail "| head -1: results lost"
assert_no_scratch "$S"
echo ok
