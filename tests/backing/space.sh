#!/bin/sh
# A largest size that does not fit in --dir is refused up front: exit 2, a
# message naming the free space, nothing written. --dir is a 2 MiB tmpfs in
# a private mount namespace (unshare -m as root, or -rm in a user
# namespace), so the machine's mounts are never touched; skipped when
# neither is allowed.
. "$(dirname "$0")/lib.sh"
mkdir "$T/small"
cat >"$T/inner.sh" <<'INNER'
set -u
mount -t tmpfs -o size=2m tmpfs "$1" || exit 77
"$2" run --suite backing --sizes 1M,4M --kinds file --dir "$1" --out "$3" --no-plot \
    >/dev/null 2>"$4"
rc=$?
find "$1" -name 'mmbench-*' | grep -q . && exit 99
exit $rc
INNER
run_inner() {
    unshare "$@" sh "$T/inner.sh" "$T/small" "$MMBENCH" "$T/out" "$T/err"
}
set +e
if [ "$(id -u)" -eq 0 ]; then run_inner -m; else run_inner -r -m; fi 2>/dev/null
rc=$?
set -e
case $rc in
77 | 1) [ -s "$T/err" ] || { echo "SKIP: cannot mount a private tmpfs here"; exit 77; } ;;
esac
[ $rc -ne 99 ] || fail "a scratch file was written"
[ $rc -eq 2 ] || fail "exit status $rc, want 2 ($(cat "$T/err"))"
grep -q "MiB free; the largest size needs 4 MiB" "$T/err" || fail "message: $(cat "$T/err")"
[ ! -e "$T/out/samples.csv" ] || fail "results written"
echo "space: $(cat "$T/err")"
