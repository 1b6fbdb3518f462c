# Sourced by every backing test: `sh SCRIPT MMBENCH PYTHON`. Gives $MMBENCH,
# $PY, $HERE, a private work area $T on disk (removed at exit) and helpers.
# Exit 77 means skipped.
set -eu
MMBENCH=$1
PY=$2
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d "${MB_E2E_TMP:-/var/tmp}/mbtest-backing.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# shm objects of process $1 (the suite names them /mmbench-backing-PID-N).
shm_left() {
    find /dev/shm -maxdepth 1 -name "mmbench-backing-$1-*" 2>/dev/null
}

# Fails unless directory $1 holds no scratch file and process $2 left no shm object.
assert_clean() {
    left=$(find "$1" -maxdepth 1 -name 'mmbench-*' 2>/dev/null)
    [ -z "$left" ] || fail "scratch file(s) left in $1: $left"
    left=$(shm_left "$2")
    [ -z "$left" ] || fail "shm object(s) left: $left"
}
