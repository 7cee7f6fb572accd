#!/usr/bin/env bash
# Builds the web app as the release build does, but with its wasm function names kept, so that
# a CPU profile of the worker (bench/profile.mjs) names Rust functions instead of wasm-function[N].
#
#   bench/build-profiling.sh [DIST]      (default target/dist-prof)
#
# Two things normally drop the names: the `web` cargo profile strips symbols, and wasm-opt
# removes the name section unless given -g. The first is overridden through the environment;
# for the second, Trunk builds a copy of index.html with -g added to the wasm-opt flags. The
# copy must sit next to index.html (Trunk resolves the asset paths relative to it) and is
# removed afterwards. Extra environment (CARGO_PROFILE_WEB_OPT_LEVEL=3, ...) passes through.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIST="${1:-$ROOT/target/dist-prof}"
HTML="$ROOT/.index-names.html"
trap 'rm -f "$HTML"' EXIT
sed 's/data-wasm-opt-params="/&-g /' index.html > "$HTML"
grep -q 'data-wasm-opt-params="-g ' "$HTML" || { echo "build-profiling.sh: no data-wasm-opt-params in index.html" >&2; exit 1; }
CARGO_PROFILE_WEB_STRIP=false trunk build --release --offline --public-url /kqlab/ \
  --dist "$DIST" --html-output index.html "$HTML"
