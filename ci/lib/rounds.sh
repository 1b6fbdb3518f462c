# Shared by ci/gate and ci/gate-quality (sourced, POSIX sh).
#
# Defaults of both: many short rounds rather than a few long ones. On a
# shared VM a single run can be 25% off another (measured: ci/gate-quality),
# and the verdict's interval is built over rounds, so ten rounds of 12
# repetitions judge better than five of 25 in the same time.
# shellcheck disable=SC2034 # used by the scripts that source this file
MB_DEFAULT_ROUNDS=10
MB_DEFAULT_REPS=12
#
# mb_rounds BIN_A BIN_B OUTDIR ROUNDS [run options...]
#   Runs `BIN run` in alternating rounds A B A B ... (ROUNDS of each), each
#   into OUTDIR/A<i> or OUTDIR/B<i>, with JSON output only. Interleaving is
#   the point: a shared runner's speed drifts over minutes, and alternating
#   spreads the drift over both sides instead of handing it to one.
#   MB_ENV_A / MB_ENV_B: extra VAR=value words for that side's runs (the
#   quality script puts its test-only slowdown knob in MB_ENV_B).
#   Adds --suite records and --reps $MB_DEFAULT_REPS when the options name
#   neither. Returns non-zero when a run fails to write its results.
mb_rounds() {
    _a=$1 _b=$2 _out=$3 _rounds=$4
    shift 4
    _suite="--suite records" _reps="--reps $MB_DEFAULT_REPS"
    for _o in "$@"; do
        case $_o in
            --suite|--suite=*) _suite="" ;;
            --reps|--reps=*|--quick) _reps="" ;;
        esac
    done
    mkdir -p "$_out"
    _i=1
    while [ "$_i" -le "$_rounds" ]; do
        for _side in A B; do
            if [ "$_side" = A ]; then _bin=$_a _env=${MB_ENV_A-}; else _bin=$_b _env=${MB_ENV_B-}; fi
            _dir="$_out/$_side$_i"
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

# mb_round_files OUTDIR SIDE: prints "--base F1 --base F2 ..." (SIDE A) or
# "--head ..." (SIDE B) for mmbench compare.
mb_round_files() {
    _flag=--base
    [ "$2" = B ] && _flag=--head
    for _f in "$1/$2"*/results.json; do
        printf '%s %s ' "$_flag" "$_f"
    done
}
