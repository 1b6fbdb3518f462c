#!/bin/sh
# A comma-decimal locale (de_DE.UTF-8) changes nothing: the CSV keeps '.'
# decimals and the chart is drawn. The locale is generated with localedef
# into the work area when the system does not have it.
. "$(dirname "$0")/lib.sh"
command -v gnuplot >/dev/null 2>&1 || skip "gnuplot is not installed"
loc=""
for l in de_DE.UTF-8 de_DE.utf8 fr_FR.UTF-8 fr_FR.utf8; do
    if [ "$(LC_ALL=$l /usr/bin/printf '%.1f' 1.5 2>/dev/null)" = "1,5" ]; then loc=$l; break; fi
done
if [ -z "$loc" ]; then
    command -v localedef >/dev/null 2>&1 || skip "no comma-decimal locale and no localedef"
    mkdir "$T/locales"
    localedef -i de_DE -f UTF-8 "$T/locales/de_DE.UTF-8" >/dev/null 2>&1 ||
        skip "localedef cannot build de_DE.UTF-8 (the locales package's sources are missing)"
    LOCPATH="$T/locales"
    export LOCPATH
    loc=de_DE.UTF-8
fi
[ "$(LC_ALL=$loc /usr/bin/printf '%.1f' 1.5)" = "1,5" ] || skip "$loc does not use a decimal comma here"
S="$T/scratch"
mkdir "$S"
LANG=$loc LC_ALL=$loc "$MMBENCH" run --suite records --quick --records 30 --methods read,mmap \
    --cache warm --dir "$S" --out "$T/o" >"$T/out" 2>"$T/err" || fail "exited $?: $(cat "$T/err")"
grep -q "chart not drawn" "$T/err" && fail "$(cat "$T/err")"
for f in records.svg records.png; do
    [ -s "$T/o/$f" ] || fail "no $f under $loc: $(cat "$T/err")"
done
"$PY" - "$T/o/summary.csv" <<'PYEOF' || fail "summary.csv is not '.'-decimal under $loc"
import csv, sys
rows = [r for r in csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#"))]
for r in rows:
    float(r["wall_ns_median"])
PYEOF
echo "ok: $loc"
