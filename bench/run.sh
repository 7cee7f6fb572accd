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
#   bench/run.sh duckdb-wasm     kqlab against DuckDB-WASM in the same Chromium, 100k and 1M rows
#                                (bench/duckdb.mjs; needs the size build and `npm ci`)
#   bench/run.sh load            time to a usable lesson with throttled networks, cold and warm
#                                (bench/load.mjs on the release build in dist/)
#   bench/run.sh adversarial     the peer comparison on a UrlClickEvents CSV of another generator
#                                (bench/adversarial.py, then peers.py --data), 1M rows
#   bench/run.sh import          CSV import throughput, kqlab vs DuckDB read_csv (bench/import.py)
#   bench/run.sh scale           10M rows: the native peer table, bytes per row, and the
#                                browser worker (bench/scale.mjs)
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
  echo "== memory of every built-in table (kqlab bench --memory-tables --rows 100000)" >&2
  "$bin" bench --memory-tables --rows 100000 > "$OUT/memory-tables.md"
  splice memory-tables "$OUT/memory-tables.md"
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

# The modules by component: the same build with function names kept (only the final links
# rerun), each module (the page's `app`, the query worker's `engine`) through wasm-bindgen and
# wasm-opt with index.html's flags plus -g, then bench/wasm_components.py.
components() {
  echo "== the wasm modules by component" >&2
  local named="$OUT/named" flags target="${CARGO_TARGET_DIR:-target}"
  flags="$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html | head -n 1)"
  CARGO_PROFILE_WEB_STRIP=false cargo build --quiet --profile web --target wasm32-unknown-unknown --bin app --bin engine
  rm -rf "$named"
  : > "$OUT/components.md"
  for bin in app engine; do
    wasm-bindgen --target web --no-typescript --out-dir "$named" "$target/wasm32-unknown-unknown/web/$bin.wasm"
    # shellcheck disable=SC2086 # the flags are words
    wasm-opt $flags -Oz -g "$named/${bin}_bg.wasm" -o "$named/$bin.wasm"
    "$PYTHON" bench/wasm_components.py "$named/$bin.wasm" >> "$OUT/components.md"
    echo >> "$OUT/components.md"
  done
  splice components "$OUT/components.md"
}

browser() {
  [ -d dist ] || size
  kqlab >/dev/null
  echo "== wasm in headless Chromium vs native (bench/browser.mjs --rows 100000 --repeat 5)" >&2
  node bench/browser.mjs --rows 100000 --repeat 5 > "$OUT/browser.md"
  splice browser "$OUT/browser.md"
}

# Outside the default run (each takes minutes and needs the release site):

duckdb_wasm() {
  [ -d dist ] || size
  kqlab >/dev/null
  [ -d node_modules/@duckdb/duckdb-wasm ] || { echo "bench/run.sh: node_modules/@duckdb/duckdb-wasm missing: run npm ci" >&2; exit 1; }
  for rows in 100000 1000000; do
    echo "== kqlab vs DuckDB-WASM at $rows rows (bench/duckdb.mjs)" >&2
    node bench/duckdb.mjs --rows "$rows" --repeat 5 --work "$OUT" --markdown "$OUT/duckdb-wasm-$rows.md"
  done
  splice duckdb-wasm-100k "$OUT/duckdb-wasm-100000.md"
  splice duckdb-wasm-1m "$OUT/duckdb-wasm-1000000.md"
}

load() {
  [ -d dist ] || size
  echo "== time to a usable lesson, throttled (bench/load.mjs)" >&2
  node bench/load.mjs --runs 5 --label "Release build of this commit" --markdown "$OUT/load.md"
  splice load "$OUT/load.md"
}

