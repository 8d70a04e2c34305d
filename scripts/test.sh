#!/usr/bin/env bash
# Run the whole test suite (browser tests need Debian's chromium; .ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
