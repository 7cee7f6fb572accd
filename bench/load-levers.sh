#!/usr/bin/env bash
# The load levers of issue 17 that need no change to the page's code, each measured with
# bench/load.mjs against the release site in dist/ (run `trunk build --release --offline
# --public-url /kqlab/` first):
#
#   bench/load-levers.sh [RUNS]
#
#  - as built (Trunk already preloads the wasm module and the glue: <link rel=preload> and
#    <link rel=modulepreload> in dist/index.html);
#  - without those two preload tags (what they are worth);
#  - the wasm served as application/octet-stream (no streaming compilation: wasm-bindgen's glue
#    falls back to downloading everything, then compiling);
#  - the same module through wasm-opt at other levels than the shipped -Oz (-Os, -O2, -O3).
#
# Variants are copies of dist/ in target/bench/dist-*; a variant's wasm replaces the shipped
# one and index.html's integrity hash for it is updated. Prints one load table per variant.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
RUNS="${1:-3}"
OUT="$ROOT/target/bench"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
mkdir -p "$OUT"
wasm_name="$(sed -n 's/.*wasm=\([A-Za-z0-9_.-]*\.wasm\).*/\1/p' dist/index.html | head -1)"
flags="$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html | head -n 1)"

variant() { # NAME: a fresh copy of dist/
  rm -rf "$OUT/dist-$1"
  cp -a dist "$OUT/dist-$1"
  echo "$OUT/dist-$1"
}

set_wasm() { # DIR FILE: the module and its integrity hash in index.html
  local dir="$1" file="$2" old new
  old="$(openssl dgst -sha384 -binary "$dir/$wasm_name" | openssl base64 -A)"
  cp "$file" "$dir/$wasm_name"
  new="$(openssl dgst -sha384 -binary "$dir/$wasm_name" | openssl base64 -A)"
  python3 - "$dir/index.html" "$old" "$new" <<'PY'
import sys
p, old, new = sys.argv[1:]
s = open(p).read()
open(p, "w").write(s.replace(old, new))
PY
}

run() { # LABEL DIST [ARGS]
  local label="$1" dir="$2"
  shift 2
  echo "== $label" >&2
  node bench/load.mjs --dist "$dir" --runs "$RUNS" --label "$label ($(gzip -9c "$dir/$wasm_name" | wc -c) bytes of wasm gzip)" "$@"
}

run "as built (-Oz, preload tags)" dist
d="$(variant nopreload)"
sed -i -e 's#<link[^>]*rel=modulepreload>##' -e 's#<link[^>]*rel=preload[^>]*>##' "$d/index.html"
run "without the preload and modulepreload tags" "$d"
run "wasm served as application/octet-stream" dist --wasm-mime application/octet-stream

# wasm-opt levels: the module from the same cargo build, through wasm-bindgen again.
raw="$OUT/wasm-levels"
rm -rf "$raw"
wasm-bindgen --target web --no-typescript --out-dir "$raw" "$TARGET/wasm32-unknown-unknown/web/app.wasm"
for level in Os O2 O3; do
  # shellcheck disable=SC2086 # the flags are words
  wasm-opt $flags "-$level" "$raw/app_bg.wasm" -o "$raw/app-$level.wasm"
  d="$(variant "$level")"
  set_wasm "$d" "$raw/app-$level.wasm"
  run "wasm-opt -$level instead of -Oz" "$d"
done
