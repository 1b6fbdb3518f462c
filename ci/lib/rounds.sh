# Shared by ci/gate and ci/gate-quality (sourced, POSIX sh).
#
# Defaults of both: many short rounds rather than a few long ones. On a
# shared VM one run can be 25% off another, and the verdict works within
# pairs of rounds (base k next to head k), so more rounds of few repetitions
# judge better than a few long rounds in the same time.
# shellcheck disable=SC2034 # used by the scripts that source this file
MB_DEFAULT_REPS=6
#
# mb_rounds BIN_A BIN_B OUTDIR FIRST LAST [run options...]
#   Runs `BIN run` for rounds FIRST..LAST, each side into OUTDIR/A<i> or
#   OUTDIR/B<i>, JSON output only. Order ABBA (the default): odd rounds run
#   A then B, even rounds B then A, so a steady drift of the machine's speed
#   (a neighbour ramping up, the page cache filling) favours neither side,
#   and the first run of a pair (which can find colder caches) is A as often
#   as B. MB_ORDER=random draws each round's order from MB_ORDER_SEED
#   instead (against a periodic disturbance that ABBA could line up with).
#   MB_ENV_A / MB_ENV_B: extra VAR=value words for that side's runs
#   (ci/gate-quality preloads its slowdown shim through MB_ENV_B).
#   Adds --suite records and --reps $MB_DEFAULT_REPS when the options name
#   neither. Returns non-zero when a run fails to write its results.
mb_rounds() {
    _a=$1 _b=$2 _out=$3 _i=$4 _last=$5
    shift 5
    _suite="--suite records" _reps="--reps $MB_DEFAULT_REPS"
    for _o in "$@"; do
        case $_o in
            --suite|--suite=*) _suite="" ;;
            --reps|--reps=*|--quick) _reps="" ;;
        esac
    done
    mkdir -p "$_out"
    while [ "$_i" -le "$_last" ]; do
        if [ "${MB_ORDER:-abba}" = random ]; then
            _first=$(awk -v s="${MB_ORDER_SEED:-1}" -v i="$_i" 'BEGIN { srand(s * 7919 + i); print (rand() < 0.5) }')
        else
            _first=$((_i % 2))
        fi
        if [ "$_first" -eq 1 ]; then _order="A B"; else _order="B A"; fi
        for _side in $_order; do
            if [ "$_side" = A ]; then _bin=$_a _env=${MB_ENV_A-}; else _bin=$_b _env=${MB_ENV_B-}; fi
            _dir="$_out/$_side$_i"
            rm -rf "$_dir" # a round cut short earlier is run again
            # shellcheck disable=SC2086
            if ! env $_env "$_bin" run $_suite $_reps "$@" --out "$_dir" --format json --no-plot \
                    >"$_dir.log" 2>&1 || [ ! -s "$_dir/results.json" ]; then
                echo "rounds: run $_side$_i failed; its log:" >&2
                tail -n 20 "$_dir.log" >&2
                return 1
            fi
        done
        _i=$((_i + 1))
    done
}

# mb_round_files OUTDIR SIDE [LAST]: prints "--base F1 --base F2 ..." (SIDE A)
# or "--head ..." (SIDE B) for mmbench compare, rounds 1..LAST (default: all),
# in round order (so base k and head k are a pair).
mb_round_files() {
    _flag=--base
    [ "$2" = B ] && _flag=--head
    _k=1
    while [ -s "$1/$2$_k/results.json" ] && { [ -z "${3-}" ] || [ "$_k" -le "$3" ]; }; do
        printf '%s %s ' "$_flag" "$1/$2$_k/results.json"
        _k=$((_k + 1))
    done
}
