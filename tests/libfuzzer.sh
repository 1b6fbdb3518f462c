# Shared by the libFuzzer drivers (tests/fuzz/run-fuzz.sh,
# tests/compare/fuzz/run-fuzz.sh), sourced by them. Each driver compiles
# its own target with "$cc" $MB_FUZZ_CFLAGS and then calls mb_fuzz_run.

# Sets cc to a clang with a libFuzzer runtime, or exits 77 (ctest's
# "skipped") saying which package is missing.
mb_fuzz_find_clang() {
    cc=""
    for c in clang clang-14 clang-15 clang-16; do
        if command -v "$c" >/dev/null 2>&1; then cc=$c; break; fi
    done
    if [ -z "$cc" ]; then
        echo "SKIP: clang is not installed (apt-get install clang libclang-rt-14-dev)"
        exit 77
    fi
    rt=$("$cc" -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
    case $rt in
        /*) [ -f "$rt" ] || rt="" ;;
        *) rt="" ;;
    esac
    if [ -z "$rt" ]; then
        echo "SKIP: $cc has no libFuzzer runtime (apt-get install libclang-rt-14-dev)"
        exit 77
    fi
}

# Sets work to WORKDIR ($1, created) or to a temporary folder removed at exit.
mb_fuzz_workdir() {
    if [ -n "${1:-}" ]; then
        work=$1
        mkdir -p "$work"
        keep=1
    else
        work=$(mktemp -d "${TMPDIR:-/tmp}/mmbench-fuzz.XXXXXX")
        keep=0
        trap 'rm -rf "$work"' EXIT
    fi
}

MB_FUZZ_CFLAGS="-std=c17 -g -O1 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"

# mb_fuzz_run BINARY SECONDS DICT MAX_LEN SEEDS: fuzzes for SECONDS from the
# committed SEEDS (read only; new inputs go to $work/corpus). Exits 1 with
# the log's tail on a crash, leak or timeout (artifacts in $work).
mb_fuzz_run() {
    mkdir -p "$work/corpus"
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    "$1" -max_total_time="$2" -dict="$3" -max_len="$4" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$5" 2>"$work/fuzz.log" || {
        tail -n 60 "$work/fuzz.log"
        echo "FUZZ FAILURE: see $work (artifacts: crash-*, leak-*, timeout-*)"
        [ "$keep" = 1 ] || trap - EXIT
        exit 1
    }
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)" "$work/fuzz.log" || true
    echo "no crash in $2 s"
}
