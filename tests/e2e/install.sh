#!/bin/sh
# `cmake --install` gives a working mmbench anywhere: the binary, its chart
# scripts found relative to it (the prefix is moved after installing), the
# manual page and the bash completion generated from the option tables (every
# option `mmbench list` shows is in both), and --version with the commit.
. "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$MMBENCH")
[ -f "$BUILD/cmake_install.cmake" ] || skip "$BUILD is not a CMake build directory"
[ -f "$BUILD/mmbench.1" ] || skip "no generated manual page in $BUILD (cross build?)"
cmake --install "$BUILD" --prefix "$T/prefix" >"$T/install.log" 2>&1 || fail "install: $(cat "$T/install.log")"
mv "$T/prefix" "$T/moved"
P="$T/moved"
[ -x "$P/bin/mmbench" ] || fail "no bin/mmbench"
man1="$P/share/man/man1/mmbench.1"
comp="$P/share/bash-completion/completions/mmbench"
[ -f "$man1" ] || fail "no man page"
[ -f "$comp" ] || fail "no bash completion"

"$P/bin/mmbench" --version >"$T/version"
grep -Eq '^mmbench [0-9]+\.[0-9]+\.[0-9]+( [0-9a-f]{7,40})?$' "$T/version" || fail "--version: $(cat "$T/version")"

# Every option of every table, in the man page and the completion.
"$P/bin/mmbench" list | grep -Eo -- '--[a-z][a-z-]*' | sort -u >"$T/options"
[ -s "$T/options" ] || fail "mmbench list shows no option"
while read -r opt; do
    esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
    grep -q -- "$esc" "$man1" || fail "$opt missing from the man page"
    grep -q -- "$opt" "$comp" || fail "$opt missing from the bash completion"
done <"$T/options"
if command -v man >/dev/null 2>&1; then
    man -l "$man1" >/dev/null 2>"$T/man.err" || fail "man page does not render: $(cat "$T/man.err")"
fi
if command -v bash >/dev/null 2>&1; then
    got=$(bash -c ". '$comp'; COMP_WORDS=(mmbench run --cache w); COMP_CWORD=3; _mmbench; echo \"\${COMPREPLY[*]}\"")
    [ "$got" = warm ] || fail "completion of --cache w: '$got'"
fi

# The installed binary draws its chart with the installed scripts.
command -v gnuplot >/dev/null 2>&1 || skip "gnuplot is not installed"
mkdir "$T/s"
env -u MMBENCH_SCRIPTS "$P/bin/mmbench" run --suite records --quick --records 20 --methods read \
    --cache warm --readahead default --format csv,json --dir "$T/s" --out "$T/o" >"$T/out" 2>&1 ||
    fail "installed run: $(cat "$T/out")"
for f in records.svg records.png; do
    [ -s "$T/o/$f" ] || fail "installed run drew no $f: $(cat "$T/out")"
done
echo ok