adversarial() {
  local bin rows=1000000 adv
  venv
  bin="$(kqlab)"
  adv="$OUT/adv_UrlClickEvents_$rows.csv"
  [ -f "$OUT/EmailEvents_${rows}_seed42.csv" ] || "$bin" gen EmailEvents --rows "$rows" --seed 42 --now 2026-11-22T12:00:00Z --header plain --out "$OUT/EmailEvents_${rows}_seed42.csv"
  [ -f "$adv" ] || "$PYTHON" bench/adversarial.py --rows "$rows" --email "$OUT/EmailEvents_${rows}_seed42.csv" --out "$adv"
  echo "== peers on the adversarial CSV ($rows rows)" >&2
  "$VENV/bin/python" bench/peers.py --kqlab "$bin" --work "$OUT" --repeat 7 --data "UrlClickEvents=$adv" --data "EmailEvents=$OUT/EmailEvents_${rows}_seed42.csv" \
    --timestamp-format '%Y-%m-%dT%H:%M:%S.%fZ' --label "bench/adversarial.py's UrlClickEvents (loaded from CSV by every engine, kqlab with --data)" \
    --markdown "$OUT/peers-adversarial.md" --json "$OUT/peers-adversarial.json" "$@"
  splice peers-adversarial "$OUT/peers-adversarial.md"
}

import_() {
  local bin n
  venv
  bin="$(kqlab)"
  for n in 50000 500000; do
    [ -f "$OUT/UrlClickEvents_${n}_seed42.csv" ] || "$bin" gen UrlClickEvents --rows "$n" --seed 42 --now 2026-11-22T12:00:00Z --header plain --out "$OUT/UrlClickEvents_${n}_seed42.csv"
    [ -f "$OUT/adv_UrlClickEvents_$n.csv" ] || "$PYTHON" bench/adversarial.py --rows "$n" --out "$OUT/adv_UrlClickEvents_$n.csv"
  done
  # The 1M-row adversarial file (449 MB, the size the CLI used to refuse), as `adversarial` makes it.
  [ -f "$OUT/EmailEvents_1000000_seed42.csv" ] || "$bin" gen EmailEvents --rows 1000000 --seed 42 --now 2026-11-22T12:00:00Z --header plain --out "$OUT/EmailEvents_1000000_seed42.csv"
  [ -f "$OUT/adv_UrlClickEvents_1000000.csv" ] || "$PYTHON" bench/adversarial.py --rows 1000000 --email "$OUT/EmailEvents_1000000_seed42.csv" --out "$OUT/adv_UrlClickEvents_1000000.csv"
  echo "== CSV import (bench/import.py)" >&2
  "$VENV/bin/python" bench/import.py --kqlab "$bin" --repeat 5 --markdown "$OUT/import.md" \
    "kqlab gen, 50k=$OUT/UrlClickEvents_50000_seed42.csv" "kqlab gen, 500k=$OUT/UrlClickEvents_500000_seed42.csv" \
    "adversarial, 50k=$OUT/adv_UrlClickEvents_50000.csv" "adversarial, 500k=$OUT/adv_UrlClickEvents_500000.csv" \
    "adversarial, 1M=$OUT/adv_UrlClickEvents_1000000.csv"
  splice import "$OUT/import.md"
}

scale() {
  local bin
  venv
  bin="$(kqlab)"
  echo "== memory at 10M rows" >&2
  "$bin" bench --memory --rows 10000000 --filter s1_ > "$OUT/memory-10m.md"
  echo "== peers at 10,000,000 rows" >&2
  "$VENV/bin/python" bench/peers.py --kqlab "$bin" --work "$OUT" --rows 10000000 --repeat 3 --no-limits --peers duckdb,polars \
    --filter s1_,s2_,s3_,s4_,s5_,s6_,s7_,s8_,s9_,x2_,x3_ --markdown "$OUT/peers-10m.md" --json "$OUT/peers-10m.json" "$@"
  splice peers-10m "$OUT/peers-10m.md"
  [ -d dist ] || size
  echo "== the browser worker at growing sizes (bench/scale.mjs)" >&2
  node bench/scale.mjs --markdown "$OUT/scale-browser.md"
  splice scale-browser "$OUT/scale-browser.md"
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
  duckdb-wasm) duckdb_wasm ;;
  load) load ;;
  adversarial) machine; adversarial "$@" ;;
  import) import_ ;;
  scale) scale "$@" ;;
  *) echo "usage: bench/run.sh [all|engine|keys|peers|memory|size|browser|duckdb-wasm|load|adversarial|import|scale]" >&2; exit 2 ;;
esac
