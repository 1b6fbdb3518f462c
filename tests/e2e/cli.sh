#!/bin/sh
# The CLI's informational commands: --version, --help, run --help, list.
. "$(dirname "$0")/lib.sh"
"$MMBENCH" --version >"$T/v" || fail "--version exited $?"
grep -Eq '^mmbench [0-9]+\.[0-9]+\.[0-9]+' "$T/v" || fail "--version printed: $(cat "$T/v")"
"$MMBENCH" --help >"$T/h" || fail "--help exited $?"
grep -q "run --suite" "$T/h" || fail "--help does not show run"
"$MMBENCH" run --suite records --help >"$T/rh" || fail "run --help exited $?"
for opt in --records --record-size --methods --cache --readahead --access --reps --warmup \
    --dir --out --format --seed --quick; do
    grep -q -- "$opt" "$T/rh" || fail "run --help lacks $opt"
done
"$MMBENCH" list >"$T/l" || fail "list exited $?"
for word in records fread fread-nobuf read pread mmap floor; do
    grep -qw -- "$word" "$T/l" || fail "list lacks $word"
done
# no command: usage on stderr, exit 2
set +e
"$MMBENCH" >/dev/null 2>"$T/e"
rc=$?
set -e
[ $rc -eq 2 ] || fail "no command exited $rc"
grep -q usage "$T/e" || fail "no usage text on stderr"
echo ok
