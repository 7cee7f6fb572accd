# Sourced by the other scripts: run from the repository root with the project's tools on PATH.
# shellcheck shell=bash
KQLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$KQLAB_ROOT"
export PATH="$KQLAB_ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Pinned tool versions (see docs/WEB.md). wasm-bindgen-cli must equal the wasm-bindgen crate
# in Cargo.lock; setup.sh reads it from there.
TRUNK_VERSION="0.21.14"
WASM_OPT_VERSION="132"

# The wasm-bindgen version locked in Cargo.lock.
wasm_bindgen_locked() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# Prints a step banner and remembers when it started; `step_done` prints its duration.
step() {
  STEP_NAME="$*"
  STEP_START=$(date +%s)
  printf '\n\033[1m==> %s\033[0m\n' "$STEP_NAME"
}
step_done() {
  local took=$(( $(date +%s) - STEP_START ))
  printf '    done in %ss: %s\n' "$took" "$STEP_NAME"
  STEP_LOG+=("$(printf '%5ss  %s' "$took" "$STEP_NAME")")
}
STEP_LOG=()
