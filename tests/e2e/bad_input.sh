#!/bin/sh
# Item 10: every bad command line exits 2 with exactly one line on stderr that
# names the problem (and the valid choices where there is a list), and leaves
# no scratch file behind.
. "$(dirname "$0")/lib.sh"
S="$T/scratch"
mkdir "$S"
: >"$T/file"
n=0

# expect_usage "WORDS THE MESSAGE MUST HOLD (|-separated)" ARGS...
expect_usage() {
    want=$1
    shift
    n=$((n + 1))
    set +e
    "$MMBENCH" "$@" >"$T/stdout" 2>"$T/stderr"
    rc=$?
    set -e
    [ $rc -eq 2 ] || fail "[$*] exited $rc, want 2; stderr: $(cat "$T/stderr")"
    lines=$(wc -l <"$T/stderr")
    [ "$lines" -eq 1 ] || fail "[$*] wrote $lines lines on stderr: $(cat "$T/stderr")"
    old_ifs=$IFS
    IFS='|'
    for w in $want; do
        grep -qF -- "$w" "$T/stderr" || fail "[$*] message lacks '$w': $(cat "$T/stderr")"
    done
    IFS=$old_ifs
    assert_no_scratch "$S"
    [ -z "$(ls -A "$S")" ] || fail "[$*] left in --dir: $(ls -A "$S")"
    assert_no_scratch "$T"
}

# run WORDS ARGS...: a records run on a small case with ARGS appended
run() {
    w=$1
    shift
    expect_usage "$w" run --suite records --quick --records 10 --no-plot --dir "$S" \
        --out "$T/new$n/out" "$@"
    [ ! -e "$T/new$n" ] || fail "[$*] created --out's parent before refusing"
}

expect_usage "nope|records" run --suite nope
expect_usage "--suite" run --records 10
expect_usage "frobnicate|run" frobnicate
run "nope|fread|mmap|floor" --methods read,nope
run "--methods" --methods ""
run "--frobnicate|--records" --frobnicate 1
run "'extra'" extra
run "--quick" --quick=1
run "hot|cold|warm" --cache hot
run "sideways|sequential|random" --access sideways
run "xml|csv|json" --format csv,xml
run "--records|out of range" --records 0
run "--record-size|out of range" --record-size 0
run "--records|-5" --records -5
run "--record-size|-5" --record-size -5
run "--records|1.5" --records 1.5
run "--record-size|1.5" --record-size 1.5
run "--record-size|12Q" --record-size 12Q
run "--record-size|too large" --record-size 99999999999999999999999
run "--records|out of range" --records 100000000000
run "--records|1 GiB" --records 100000000 --record-size 1M
run "--records|1 GiB" --records 100000000
run "--reps|out of range" --reps 0
run "--reps" --reps
run "--cpu|CPU 4095" --cpu 4095
run "--cpu|whole number" --cpu first
run "--cpu 99999|does not exist|allowed" --cpu 99999
run "--suite given more than once|bogus" --suite bogus
run "--out|characters" --out "$(head -c 5000 /dev/zero | tr '\0' x)"
run "--records|1 GiB" --records 1000000 --record-size 2K
# $TMPDIR as the default scratch directory is named as TMPDIR, not --dir
n=$((n + 1))
set +e
TMPDIR=/nonexistent "$MMBENCH" run --suite records --quick --no-plot --out "$T/tmpdir1" >/dev/null 2>"$T/stderr"
rc=$?
set -e
[ $rc -eq 2 ] || fail "TMPDIR=/nonexistent: exit $rc"
grep -q "TMPDIR=/nonexistent" "$T/stderr" || fail "TMPDIR=/nonexistent: $(cat "$T/stderr")"
! grep -q -- "--dir:" "$T/stderr" || fail "TMPDIR=/nonexistent reported as --dir: $(cat "$T/stderr")"
[ ! -e "$T/tmpdir1" ] || fail "TMPDIR=/nonexistent: --out was created"
if [ "$(id -u)" -eq 0 ]; then
    n=$((n + 1))
    set +e
    TMPDIR=/proc "$MMBENCH" run --suite records --quick --no-plot --out "$T/tmpdir2" >/dev/null 2>"$T/stderr"
    rc=$?
    set -e
    [ $rc -eq 2 ] || fail "TMPDIR=/proc: exit $rc: $(cat "$T/stderr")"
    grep -q "TMPDIR=/proc" "$T/stderr" || fail "TMPDIR=/proc: $(cat "$T/stderr")"
    [ ! -e "$T/tmpdir2" ] || fail "TMPDIR=/proc: --out was created"
fi
# scratch directory: missing, below a regular file, not writable
expect_usage "$T/missing" run --suite records --quick --no-plot --dir "$T/missing" --out "$T/o1"
[ ! -e "$T/missing" ] || fail "a missing --dir was created"
expect_usage "$T/file/sub" run --suite records --quick --no-plot --dir "$T/file/sub" --out "$T/o2"
expect_usage "$T/file|not a directory" run --suite records --quick --no-plot --dir "$T/file" --out "$T/o4"
expect_usage "'/proc'" run --suite records --quick --no-plot --dir /proc --out "$T/o3"
# results directory: below a regular file, inside /proc
expect_usage "--out|$T/file/out" run --suite records --quick --no-plot --dir "$S" --out "$T/file/out"
expect_usage "--out|/proc/" run --suite records --quick --no-plot --dir "$S" \
    --out /proc/mmbench-e2e-out
expect_usage "--out|$T/file" run --suite records --quick --no-plot --dir "$S" --out "$T/file"
[ ! -s "$T/file" ] || fail "the regular file given as --out was written to"
echo "ok: $n bad command lines refused"
