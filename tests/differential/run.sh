#!/usr/bin/env bash
# Differential test of kqlab against ClickHouse's KQL dialect (chdb). See README.md.
#
#   tests/differential/run.sh [run.py options]     e.g. --queries 1000 --seed 3
#
# Creates (once, and again when requirements.txt changes) a virtualenv under .tools/,
# installs the pinned requirements from PyPI, builds kqlab in release mode and runs the
# harness. Exit status: 0 no unexplained disagreement, 1 some, 2 the harness could not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/differential"
VENV="${KQLAB_DIFF_VENV:-$ROOT/.tools/diff-venv}"
PYTHON="${PYTHON:-python3}"
REQ="$HERE/requirements.txt"

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "run.sh: Python 3.11 or newer is needed (set PYTHON=...)" >&2
  exit 2
fi

# shellcheck source=../../scripts/venv.sh
. "$ROOT/scripts/venv.sh"
ensure_venv "$VENV" "$REQ" "$PYTHON"

(cd "$ROOT" && cargo build --release --quiet --bin kqlab)

export PYTHONDONTWRITEBYTECODE=1
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
exec "$VENV/bin/python" "$HERE/run.py" --kqlab "$TARGET/release/kqlab" --work "$TARGET/differential" "$@"
