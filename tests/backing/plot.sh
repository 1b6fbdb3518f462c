#!/bin/sh
# The chart: a subset of kinds and sizes draws (SVG and PNG, non-empty);
# no summary, a summary of another suite, or hostile cells in the CSV never
# make it draw garbage or run anything: it exits non-zero or draws data.
. "$(dirname "$0")/lib.sh"
command -v gnuplot >/dev/null 2>&1 || { echo "SKIP: no gnuplot"; exit 77; }
PLOT="$HERE/../../scripts/plot-backing"
mkdir "$T/scratch"
"$MMBENCH" run --suite backing --kinds memfd,file --sizes 1M --reps 2 --warmup 0 \
    --dir "$T/scratch" --out "$T/out" --no-plot --quiet --format csv >/dev/null 2>&1 ||
    fail "run failed"
"$PLOT" "$T/out" "$T/chart" >/dev/null || fail "a subset did not draw"
for f in backing.svg backing.png; do
    [ -s "$T/chart/$f" ] || fail "$f missing or empty"
done
grep -q memfd "$T/chart/backing.svg" || fail "the SVG does not name memfd"
left=$(find "$T/chart" -name '.plot-backing.*')
[ -z "$left" ] || fail "temporary folder left: $left"

mkdir "$T/empty"
if "$PLOT" "$T/empty" 2>/dev/null; then fail "drew without a summary.csv"; fi
printf 'suite,case,status\nrecords,x,ok\n' >"$T/empty/summary.csv"
if "$PLOT" "$T/empty" 2>/dev/null; then fail "drew from another suite's summary"; fi

# A cell with quotes, a newline and gnuplot syntax is data, never code.
mkdir "$T/hostile"
"$PY" - "$T/out/summary.csv" "$T/hostile/summary.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for r in rows:
    if r["kind"] == "memfd":
        r["kind"] = 'x"; system("touch PWNED") #\nq'
with open(sys.argv[2], "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
PYEOF
(cd "$T/hostile" && "$PLOT" "$T/hostile" >/dev/null 2>&1) || fail "hostile cells made it fail"
[ ! -e "$T/hostile/PWNED" ] && [ ! -e PWNED ] || fail "a CSV cell ran a command"
echo "chart: subset, missing, foreign and hostile summaries handled"
