#!/bin/sh
# ci/gate's machinery without building or measuring anything: the round
# order (ABBA, or seeded random and reproducible), resuming rounds, the file
# lists handed to compare, and ci/gate's usage errors (exit 2).
# usage: gate_scripts.sh PATH/TO/SOURCE_TREE
set -u
src=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmbench-gate-scripts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
same() { # NAME GOT WANT
    if [ "$2" = "$3" ]; then ok; else ko "$1: got '$2', want '$3'"; fi
}

# Two fake mmbench binaries that log which side ran and write a results file.
for side in A B; do
    cat >"$tmp/fake$side" <<EOF2
#!/bin/sh
while [ \$# -gt 0 ]; do [ "\$1" = --out ] && out=\$2; shift; done
mkdir -p "\$out" && printf '{"benchmarks":[]}' >"\$out/results.json"
printf '$side ' >>"$tmp/log"
EOF2
    chmod +x "$tmp/fake$side"
done
# shellcheck source=ci/lib/rounds.sh
. "$src/ci/lib/rounds.sh"

mb_rounds "$tmp/fakeA" "$tmp/fakeB" "$tmp/r" 1 4 >/dev/null 2>&1
same "ABBA order" "$(cat "$tmp/log")" "A B B A A B B A "
: >"$tmp/log"
mb_rounds "$tmp/fakeA" "$tmp/fakeB" "$tmp/r" 5 6 >/dev/null 2>&1
same "resumed rounds" "$(cat "$tmp/log")" "A B B A "
same "file list" "$(mb_round_files "$tmp/r" B 2)" "--head $tmp/r/B1/results.json --head $tmp/r/B2/results.json "
same "all files" "$(mb_round_files "$tmp/r" A | wc -w)" "12"

for run in 1 2; do
    : >"$tmp/log"
    MB_ORDER=random MB_ORDER_SEED=7 mb_rounds "$tmp/fakeA" "$tmp/fakeB" "$tmp/x$run" 1 12 >/dev/null 2>&1
    cp "$tmp/log" "$tmp/random$run"
done
same "random order reproducible" "$(cat "$tmp/random1")" "$(cat "$tmp/random2")"
# Every round runs both sides once, and the order is not always the same.
pairs=$(awk '{ for (i = 1; i < NF; i += 2) print $i $(i + 1) }' "$tmp/random1" | sort | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')
case $pairs in *AA*|*BB*) ko "random order: a round ran one side twice ($pairs)" ;; *) ok ;; esac
case $pairs in *AB:*BA:*) ok ;; *) ko "random order never varied ($pairs)" ;; esac

# ci/gate's usage errors.
gate=$src/ci/gate
expect2() { # NAME args...
    name=$1
    shift
    sh "$gate" "$@" >"$tmp/out" 2>&1
    rc=$?
    if [ "$rc" -eq 2 ]; then ok; else ko "ci/gate $name: exit $rc, want 2"; head -3 "$tmp/out"; fi
}
expect2 "no arguments"
expect2 "one ref" HEAD
expect2 "bad count" --max-rounds x HEAD HEAD
expect2 "bad order" --order sometimes HEAD HEAD
expect2 "one round" --start-rounds 1 HEAD HEAD
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    expect2 "unknown revision" --repo "$src" no-such-revision-xyz HEAD
else
    echo "note: $src is not a git checkout; revision checks skipped"
fi

echo "gate scripts: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
