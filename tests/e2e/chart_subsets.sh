#!/bin/sh
# Every subset of cases draws its chart: each method alone, each cache state
# alone, each readahead setting alone, and a larger record size. An absent
# group is simply absent; a chart that cannot be drawn fails the run.
. "$(dirname "$0")/lib.sh"
command -v gnuplot >/dev/null 2>&1 || skip "gnuplot is not installed"
S="$T/scratch"
mkdir "$S"
base="--suite records --reps 1 --warmup 0 --min-time-us 0 --records 40 --format csv,json --dir $S"
methods=$("$MMBENCH" list | sed -n '/^methods:/,/^$/p' | awk 'NF && !/^methods:/ { print $1 }')
[ -n "$methods" ] || fail "no methods listed"
n=0
check() {
    n=$((n + 1))
    # shellcheck disable=SC2086
    "$MMBENCH" run $base --out "$T/o$n" "$@" >"$T/out" 2>"$T/err" ||
        fail "[$*] exited $?: $(cat "$T/err")"
    grep -q "chart not drawn" "$T/err" && fail "[$*]: $(cat "$T/err")"
    for f in records.svg records.png; do
        [ -s "$T/o$n/$f" ] || fail "[$*] drew no $f: $(cat "$T/err")"
    done
    grep -q "chart: $T/o$n/records.svg" "$T/out" || fail "[$*] does not say where the chart is"
}
for m in $methods; do
    check --methods "$m" --cache warm --readahead default
done
check --methods read --cache warm
check --methods read --cache cold
check --methods read,mmap --readahead default --cache warm
check --methods read,mmap --readahead off --cache warm
check --methods mmap --record-size 4K --records 100 --cache warm
assert_no_scratch "$S"
echo "ok: $n subsets drew their chart"
