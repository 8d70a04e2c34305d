#!/usr/bin/env bash
# Lint gate: ruff's rules (pyproject.toml [tool.ruff]) and its formatting, on the code and the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
RUFF=.venv/bin/ruff
if [ ! -x "$RUFF" ]; then
  .venv/bin/python -m pip install --quiet ruff
fi
echo "== ruff check"
"$RUFF" check cop tests
echo "== ruff format --check"
"$RUFF" format --check cop tests
