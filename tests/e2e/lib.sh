# Sourced by every e2e script: `sh SCRIPT MMBENCH PYTHON`.
# Gives $MMBENCH, $PY, $HERE, a private work area $T (removed at exit) and
# helpers. Exit 77 means skipped (ctest SKIP_RETURN_CODE).
set -eu
MMBENCH=$1
PY=$2
HERE=$(cd "$(dirname "$0")" && pwd)
# Disk-backed by default: cold runs are impossible on tmpfs (/tmp often is).
T=$(mktemp -d "${MB_E2E_TMP:-/var/tmp}/mbtest-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

skip() {
    echo "SKIP: $*"
    exit 77
}

# Fails unless directory $1 holds no scratch file.
assert_no_scratch() {
    left=$(find "$1" -maxdepth 1 -name 'mmbench-*' 2>/dev/null)
    [ -z "$left" ] || fail "scratch file(s) left in $1: $left"
}

# Fails if directory $1 holds a temporary result file.
assert_no_tmp() {
    left=$(find "$1" -maxdepth 1 -name '*.tmp.*' 2>/dev/null)
    [ -z "$left" ] || fail "temporary file(s) left in $1: $left"
}

# Skips when $1 is on tmpfs/ramfs, where a cold run cannot be made.
require_disk() {
    case $(stat -f -c %T "$1") in
    tmpfs | ramfs) skip "$1 is $(stat -f -c %T "$1"); set MB_E2E_TMP to a disk-backed directory" ;;
    esac
}

# Fails unless directory $1 holds nothing mmbench leaves while it works: no
# staged result set, no lock of an --out.
assert_no_staging() {
    left=$(find "$1" -maxdepth 1 \( -name '.*.mmbench-new-*' -o -name '.*.mmbench-lock' \) 2>/dev/null)
    [ -z "$left" ] || fail "left in $1: $left"
}

# The invariant of an interrupted run: --out $1 is absent (the state before
# the run) or holds a complete result set (every file, JSON that parses, a
# CSV with a header and rows); $2 lists extra files a complete set has.
assert_absent_or_complete() {
    [ -e "$1" ] || return 0
    for f in samples.csv summary.csv results.json $2; do
        [ -s "$1/$f" ] || fail "$1 exists without $f: $(ls -A "$1")"
    done
    "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$1/results.json" ||
        fail "$1/results.json does not parse"
    [ "$(grep -vc '^#' "$1/summary.csv")" -ge 2 ] || fail "$1/summary.csv has no rows"
}

# A random whole number in [0, $1).
random_below() {
    echo $(($(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1))
}
