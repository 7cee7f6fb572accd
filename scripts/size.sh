#!/usr/bin/env bash
# Prints the size of what the page downloads on first load, raw and gzip-compressed
# (gzip -9, what GitHub Pages serves), from a built dist/ (default) or the folder given.
#
#   scripts/size.sh            # after `trunk build --release`
#   scripts/size.sh path/to/dist
#
# Counted as the first load: every file at the top of dist/ (index.html, boot.js, the page's
# wasm-bindgen glue and .wasm, the CSS, the icon, worker.js, sw.js and the manifest) plus
# lessons/index.toml, which the app fetches at start, except the query worker's engine module
# (engine-*.js, engine-*_bg.wasm): the page paints without it. boot.js asks for its .wasm right
# after the page's (both download at once); the worker loads its glue once the page has
# started. It has a table of its own, with the total a lesson needs before its first query
# runs. The lesson files the home page fetches next are listed in a further table
# with their total; data files lessons name (CSV, JSON) in the last.
set -euo pipefail
dist="${1:-dist}"
[ -d "$dist" ] || { echo "no $dist/ folder: build first (trunk build --release)" >&2; exit 1; }

row() { printf '| %-44s | %10s | %10s |\n' "$1" "$2" "$3"; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
raw() { wc -c < "$1" | tr -d ' '; }
# A table of the files given, with a total row; the gzip total is left in table_gz.
table() {
  row "file" "raw" "gzip -9"
  row "--------------------------------------------" "----------" "----------"
  local f r g tr=0
  table_gz=0
  for f in "$@"; do
    r=$(raw "$f"); g=$(gz "$f"); tr=$((tr + r)); table_gz=$((table_gz + g))
    row "${f#"$dist"/}" "$r" "$g"
  done
  row "**total**" "$tr" "$table_gz"
}

total_raw=0
total_gz=0
echo "First load of $dist/ (bytes):"
echo
row "file" "raw" "gzip -9"
row "--------------------------------------------" "----------" "----------"
files=()
engine=()
while IFS= read -r f; do
  case "${f##*/}" in engine-*) engine+=("$f") ;; *) files+=("$f") ;; esac
done < <(find "$dist" -maxdepth 1 -type f | sort)
[ -f "$dist/lessons/index.toml" ] && files+=("$dist/lessons/index.toml")
for f in "${files[@]}"; do
  r=$(raw "$f"); g=$(gz "$f")
  total_raw=$((total_raw + r)); total_gz=$((total_gz + g))
  row "${f#"$dist"/}" "$r" "$g"
done
row "**total**" "$total_raw" "$total_gz"
printf '\nTotal gzip: %d KiB (budget 400 KB, issue 6).\n' $(( (total_gz + 1023) / 1024 ))

if [ ${#engine[@]} -gt 0 ]; then
  echo
  echo "The engine module (its .wasm asked for by boot.js next to the page's, its glue by the query worker; needed before a query runs):"
  echo
  table "${engine[@]}"
  printf '\nFirst load and the engine together: %d bytes gzip.\n' $((total_gz + table_gz))
fi

# The home page fetches every lesson named in lessons/index.toml (its cards need each title,
# level and prerequisites), one after another, once the module has started.
indexed=()
if [ -f "$dist/lessons/index.toml" ]; then
  while IFS= read -r f; do [ -f "$dist/lessons/$f" ] && indexed+=("$dist/lessons/$f"); done \
    < <(sed -n 's/^[[:space:]]*file[[:space:]]*=[[:space:]]*"\([A-Za-z0-9_.\/-]*\)".*/\1/p' "$dist/lessons/index.toml")
fi
if [ ${#indexed[@]} -gt 0 ]; then
  echo
  echo "Fetched by the home page once the module has started (every lesson in lessons/index.toml):"
  echo
  table "${indexed[@]}"
  printf '\nFirst load and the lesson list together: %d bytes gzip.\n' $((total_gz + table_gz))
fi

lessons=$(find "$dist/lessons" -type f ! -name index.toml 2>/dev/null | sort || true)
others=()
while IFS= read -r f; do
  [ -n "$f" ] || continue
  case " ${indexed[*]} " in *" $f "*) continue ;; esac
  others+=("$f")
done <<< "$lessons"
if [ ${#others[@]} -gt 0 ]; then
  echo
  echo "Fetched only when a lesson needs them (data files), or never by the app:"
  echo
  row "file" "raw" "gzip -9"
  row "--------------------------------------------" "----------" "----------"
  for f in "${others[@]}"; do row "${f#"$dist"/}" "$(raw "$f")" "$(gz "$f")"; done
fi
