#!/usr/bin/env bash
# Installs what building and testing kqlab needs, and only what is missing; safe to run again.
#
#   scripts/setup.sh              # everything
#   scripts/setup.sh --no-browser # skip Chromium (enough to build and serve the site)
#
# Needs a Rust toolchain (rustup), Node.js >= 20 with npm, and for the browser Debian's apt.
# Installs: the wasm32-unknown-unknown target; Trunk 0.21.14 (newer Trunk needs a newer rustc);
# wasm-bindgen-cli at the exact version of the wasm-bindgen crate in Cargo.lock; the npm
# packages in package-lock.json (binaryen's wasm-opt, playwright-core); Debian's chromium and
# chromium-driver. Trunk itself never downloads anything (Trunk.toml sets offline = true).
set -euo pipefail
source "$(dirname "$0")/env.sh"

browser=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) browser=0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

fail() { echo "setup.sh: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

have cargo || fail "cargo not found: install Rust with rustup (https://rustup.rs)"
have rustup || fail "rustup not found: the wasm32 target is installed with rustup"
have node || fail "node not found: install Node.js 20 or newer"
have npm || fail "npm not found: install npm with Node.js"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js $node_major is too old: 20 or newer is needed"

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 1b. rustfmt and clippy (scripts/test.sh checks formatting and lints); the default rustup
# profile has them, a minimal one does not.
for c in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$c"; then
    echo "setup: adding the $c component"
    rustup component add "$c"
  fi
done

# 2. Trunk, pinned.
if ! have trunk || [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  echo "setup: installing trunk $TRUNK_VERSION (takes several minutes once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# 3. wasm-bindgen-cli, at the version Cargo.lock uses (no --locked: its own lock file pins
#    dependencies that no longer build with current compilers).
wbg=$(wasm_bindgen_locked)
[ -n "$wbg" ] || fail "cannot find the wasm-bindgen version in Cargo.lock"
if ! grep -q "^wasm_bindgen = \"$wbg\"" Trunk.toml; then
  fail "Trunk.toml [tools] wasm_bindgen does not match Cargo.lock's wasm-bindgen $wbg; update Trunk.toml"
fi
if ! have wasm-bindgen || [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
  echo "setup: installing wasm-bindgen-cli $wbg"
  cargo install wasm-bindgen-cli --version "$wbg"
fi

# 4. npm packages (wasm-opt from binaryen, playwright-core), exactly as locked.
#    node_modules/.kqlab-lock records the package-lock.json it was installed from.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.kqlab-lock 2>/dev/null)" != "$lock_sum" ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.kqlab-lock
fi
wasm_opt=$(wasm-opt --version 2>/dev/null || true)
case "$wasm_opt" in
  *"version $WASM_OPT_VERSION "*|*"version $WASM_OPT_VERSION") ;;
  *) fail "wasm-opt $WASM_OPT_VERSION expected from node_modules/.bin, found: ${wasm_opt:-nothing}" ;;
esac
grep -q "^wasm_opt = \"version_$WASM_OPT_VERSION\"" Trunk.toml || fail "Trunk.toml [tools] wasm_opt must be version_$WASM_OPT_VERSION"

# 5. Chromium for the end-to-end tests (Debian packages; playwright-core drives it).
if [ "$browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  have apt-get || fail "/usr/bin/chromium is missing and apt-get is not available: install Chromium"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing chromium and chromium-driver with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

echo "setup: ready"
echo "  $(rustc --version)"
echo "  $(trunk --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | sed 's/.*version \([0-9]*\).*/\1/')"
echo "  node $(node --version), playwright-core $(node -p 'require("playwright-core/package.json").version')"
if [ "$browser" = 1 ]; then echo "  $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: not found')"; fi
