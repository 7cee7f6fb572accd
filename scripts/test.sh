#!/usr/bin/env bash
# The full test: native tests, a bounded fuzz pass, the wasm build, clippy, the release site
# build, and the end-to-end tests of that site in headless Chromium. CI runs this (.ci/run).
#
#   scripts/test.sh
#
# Fails on the first failing step. Prints each step's duration and a size report at the end.
set -euo pipefail
source "$(dirname "$0")/env.sh"
started=$(date +%s)

step "setup (installs only what is missing)"
scripts/setup.sh
step_done

step "cargo test (native: library, binaries, integration tests)"
cargo test --all-targets
step_done

step "cargo test --doc"
cargo test --doc
step_done

# (`cargo test` above already ran the stable fuzz pass, tests/fuzz_bounded.rs, with a fixed
# seed and overflow checks; `scripts/fuzz.sh` alone runs it for a set time.)
step "bounded fuzz pass: cargo fuzz (libFuzzer), about 60 s per target, see RELIABILITY.md"
FUZZ_RUNS=${FUZZ_RUNS:-ci} FUZZ_SECS=${FUZZ_SECS:-240} scripts/fuzz.sh --libfuzzer
step_done

step "cargo build --lib --target wasm32-unknown-unknown"
cargo build --lib --target wasm32-unknown-unknown
step_done

step "cargo fmt --check (rustfmt.toml; the fuzz crate too)"
cargo fmt --check
(cd fuzz && cargo fmt --check)
step_done

step "cargo clippy, native and wasm32, warnings are errors"
cargo clippy --all-targets -- -D warnings
cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings
step_done

step "kqlab lessons check (every lesson in lessons/ validates at 12 session clocks over two weeks) and the coverage table is current"
# The data follows the session clock (the hour of the day and the day of the week), so a lesson
# that validates now may not at another hour: check at the current hour and 11 more spread over
# two weeks (about 2 s of CPU each). `--clocks 168` checks every hour of a week, all there is.
cargo run --release --quiet -- lessons check --show 0 --clocks 12
cargo run --release --quiet -- lessons coverage --check
step_done

step "differential tests against ClickHouse's KQL dialect (tests/differential)"
tests/differential/run.sh --show none
step_done

step "trunk build --release --public-url /kqlab/"
trunk build --release --offline --public-url /kqlab/
step_done

step "end-to-end tests in headless Chromium (site served under /kqlab/)"
node --test --test-concurrency=1 tests/e2e/
step_done

step "size of the first load"
scripts/size.sh dist
step_done

echo
echo "All steps passed in $(( $(date +%s) - started ))s:"
printf '%s\n' "${STEP_LOG[@]}"
