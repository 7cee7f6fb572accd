# Sourced by bench/run.sh and tests/differential/run.sh: a Python virtualenv with pinned
# wheels from PyPI, created on first use and recreated when the requirements file changes
# (its SHA-256 is kept in the venv).
#
#   ensure_venv VENV REQUIREMENTS [PYTHON]

ensure_venv() {
  local venv="$1" req="$2" python="${3:-python3}" want
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
    echo "creating the Python environment $venv (pinned in ${req#"$PWD"/})" >&2
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: -r "$req"
    echo "$want" > "$venv/.requirements.sha256"
  fi
}
