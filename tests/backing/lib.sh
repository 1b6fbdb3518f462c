# Sourced by every backing test: `sh SCRIPT MMBENCH PYTHON`. The e2e tests'
# helpers ($MMBENCH, $PY, $HERE, a private work area $T on disk, fail, skip,
# assert_no_scratch, ...) plus the backing suite's shm checks.
. "$(cd "$(dirname "$0")/../e2e" && pwd)/lib.sh"

# shm objects of process $1 (the suite names them /mmbench-backing-PID-N).
shm_left() {
    find /dev/shm -maxdepth 1 -name "mmbench-backing-$1-*" 2>/dev/null
}

# Fails unless directory $1 holds no scratch file and process $2 left no shm object.
assert_clean() {
    assert_no_scratch "$1"
    left=$(shm_left "$2")
    [ -z "$left" ] || fail "shm object(s) left: $left"
}
