#!/bin/sh
# An --out that already holds results is refused (exit 2, one line) and its
# files are left exactly as they were; an --out holding only unrelated files
# is used and those files are not touched. Clean runs leave no scratch file.
. "$(dirname "$0")/lib.sh"
S="$T/scratch"
mkdir "$S"
small="--suite records --quick --records 50 --methods read --cache warm --readahead default --no-plot"

# shellcheck disable=SC2086
"$MMBENCH" run $small --dir "$S" --out "$T/out" >/dev/null 2>"$T/err" || fail "first run: $(cat "$T/err")"
assert_no_scratch "$S"
cp -p "$T/out/samples.csv" "$T/out/summary.csv" "$T/out/results.json" "$T/"
ls -l --time-style=full-iso "$T/out" >"$T/before"

set +e
# shellcheck disable=SC2086
"$MMBENCH" run $small --dir "$S" --out "$T/out" >/dev/null 2>"$T/err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "second run into the same --out exited $rc: $(cat "$T/err")"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "stderr: $(cat "$T/err")"
grep -q "already holds" "$T/err" || fail "message does not say why: $(cat "$T/err")"
for f in samples.csv summary.csv results.json; do
    cmp -s "$T/$f" "$T/out/$f" || fail "$f changed"
done
ls -l --time-style=full-iso "$T/out" >"$T/after"
cmp -s "$T/before" "$T/after" || fail "--out listing changed: $(diff "$T/before" "$T/after")"
assert_no_scratch "$S"

# a folder holding anything else is refused too (a result set is moved into
# place as one directory), and left alone; an empty folder is used
mkdir "$T/notes"
echo "my notes" >"$T/notes/notes.txt"
set +e
# shellcheck disable=SC2086
"$MMBENCH" run $small --dir "$S" --out "$T/notes" >/dev/null 2>"$T/err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "run into a folder with notes exited $rc: $(cat "$T/err")"
grep -q "notes.txt" "$T/err" || fail "message does not name what is there: $(cat "$T/err")"
[ "$(ls -A "$T/notes")" = notes.txt ] || fail "the folder with notes changed: $(ls -A "$T/notes")"
[ "$(cat "$T/notes/notes.txt")" = "my notes" ] || fail "notes.txt changed"
mkdir "$T/empty"
# shellcheck disable=SC2086
"$MMBENCH" run $small --dir "$S" --out "$T/empty" >/dev/null 2>"$T/err" || fail "run into an empty folder: $(cat "$T/err")"
[ -f "$T/empty/summary.csv" ] || fail "no summary.csv written"
[ -z "$(ls -A "$T" | grep mmbench)" ] || fail "left beside --out: $(ls -A "$T")"
assert_no_scratch "$S"
echo ok
