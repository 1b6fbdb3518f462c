#!/bin/sh
# --out and --dir with quotes, spaces, backslashes, newlines, a leading dash
# and gnuplot/shell syntax: the run succeeds, the chart is drawn, the CSV
# files stay plain tables, and nothing in a path is ever run as code.
. "$(dirname "$0")/lib.sh"
command -v gnuplot >/dev/null 2>&1 || skip "gnuplot is not installed"
small="--suite records --quick --quiet --records 30 --methods read,mmap --cache warm --readahead default"
nl='
'
cd "$T"
n=0
for name in "it's a \"quoted\" dir" 'back\slash\\' "new${nl}line" '-dash' \
    "o';system('touch PWNED');'" 'x$(touch PWNED2)`touch PWNED3`' 'semi;colon & amp |pipe' \
    'pct%s%n{brace}[1]^_@'; do
    n=$((n + 1))
    mkdir -- "$T/s$n"
    D="$T/s$n/$name"
    mkdir -- "$D"
    # shellcheck disable=SC2086
    "$MMBENCH" run $small --dir "$D" --out "$name" >"$T/out" 2>"$T/err" ||
        fail "[$name] exited $?: $(cat "$T/err")"
    [ ! -s "$T/err" ] || fail "[$name] stderr: $(cat "$T/err")"
    for f in samples.csv summary.csv results.json records.svg records.png; do
        [ -s "./$name/$f" ] || fail "[$name] no $f"
    done
    "$PY" - "./$name" <<'PYEOF' || fail "[$name] results do not read back"
import csv, io, json, os, sys
d = sys.argv[1]
for f in ("samples.csv", "summary.csv"):
    # The table: everything before the first comment line, if any.
    with open(os.path.join(d, f), newline="") as fh:
        text = fh.read()
    cut = text.find("\n#")
    rows = list(csv.reader(io.StringIO(text if cut < 0 else text[:cut + 1])))
    assert len(rows) >= 2, f
    assert all(len(r) == len(rows[0]) for r in rows), f + ": ragged rows"
ctx = json.load(open(os.path.join(d, "results.json")))["context"]
assert ctx["options"]["out"] == os.path.basename(d), ctx["options"]["out"]
PYEOF
    [ -z "$(ls -A "$D")" ] || fail "[$name] scratch left: $(ls -A "$D")"
    assert_no_staging "$T"
done
for p in PWNED PWNED2 PWNED3; do
    [ ! -e "$T/$p" ] || fail "a path ran code: $p exists"
    [ ! -e "$HERE/$p" ] || fail "a path ran code: $p exists"
done
echo "ok: $n hostile names"
