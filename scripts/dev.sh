#!/usr/bin/env bash
# Builds the web app and serves it locally, rebuilding when sources change.
#
#   scripts/dev.sh            # debug build (fast to build), http://127.0.0.1:8080/kqlab/
#   scripts/dev.sh --release  # the optimised build, as deployed
#   PORT=9000 scripts/dev.sh
#
# The site is served under /kqlab/, like a GitHub Pages project site. Reload the page after
# a rebuild (automatic reloading would need an inline script, which the page's
# Content-Security-Policy forbids).
set -euo pipefail
source "$(dirname "$0")/env.sh"
port="${PORT:-8080}"
release=()
for arg in "$@"; do
  case "$arg" in
    --release) release=(--release) ;;
    *) echo "dev.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

scripts/setup.sh --no-browser
echo
echo "kqlab will be served at http://127.0.0.1:$port/kqlab/ (Ctrl+C stops)"
echo
exec trunk serve "${release[@]}" --offline --no-autoreload --address 127.0.0.1 --port "$port" --public-url /kqlab/
