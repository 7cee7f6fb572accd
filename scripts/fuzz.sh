#!/usr/bin/env bash
# A bounded fuzz pass over everything kqlab reads from outside: queries (lexer, parser,
# binder, executor), lesson files, CSV files, stored progress, share links and JSON.
#
#   scripts/fuzz.sh                      # both passes, FUZZ_SECS (default 20) s per target each
#   FUZZ_SECS=60 scripts/fuzz.sh         # longer
#   FUZZ_STABLE_SECS=10 scripts/fuzz.sh  # the stable pass's time per target (default FUZZ_SECS)
#   FUZZ_RUNS=ci scripts/fuzz.sh         # a fixed number of inputs per target (what CI runs)
#   FUZZ_SEED=7 scripts/fuzz.sh          # libFuzzer's seed (default 1: a fresh clone explores
#                                        # the same inputs in the same order, so CI runs a
#                                        # prefix of what a longer local run has checked)
#   scripts/fuzz.sh --stable             # only the stable pass (no cargo-fuzz needed)
#   scripts/fuzz.sh --libfuzzer run gen_query   # only libFuzzer, only these targets
#
# 1. The stable pass: tests/fuzz_bounded.rs (a seeded generator and mutators, no coverage
#    feedback) and tests/it/limits.rs, built optimised but with integer overflow checks on (so
#    an overflow is a finding, as in the libFuzzer build) in fuzz/target/stable.
# 2. The coverage-guided pass: cargo fuzz (libFuzzer) on stable Rust, built with
#    `--sanitizer none` (sanitizers need nightly). Targets are in fuzz/fuzz_targets/: parse,
#    run, gen_query, lesson, csv, app_state, json. The corpora start from the conformance
#    queries (tests/cases/*.kqltest), the lessons, the CSV fixtures and a few progress/share/
#    JSON samples, and grow in fuzz/corpus/ (ignored by git). A crash, a hang (> 10 s on one
#    input) or more than 2 GiB of memory stops the pass; the input is saved in
#    fuzz/artifacts/<target>/ and reproduces with
#      cargo fuzz run -s none <target> fuzz/artifacts/<target>/<file>
#    (for gen_query, KQLAB_FUZZ_PRINT=1 prints the generated query).
#
# Prints the executions of every target at the end. Exit status 1 on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECS:-20}
stable_secs=${FUZZ_STABLE_SECS:-$secs}
# Corpora grow in fuzz/corpus/ between local runs; the fixed-runs mode starts from the seeds
# alone every time (fuzz/corpus-ci/), as a fresh clone does.
corpus_root=fuzz/corpus
if [ "${FUZZ_RUNS:-}" = ci ]; then corpus_root=fuzz/corpus-ci; rm -rf "$corpus_root" "$corpus_root-found"; fi
all=(parse run gen_query lesson csv app_state json)
stable=1
libfuzzer=1
case "${1:-}" in
    --stable) libfuzzer=0; shift ;;
    --libfuzzer) stable=0; shift ;;
esac
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
summary=()

if [ "$stable" = 1 ]; then
    echo "== stable pass: tests/fuzz_bounded.rs (${stable_secs}s per target) and tests/it/limits.rs"
    log=$(mktemp)
    list=$(IFS=,; echo "${targets[*]}")
    if ! (
        export CARGO_TARGET_DIR=fuzz/target/stable CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true \
            KQLAB_FUZZ_SECS="$stable_secs" KQLAB_FUZZ_TARGETS="$list"
        cargo test --release --test fuzz_bounded -- --nocapture && cargo test --release --test it limits:: -- --nocapture
    ) >"$log" 2>&1; then
        grep -a -v '^\s*[0-9]*: \|^\s*at ' "$log" | tail -60
        echo "FAILED: the stable pass (inputs in fuzz/target/stable/tmp/fuzz-findings/)"
        rm -f "$log"
        exit 1
    fi
    while IFS= read -r line; do summary+=("stable    $line"); done < <(grep -a 'inputs in' "$log" | sed 's/; slowest:.*//' | sed 's/^ *//')
    rm -f "$log"
fi

