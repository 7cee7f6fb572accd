#!/usr/bin/env bash
# A bounded coverage-guided fuzz pass with libFuzzer (cargo fuzz, on stable Rust: built with
# `--sanitizer none`, so it needs no nightly toolchain).
#
#   scripts/fuzz.sh                  # every target, FUZZ_SECS (default 30) seconds each
#   FUZZ_SECS=60 scripts/fuzz.sh run gen_query
#
# Targets (fuzz/fuzz_targets/): parse, run, gen_query, lesson, csv, app_state, json.
# The corpora start from the conformance queries (tests/cases/*.kqltest), the lessons, the
# CSV fixtures and a few JSON/progress/share samples, and grow in fuzz/corpus/ (ignored by
# git). A crash, a hang (> 10 s on one input) or more than 2 GiB of memory stops the pass
# with the input saved under fuzz/artifacts/<target>/; reproduce it with
#   cargo fuzz run -s none <target> fuzz/artifacts/<target>/<file>
# Prints executions per target at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECS:-30}
all=(parse run gen_query lesson csv app_state json)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz 0.13.2"
    cargo install cargo-fuzz --version 0.13.2 --locked
fi

echo "== building the fuzz targets (cargo fuzz build --sanitizer none)"
cargo fuzz build -s none

# Seed corpora (idempotent: files are named by content).
seed() { # seed <target> <file...>: copy files into the corpus
    local dir=fuzz/corpus/$1; shift
    mkdir -p "$dir"
    for f in "$@"; do cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"; done
}
seed_text() { # seed_text <target> <text>
    local dir=fuzz/corpus/$1
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
seed lesson lessons/*.toml
for f in lessons/*.csv tests/fixtures/*.csv; do
    for mode in 0 1; do  # the first byte picks strict (even) or lenient (odd)
        dir=fuzz/corpus/csv; mkdir -p $dir
        { printf '%s' "$mode"; cat "$f"; } > "$dir/seed-$mode-$(sha1sum "$f" | cut -c1-16)"
    done
done
seed_text json '{"a": [1, 2.5, -3e10, "x\u00e9\"", true, null, {"b": {}}], "c": 9223372036854775807}'
seed_text json '[[[[[[[[[[1]]]]]]]]]]'
seed_text app_state '{"version": 1, "lessons": {"following-the-click": {"current": "recent", "steps": {"recent": {"passed": true, "query": "UrlClickEvents | take 1", "hints": 2, "solution": false}}}}, "last": "following-the-click", "playground": "print 1"}'
seed_text app_state 'lesson=following-the-click&step=spike&q=VXJsQ2xpY2tFdmVudHMgfCB0YWtlIDE'
mkdir -p fuzz/corpus/gen_query
[ -n "$(ls -A fuzz/corpus/gen_query)" ] || head -c 4096 /dev/zero | tr '\0' '\1' > fuzz/corpus/gen_query/seed-ones

summary=()
for t in "${targets[@]}"; do
    echo "== fuzzing $t for ${secs}s"
    mkdir -p "fuzz/artifacts/$t" "fuzz/corpus/$t"
    log=$(mktemp)
    status=0
    cargo fuzz run -s none "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"$log" 2>&1 || status=$?
    runs=$(grep -oE '^Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo "?")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
    corpus=$(ls "fuzz/corpus/$t" | wc -l)
    if [ "$status" -ne 0 ]; then
        tail -40 "$log"
        echo "FAILED: $t (exit $status); the input is in fuzz/artifacts/$t/"
        rm -f "$log"
        exit 1
    fi
    rm -f "$log"
    summary+=("$(printf '%-10s %10s executions in %ss, coverage %s edges, corpus %s inputs' "$t" "$runs" "$secs" "$cov" "$corpus")")
done
echo
echo "Fuzz pass finished, no findings:"
printf '  %s\n' "${summary[@]}"
