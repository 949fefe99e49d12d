# Shared by scripts/run and scripts/test: make .venv and install a requirements file into it,
# again only when that file changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON_BIN="${PYTHON:-python3.11}"
command -v "$PYTHON_BIN" >/dev/null 2>&1 || PYTHON_BIN=python3

ensure_venv() {
  local reqs="$1"
  if [ ! -x .venv/bin/python ]; then
    echo "==> Creating .venv with $PYTHON_BIN"
    "$PYTHON_BIN" -m venv .venv
  fi
  local stamp=".venv/.installed-$(basename "$reqs")"
  local want
  want="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> Installing $reqs"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r "$reqs"
    echo "$want" > "$stamp"
  fi
}
