#!/bin/sh
# 50 runs, each sent one terminating signal (HUP INT QUIT TERM PIPE USR1 USR2
# ALRM XCPU XFSZ, picked at random) at a random moment, from before the
# first case to after the chart. Whatever the moment, --out is either absent
# (as before the run) or complete, and no scratch file, staged set or lock
# is left. A run the signal reached dies of it; one it missed exits 0.
# Runs are tiny (seconds in all); nothing here is timed.
. "$(dirname "$0")/lib.sh"
ulimit -c 0 # SIGQUIT, SIGXCPU and SIGXFSZ dump core by default
S="$T/scratch"
mkdir "$S"
sigs="HUP INT QUIT TERM PIPE USR1 USR2 ALRM XCPU XFSZ"
gnuplot_ok=0
command -v gnuplot >/dev/null 2>&1 && gnuplot_ok=1
died=0
for i in $(seq 1 50); do
    P="$T/p$i"
    mkdir "$P"
    sig=$(echo $sigs | tr ' ' '\n' | sed -n "$(($(random_below 10) + 1))p")
    # Half the runs draw the chart, so that signals also land in the chart step.
    plot="--no-plot"
    charts=""
    if [ $gnuplot_ok = 1 ] && [ $((i % 2)) = 0 ]; then
        plot=""
        charts="records.svg records.png"
    fi
    # The script's own background jobs start with INT and QUIT ignored, which
    # mmbench keeps: give every signal its default action back.
    # shellcheck disable=SC2086
    env --default-signal "$MMBENCH" run --suite records --reps 2 --warmup 0 --min-time-us 0 \
        --records 300 --methods read,mmap --dir "$S" --out "$P/out" $plot \
        >/dev/null 2>"$T/err" &
    pid=$!
    ms=$(random_below 400)
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    kill -s "$sig" $pid 2>/dev/null || true
    set +e
    wait $pid
    rc=$?
    set -e
    case $rc in
    0) ;;
    1) fail "run $i (SIG$sig after $ms ms) failed: $(cat "$T/err")" ;;
    *)
        [ $rc -gt 128 ] || fail "run $i (SIG$sig after $ms ms): exit $rc: $(cat "$T/err")"
        died=$((died + 1))
        ;;
    esac
    assert_absent_or_complete "$P/out" "$charts"
    assert_no_staging "$P"
    assert_no_scratch "$S"
    [ -z "$(ls -A "$S")" ] || fail "run $i (SIG$sig after $ms ms) left in --dir: $(ls -A "$S")"
    # (A signal after the commit's rename kills a run whose --out is complete.)
done
echo "ok: 50 runs, $died killed by their signal, every --out absent or complete, nothing left"
