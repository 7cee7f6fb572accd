#!/usr/bin/env bash
# Prints the size of what the page downloads on first load, raw and gzip-compressed
# (gzip -9, what GitHub Pages serves), from a built dist/ (default) or the folder given.
#
#   scripts/size.sh            # after `trunk build --release`
#   scripts/size.sh path/to/dist
#
# Counted: every file at the top of dist/ (index.html, boot.js, the wasm-bindgen glue, the
# .wasm, the CSS, the icon) plus lessons/index.toml, which the app fetches at start.
# Individual lesson files are fetched when a lesson opens and are listed separately.
set -euo pipefail
dist="${1:-dist}"
[ -d "$dist" ] || { echo "no $dist/ folder: build first (trunk build --release)" >&2; exit 1; }

row() { printf '| %-44s | %10s | %10s |\n' "$1" "$2" "$3"; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
raw() { wc -c < "$1" | tr -d ' '; }

total_raw=0
total_gz=0
echo "First load of $dist/ (bytes):"
echo
row "file" "raw" "gzip -9"
row "--------------------------------------------" "----------" "----------"
files=()
while IFS= read -r f; do files+=("$f"); done < <(find "$dist" -maxdepth 1 -type f | sort)
[ -f "$dist/lessons/index.toml" ] && files+=("$dist/lessons/index.toml")
for f in "${files[@]}"; do
  r=$(raw "$f"); g=$(gz "$f")
  total_raw=$((total_raw + r)); total_gz=$((total_gz + g))
  row "${f#"$dist"/}" "$r" "$g"
done
row "**total**" "$total_raw" "$total_gz"
printf '\nTotal gzip: %d KiB (budget 400 KB, issue 6).\n' $(( (total_gz + 1023) / 1024 ))

lessons=$(find "$dist/lessons" -type f ! -name index.toml 2>/dev/null | sort || true)
if [ -n "$lessons" ]; then
  echo
  echo "Fetched when a lesson opens:"
  echo
  row "file" "raw" "gzip -9"
  row "--------------------------------------------" "----------" "----------"
  while IFS= read -r f; do row "${f#"$dist"/}" "$(raw "$f")" "$(gz "$f")"; done <<< "$lessons"
fi