if [ "$libfuzzer" = 1 ]; then
    if ! cargo fuzz --version >/dev/null 2>&1; then
        echo "== installing cargo-fuzz 0.13.2"
        cargo install cargo-fuzz --version 0.13.2 --locked
    fi
    echo "== building the libFuzzer targets (cargo fuzz build --sanitizer none)"
    cargo fuzz build -s none

    # Seed corpora (idempotent: files are named by content).
    seed() { # seed <target> <file...>
        local dir=$corpus_root/$1; shift
        mkdir -p "$dir"
        for f in "$@"; do cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"; done
    }
    seed_text() { # seed_text <target> <text>
        local dir=$corpus_root/$1
        mkdir -p "$dir"
        printf '%s' "$2" > "$dir/seed-$(printf '%s' "$2" | sha1sum | cut -c1-16)"
    }
    queries=$(mktemp -d)
    awk -v out="$queries" '
        /^(query|error)/ { inq = 1; n++; next }
        /^----$/ { inq = 0; next }
        inq { f = out "/q" n; printf "%s%s", (seen[n]++ ? "\n" : ""), $0 > f; close(f) }
    ' tests/cases/*.kqltest
    for t in parse run; do seed "$t" "$queries"/q*; done
    rm -rf "$queries"
    seed lesson lessons/*.toml lessons/index.toml
    mkdir -p $corpus_root/csv
    for f in lessons/*.csv tests/fixtures/*.csv; do
        for mode in 0 1; do # the first byte picks strict (even) or lenient (odd)
            { printf '%s' "$mode"; cat "$f"; } > "$corpus_root/csv/seed-$mode-$(sha1sum "$f" | cut -c1-16)"
        done
    done
    seed_text json '{"a": [1, 2.5, -3e10, "x\u00e9\"", true, null, {"b": {}}], "c": 9223372036854775807}'
    seed_text json '[[[[[[[[[[1]]]]]]]]]]'
    seed_text app_state '{"version": 1, "lessons": {"following-the-click": {"current": "recent", "steps": {"recent": {"passed": true, "query": "UrlClickEvents | take 1", "hints": 2, "solution": false}}}}, "last": "following-the-click", "playground": "print 1"}'
    seed_text app_state 'lesson=following-the-click&step=spike&q=VXJsQ2xpY2tFdmVudHMgfCB0YWtlIDE'
    mkdir -p $corpus_root/gen_query
    [ -n "$(ls -A $corpus_root/gen_query)" ] || head -c 4096 /dev/zero | tr '\0' '\1' > $corpus_root/gen_query/seed-ones

    for t in "${targets[@]}"; do
        # FUZZ_RUNS=ci: a fixed number of inputs per target (about 60 s each on two cores),
        # so that with the fixed seed a build explores (almost exactly, see RELIABILITY.md)
        # the same inputs wherever it runs. FUZZ_SECS stays as a cap.
        runs_flag=()
        if [ "${FUZZ_RUNS:-}" = ci ]; then
            case "$t" in
                parse|run|csv) n=250000 ;;
                gen_query) n=100000 ;;
                lesson) n=40000 ;;
                *) n=3000000 ;;
            esac
            runs_flag=(-runs="$n")
            echo "== libFuzzer: $t, $n inputs (at most ${secs}s)"
        else
            echo "== libFuzzer: $t for ${secs}s"
        fi
        mkdir -p "fuzz/artifacts/$t" "$corpus_root/$t"
        # The fixed-runs mode removes the three things that made runs differ between machines
        # and between runs (a small difference remains, RELIABILITY.md):
        # - libFuzzer reads a corpus folder in the file system's listing order and sorts it
        #   by size only, so equal-sized seeds start in a different order: the seeds are
        #   handed over as a list in name order, and new inputs go to a folder that starts
        #   empty;
        # - it re-reads the corpus folder every second (-reload=0 turns that off);
        # - the operands of traced comparisons include pointers, whose values depend on the
        #   address layout and feed the mutations (-use_cmp=0). Timed local runs keep
        #   comparison tracing, which finds keywords faster.
        corpus_dir=$corpus_root/$t
        seed_flag=()
        if [ "${FUZZ_RUNS:-}" = ci ]; then
            corpus_dir=$corpus_root-found/$t
            rm -rf "$corpus_dir"; mkdir -p "$corpus_dir"
            seed_list=$(mktemp)
            seed_dir=$(cd "$corpus_root/$t" && pwd)
            find "$seed_dir" -type f | LC_ALL=C sort | paste -sd, - > "$seed_list"
            # libFuzzer skips a listed file it cannot read without a word: check the list.
            [ -s "$seed_list" ] || { echo "fuzz.sh: no seeds for $t"; exit 1; }
            while IFS= read -r f; do
                [ -r "$f" ] || { echo "fuzz.sh: the seed list names a missing file: $f"; exit 1; }
            done < <(tr , '\n' < "$seed_list")
            seed_flag=(-seed_inputs="@$seed_list" -reload=0 -use_cmp=0)
        fi
        log=$(mktemp)
        status=0
        t_start=$SECONDS
        cargo fuzz run -s none "$t" "$corpus_dir" -- "${seed_flag[@]}" \
            -seed="${FUZZ_SEED:-1}" "${runs_flag[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=65536 \
            -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"$log" 2>&1 || status=$?
        if [ "$status" -ne 0 ]; then
            grep -a -v '^\s*[0-9]*: \|^\s*at ' "$log" | grep -a -B2 -A12 'panicked at\|ERROR:\|Failing input' | head -60
            echo "FAILED: libFuzzer target $t (exit $status); the input is in fuzz/artifacts/$t/"
            rm -f "$log"
            exit 1
        fi
        runs=$(grep -a -oE '^Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo "?")
        cov=$(grep -a -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
        rss=$(grep -a -oE 'peak_rss_mb: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
        corpus=$(find "$corpus_dir" -type f | wc -l)
        rm -f "$log" "${seed_list:-}"
        took=$(( SECONDS - t_start ))
        summary+=("$(printf 'libFuzzer %-10s %9s executions in %ss, %s coverage edges, corpus %s, peak RSS %s MiB' "$t" "$runs" "$took" "$cov" "$corpus" "$rss")")
    done
fi

echo
echo "Fuzz pass finished with no findings:"
printf '  %s\n' "${summary[@]}"
