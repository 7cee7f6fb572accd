#!/usr/bin/env bash
# Runs the benchmarks and rewrites the measured sections of BENCHMARKS.md.
#
#   bench/run.sh                 everything: engine, memory, peers (1M and 100k rows), bundle size
#   bench/run.sh engine          cargo's engine benchmark only (kqlab bench, 100k and 1M rows)
#   bench/run.sh keys            the hashing benchmark: short, similar string keys (kqlab bench --keys)
#   bench/run.sh peers [ARGS]    kqlab vs DuckDB / chdb / Polars (ARGS go to peers.py)
#   bench/run.sh memory          bytes per row of the generated tables
#   bench/run.sh size            release web build (trunk), what the first load downloads and
#                                what the wasm module is made of (bench/wasm_components.py)
#   bench/run.sh browser         wasm in headless Chromium vs native, lesson steps, time to a
#                                usable lesson (bench/browser.mjs; needs the size build first)
#
# The peers run in a virtualenv under .tools/bench-venv with the pinned wheels of
# bench/requirements.txt (created on first use, recreated when that file changes). Results
# land in target/bench/ and, for the full run or a single section, in BENCHMARKS.md between
# the `<!-- bench:NAME -->` markers. Expect about 10 minutes for everything on 2 cores
# (data generation and the peers' CSV loading included), plus the first venv and builds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
VENV="${KQLAB_BENCH_VENV:-$ROOT/.tools/bench-venv}"
PYTHON="${PYTHON:-python3}"
REQ="$ROOT/bench/requirements.txt"
what="${1:-all}"
[ $# -gt 0 ] && shift

# shellcheck source=../scripts/venv.sh
. "$ROOT/scripts/venv.sh"
venv() { ensure_venv "$VENV" "$REQ" "$PYTHON"; }

kqlab() {
  cargo build --release --quiet --bin kqlab
  echo "${CARGO_TARGET_DIR:-$ROOT/target}/release/kqlab"
}

# Replaces the text between <!-- bench:NAME --> and <!-- /bench:NAME --> with a file.
splice() {
  local name="$1" file="$2"
  "$PYTHON" - "$ROOT/BENCHMARKS.md" "$name" "$file" <<'EOF'
import sys, re
path, name, src = sys.argv[1:4]
doc = open(path, encoding="utf-8").read()
body = open(src, encoding="utf-8").read().strip("\n")
pat = re.compile(r"(<!-- bench:%s -->\n).*?(\n<!-- /bench:%s -->)" % (re.escape(name), re.escape(name)), re.S)
if not pat.search(doc):
    sys.exit(f"BENCHMARKS.md has no <!-- bench:{name} --> section")
doc = pat.sub(lambda m: m.group(1) + body + m.group(2), doc)
open(path, "w", encoding="utf-8").write(doc)
EOF
}

machine() {
  {
    echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)), $(rustc --version)."
  } > "$OUT/machine.md"
  splice machine "$OUT/machine.md"
}

engine() {
  local bin
  bin="$(kqlab)"
  echo "== engine benchmark (kqlab bench --rows 100000,1000000)" >&2
  "$bin" bench --rows 100000,1000000 --json "$OUT/engine.json" > "$OUT/engine.md"
  # Keep only the query table; the memory table has its own section.
  sed -n '1,/^$/p' "$OUT/engine.md" > "$OUT/engine-queries.md"
  splice engine "$OUT/engine-queries.md"
}

memory() {
  local bin
  bin="$(kqlab)"
  echo "== memory (kqlab bench --memory --rows 1000000)" >&2
  "$bin" bench --memory --rows 1000000 --filter s1_ > "$OUT/memory.md"
  splice memory "$OUT/memory.md"
}

peers() {
  local bin
  venv
  bin="$(kqlab)"
  echo "== peers at 1,000,000 rows" >&2
  "$VENV/bin/python" bench/peers.py --kqlab "$bin" --work "$OUT" --rows 1000000 --repeat 7 --markdown "$OUT/peers-1m.md" --json "$OUT/peers-1m.json" "$@"
  echo "== peers at 100,000 rows" >&2
  "$VENV/bin/python" bench/peers.py --kqlab "$bin" --work "$OUT" --rows 100000 --repeat 11 --markdown "$OUT/peers-100k.md" --json "$OUT/peers-100k.json" "$@"
  splice peers-1m "$OUT/peers-1m.md"
  splice peers-100k "$OUT/peers-100k.md"
}

size() {
  echo "== release web build" >&2
  [ -d node_modules/.bin ] && export PATH="$ROOT/node_modules/.bin:$PATH"
  if ! command -v trunk >/dev/null || ! command -v wasm-opt >/dev/null; then
    echo "bench/run.sh: trunk or wasm-opt missing (scripts/setup.sh installs them); size skipped" >&2
    return 0
  fi
  trunk build --release --offline --public-url /kqlab/ >&2
  scripts/size.sh dist > "$OUT/size.md"
  splice size "$OUT/size.md"
  components
}

# The module by component: the same build with its function names kept (only the final link
# reruns), through wasm-bindgen and wasm-opt with index.html's flags plus -g, then
# bench/wasm_components.py.
components() {
  echo "== the wasm module by component" >&2
  local named="$OUT/named" flags
  flags="$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)"
  CARGO_PROFILE_WEB_STRIP=false cargo build --quiet --profile web --target wasm32-unknown-unknown --bin app
  rm -rf "$named"
  wasm-bindgen --target web --no-typescript --out-dir "$named" target/wasm32-unknown-unknown/web/app.wasm
  # shellcheck disable=SC2086 # the flags are words
  wasm-opt $flags -Oz -g "$named/app_bg.wasm" -o "$named/app.wasm"
  "$PYTHON" bench/wasm_components.py "$named/app.wasm" > "$OUT/components.md"
  splice components "$OUT/components.md"
}

browser() {
  [ -d dist ] || size
  kqlab >/dev/null
  echo "== wasm in headless Chromium vs native (bench/browser.mjs --rows 100000 --repeat 5)" >&2
  node bench/browser.mjs --rows 100000 --repeat 5 > "$OUT/browser.md"
  splice browser "$OUT/browser.md"
}

keys() {
  local bin
  bin="$(kqlab)"
  echo "== hashing benchmark (kqlab bench --keys --rows 100000,1000000)" >&2
  "$bin" bench --keys --rows 100000,1000000 --max-runs 11 > "$OUT/keys.md"
  sed -n '1,/^$/p' "$OUT/keys.md" > "$OUT/keys-queries.md"
  splice keys "$OUT/keys-queries.md"
}

case "$what" in
  all) machine; engine; keys; memory; peers "$@"; size; browser ;;
  keys) keys ;;
  browser) browser ;;
  engine) machine; engine ;;
  memory) memory ;;
  peers) machine; peers "$@" ;;
  size) size ;;
  *) echo "usage: bench/run.sh [all|engine|keys|peers|memory|size|browser]" >&2; exit 2 ;;
esac
