#!/bin/sh
# End-to-end tests of `mmbench compare` with the real binary: a run against
# itself, the same run with a known slowdown written into the file, every
# output format, merged rounds, Google Benchmark's own test inputs, failed
# and missing data, and every kind of bad input (one line on stderr, exit 2,
# no crash, no wait). Exit codes: 0 pass, 1 regression, 2 usage, 3 inconclusive.
# usage: e2e.sh PATH/TO/mmbench PATH/TO/tests/compare
set -u
mmbench=$1 src=$2
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmbench-compare-e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect CODES NAME -- command...: checks the exit code (one of CODES, e.g.
# 0 or 0,3), keeps stdout/stderr.
expect() {
    code=$1 name=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    case ",$code," in
        *",$rc,"*) ok ;;
        *) ko "$name: exit $rc, want $code"; sed 's/^/  | /' "$tmp/err" | head -5; head -30 "$tmp/out" | sed 's/^/  > /' ;;
    esac
}
# one_line NAME: stderr is exactly one line starting with "mmbench compare:".
one_line() {
    if [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^mmbench compare: ' "$tmp/err"; then ok
    else ko "$1: stderr is not one message line"; sed 's/^/  | /' "$tmp/err" | head -5; fi
}
has() { # NAME FILE PATTERN
    if grep -q -- "$3" "$2"; then ok; else ko "$1: no '$3' in output"; head -40 "$2" | sed 's/^/  | /'; fi
}

# --- real runs: warm cache only, two cheap methods, 20 repetitions --------
run() { # DIR METHODS
    "$mmbench" run --suite records --methods "$2" --cache warm --reps 20 \
        --warmup 1 --min-time-us 300 --records 200 --out "$1" --format json --no-plot \
        >"$1.log" 2>&1 || { echo "run failed:"; cat "$1.log"; exit 1; }
}
run "$tmp/a" mmap,floor
run "$tmp/c" floor,read
A=$tmp/a/results.json B=$tmp/b.json B4=$tmp/b4.json
# The slowdown is written into a copy of A, so the verdict rests on nothing
# that timing noise can move: 100x, because on a loaded machine one run's
# repetitions can spread over more than 4x, and then a 4x copy overlaps it.
"$py" "$src/scale_rows.py" "$A" "$B" "/mmap/" 100
"$py" "$src/scale_rows.py" "$A" "$B4" "/mmap/" 4

# The same file on both sides: nothing can be slower; a noisy case may be
# inconclusive (one run of 20 cannot always rule out 15%), never slower.
expect 0,3 "A/A identical" -- "$mmbench" compare "$A" "$A"
has "A/A identical" "$tmp/out" "^0 slower, 0 failed, "

expect 1 "A/B mmap x100" -- "$mmbench" compare "$A" "$B"
has "A/B slower rows" "$tmp/out" "records/mmap/cache:warm/readahead:default .*SLOWER"
has "A/B slower rows" "$tmp/out" "records/mmap/cache:warm/readahead:off .*SLOWER"
has "A/B summary" "$tmp/out" "REGRESSION (exit 1)"

expect 1 "reproducible" -- "$mmbench" compare "$A" "$B" --format json
cp "$tmp/out" "$tmp/json1"
"$mmbench" compare "$A" "$B" --format json >"$tmp/json2"
if cmp -s "$tmp/json1" "$tmp/json2"; then ok; else ko "same input, different output"; fi
has "json" "$tmp/json1" '"exit_code": 1'
has "json" "$tmp/json1" '"p_two_sided"'
# The default family-wise alpha is the false-alarm target of one comparison.
has "default alpha" "$tmp/json1" '"alpha": 0.02'

expect 0,3 "reverse is faster" -- "$mmbench" compare "$B" "$A" --format markdown --filter mmap
has "markdown" "$tmp/out" ":rocket: faster"

expect 0,3 "huge threshold" -- "$mmbench" compare "$A" "$B4" --threshold 10
expect 1 "filter" -- "$mmbench" compare "$A" "$B" --filter 'mmap/.*readahead:off'
has "filter" "$tmp/out" "(Holm, 1 benchmarks)"
expect 2 "filter matching nothing" -- "$mmbench" compare "$A" "$B" --filter 'nothing-matches'
one_line "filter matching nothing"
expect 0,3 "counter metric" -- "$mmbench" compare "$A" "$B" --metric os_calls --threshold 10
expect 1 "cpu_time" -- "$mmbench" compare "$A" "$B" --metric cpu_time --filter mmap
expect 2 "unknown metric" -- "$mmbench" compare "$A" "$B" --metric no_such_counter
one_line "unknown metric"
expect 1 "merged rounds" -- "$mmbench" compare --base "$A" --base "$A" --head "$B" --head "$B" --head "$B"
has "merged label" "$tmp/out" "head: .* + 2 more (merged)"
# Benchmarks of base that head lost are failures; new ones in head are listed.
expect 1 "one side only" -- "$mmbench" compare "$A" "$tmp/c/results.json" --threshold 10
has "missing in head" "$tmp/out" "records/mmap/cache:warm/readahead:default .*FAILED (missing in head)"
has "only in head" "$tmp/out" "only in head (2, new, not compared): records/read/"
# Two paired rounds cannot decide (the signed-rank test's smallest p is 1/4);
# eight can (4 benchmarks x 2^-8 < alpha 0.02).
expect 3 "two paired rounds" -- "$mmbench" compare --base "$A" --base "$A" --head "$B" --head "$B"
has "two paired rounds" "$tmp/out" "inconclusive (too few usable repetitions"
eight="--base $A --base $A --base $A --base $A --base $A --base $A --base $A --base $A"
eight="$eight --head $B --head $B --head $B --head $B --head $B --head $B --head $B --head $B"
# shellcheck disable=SC2086
expect 1 "paired rounds" -- "$mmbench" compare $eight
has "paired rounds" "$tmp/out" "rounds: 8 paired (base k with head k) for 4 of 4 benchmarks"
expect 1 "unpaired rounds" -- "$mmbench" compare --base "$A" --base "$A" --head "$B" --head "$B" --unpaired
if grep -q "paired (base k" "$tmp/out"; then ko "--unpaired still paired"; else ok; fi
expect 0 "help" -- "$mmbench" compare --help
has "help exit codes" "$tmp/out" "3  inconclusive"

# --- Google Benchmark files (Debian's libbenchmark-tools samples) ---------
gb=/usr/share/benchmark/gbench/Inputs
if [ -f "$gb/test1_run1.json" ]; then
    # One repetition each, BM_2xSlower among them: never a green check mark.
    expect 3 "gbench test1" -- "$mmbench" compare "$gb/test1_run1.json" "$gb/test1_run2.json"
    has "gbench single reps" "$tmp/out" "BM_2xSlower .*inconclusive (too few usable repetitions"
    expect 3 "gbench test1 markdown" -- "$mmbench" compare "$gb/test1_run1.json" "$gb/test1_run2.json" --format markdown
    if grep -q white_check_mark "$tmp/out"; then ko "gbench test1: green check mark"; else ok; fi
    expect 3 "gbench test2 vs itself" -- "$mmbench" compare "$gb/test2_run.json" "$gb/test2_run.json"
    expect 0,1,3 "gbench test3" -- "$mmbench" compare "$gb/test3_run0.json" "$gb/test3_run1.json"
    expect 3 "gbench test4 (no times)" -- "$mmbench" compare "$gb/test4_run.json" "$gb/test4_run.json"
    has "gbench test4 excluded" "$tmp/out" "excluded entries"
else
    echo "note: $gb not installed (libbenchmark-tools); Google Benchmark samples not checked"
fi
# Units and errored / NaN entries, from the committed seeds.
expect 3 "units" -- "$mmbench" compare "$src/fuzz/corpus/gbench_units.json" "$src/fuzz/corpus/gbench_units.json"
has "mixed units converted" "$tmp/out" "BM_c  *1.05 s  *1.05 s"
expect 3 "NaN, Infinity, zero" -- "$mmbench" compare "$src/fuzz/corpus/gbench_nonfinite.json" "$src/fuzz/corpus/gbench_nonfinite.json"
has "NaN named" "$tmp/out" "BM_x: base 3 of 3 (real_time is NaN, Infinity or null)"
expect 3 "errors" -- "$mmbench" compare "$src/fuzz/corpus/gbench_errors.json" "$src/fuzz/corpus/gbench_errors.json"
has "errored entry named" "$tmp/out" "BM_err: base 1 of 1 (did not run: boom line two)"
# Base benchmarks absent from head fail the gate (nothing was compared).
expect 1 "nothing in common" -- "$mmbench" compare "$src/fuzz/corpus/gbench_units.json" "$src/fuzz/corpus/old_format.json"

# --- a head with no usable data fails; a denormal base is no ratio ----------
"$py" - "$A" "$tmp" <<'PYEOF'
import json, sys
a, tmp = sys.argv[1], sys.argv[2]
doc = json.load(open(a))
for kind in ("errored", "nan", "zero", "negative", "nometric"):
    d = json.loads(json.dumps(doc))
    for e in d["benchmarks"]:
        if e.get("run_type") == "iteration" and "/mmap/" in e["name"]:
            if kind == "errored":
                e.update(error_occurred=True, error_message="boom", real_time=0, cpu_time=0)
            elif kind == "nan":
                e["real_time"] = float("nan")
            elif kind == "zero":
                e["real_time"] = 0
            elif kind == "negative":
                e["real_time"] = -5
            else:
                del e["real_time"]
    json.dump(d, open(f"{tmp}/head_{kind}.json", "w"))
d = json.loads(json.dumps(doc))
for e in d["benchmarks"]:
    if e.get("run_type") == "iteration" and "/mmap/" in e["name"]:
        e["real_time"] = 1e-320
        e["time_unit"] = "ns"
json.dump(d, open(f"{tmp}/base_denormal.json", "w"))
PYEOF
for kind in errored nan zero negative nometric; do
    expect 1 "head $kind" -- "$mmbench" compare "$A" "$tmp/head_$kind.json"
    has "head $kind" "$tmp/out" "records/mmap/cache:warm/readahead:off .*FAILED (failed in head"
done
expect 3 "denormal base" -- "$mmbench" compare "$tmp/base_denormal.json" "$A"
has "denormal base" "$tmp/out" "records/mmap/cache:warm/readahead:off .*inconclusive (no usable data in base)"
has "denormal named" "$tmp/out" "real_time is denormal"
if grep -q "SLOWER\|+inf" "$tmp/out"; then ko "denormal base gave an infinite ratio"; else ok; fi

# --- escaping: a name with an escape sequence and HTML --------------------
printf '{"benchmarks":[{"name":"x\u001b[2J<b>hi</b>","real_time":1,"time_unit":"ns"}]}' >"$tmp/evil.json"
expect 3 "escape table" -- "$mmbench" compare "$tmp/evil.json" "$tmp/evil.json"
if grep -q "$(printf '\033')" "$tmp/out"; then ko "escape reached the terminal"; else ok; fi
has "escape shown" "$tmp/out" 'x\\x1b\[2J<b>hi</b>'
expect 3 "escape markdown" -- "$mmbench" compare "$tmp/evil.json" "$tmp/evil.json" --format markdown
if grep -q "<b>" "$tmp/out"; then ko "HTML passed into markdown"; else ok; fi

# --- input that must not hang or exhaust memory ----------------------------
expect 2 "device" -- "$mmbench" compare "$A" /dev/zero
one_line "device"
has "device named" "$tmp/err" "/dev/zero is not a regular file"
mkfifo "$tmp/fifo"
if command -v timeout >/dev/null 2>&1; then
    expect 2 "fifo without writer" -- timeout 10 "$mmbench" compare "$A" "$tmp/fifo"
    has "fifo named" "$tmp/err" "fifo is not a regular file (a FIFO)"
fi
head -c 5000 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
printf '{"benchmarks":[]}' >"$tmp/tiny.json"
expect 2 "max-input" -- "$mmbench" compare "$tmp/tiny.json" "$tmp/big.json" --max-input 4K
has "max-input named" "$tmp/err" "big.json is 5000 bytes, more than --max-input 4096"
expect 2 "max-input stdin" -- sh -c "head -c 9000 /dev/zero | \"$mmbench\" compare \"$tmp/tiny.json\" - --max-input 4K"
has "max-input stdin named" "$tmp/err" "standard input holds more than --max-input 4096 bytes"

# --- bad input: one line, exit 2 -------------------------------------------
printf 'not json at all' >"$tmp/notjson"
printf '{"context":{}}' >"$tmp/nobench"
printf '{"benchmarks":[{"name":"x","real_time":"fast"}]}' >"$tmp/wrongtype"
printf '' >"$tmp/empty"
head -c 3000 "$A" >"$tmp/truncated"
for bad in /nonexistent/base.json "$tmp" "$tmp/notjson" "$tmp/nobench" "$tmp/wrongtype" \
           "$tmp/empty" "$tmp/truncated" "$src/fuzz/corpus/bad_unit.json" \
           "$src/fuzz/corpus/bad_top_array.json" "$src/fuzz/corpus/bad_entry_string.json"; do
    expect 2 "bad base $bad" -- "$mmbench" compare "$bad" "$A"
    one_line "bad base $bad"
    expect 2 "bad head $bad" -- "$mmbench" compare "$A" "$bad"
    one_line "bad head $bad"
done
for args in "" "$A" "$A $B $B" "--threshold abc $A $B" "--threshold -1 $A $B" \
            "--alpha 2 $A $B" "--format xml $A $B" "--filter ( $A $B" "--bogus $A $B" \
            "--resamples 0 $A $B" "--seed -3 $A $B" "--base $A $B" "$A $B --metric" \
            "--threshold 1e999 $A $B" "--alpha 0 $A $B" "--confidence 1.5 $A $B" \
            "--max-input 0 $A $B" "--unpaired=1 $A $B" "--head $A $A $B"; do
    # shellcheck disable=SC2086
    expect 2 "usage: '$args'" -- "$mmbench" compare $args
done
expect 2 "usage one line" -- "$mmbench" compare --threshold abc "$A" "$B"
one_line "usage one line"
# A seed with a leading space must not wrap to 2^64 - 1.
expect 2 "seed ' -1'" -- "$mmbench" compare --seed ' -1' "$A" "$B"
one_line "seed ' -1'"
expect 2 "seed 2^64" -- "$mmbench" compare --seed 18446744073709551616 "$A" "$B"

echo "compare e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
