#!/usr/bin/env bash
# Trunk post-build hook (Trunk.toml): gives the query worker's module hashed file names.
# Trunk writes a `data-type="worker"` asset as <bin>.js and <bin>_bg.wasm; this renames
# engine.js / engine_bg.wasm in the staging folder to engine-<16 hex>.js / engine-<16 hex>_bg.wasm
# (the first 16 hex digits of the wasm file's SHA-256) and puts `engine-<16 hex>` where
# index.html says `__ENGINE__` (boot.js's query string). A build without the two files, or
# an index.html without the placeholder, fails here rather than at a learner's first query.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "$dir"
[ -f engine.js ] && [ -f engine_bg.wasm ] || { echo "name-engine.sh: no engine.js / engine_bg.wasm in $dir" >&2; exit 1; }
grep -q '__ENGINE__' index.html || { echo "name-engine.sh: index.html has no __ENGINE__ placeholder" >&2; exit 1; }
hash=$(sha256sum engine_bg.wasm | cut -c1-16)
name="engine-$hash"
sed "s/engine_bg\.wasm/${name}_bg.wasm/g" engine.js > "$name.js"
rm engine.js
mv engine_bg.wasm "${name}_bg.wasm"
sed -i "s/__ENGINE__/$name/g" index.html
