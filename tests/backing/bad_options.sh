#!/bin/sh
# Options the suite refuses with exit status 2 and a message, before any
# scratch file is written.
. "$(dirname "$0")/lib.sh"
mkdir "$T/scratch"
for args in "--sizes 0" "--sizes 512K" "--sizes 2G" "--sizes 1M,abc" "--sizes 1048577" \
    "--kinds bogus" "--kinds file,nothing" "--sizes"; do
    set +e
    # shellcheck disable=SC2086 # word splitting of $args is intended
    "$MMBENCH" run --suite backing $args --dir "$T/scratch" --out "$T/out" --no-plot \
        >/dev/null 2>"$T/err"
    rc=$?
    set -e
    [ $rc -eq 2 ] || fail "'$args': exit status $rc, want 2 ($(cat "$T/err"))"
    [ -s "$T/err" ] || fail "'$args': no message"
    assert_clean "$T/scratch" none
    echo "'$args': exit 2: $(head -1 "$T/err")"
done
