#!/usr/bin/env bash
# CI stage: the whole test suite a second time on PostgreSQL — the database (a fresh one per test,
# from a migrated template) and the search backend — against a throwaway cluster on loopback.
# Needs only Python and the repo (Debian's postgresql is installed when missing; CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
bash scripts/setup.sh
handle=$(mktemp -d)
trap '.venv/bin/python scripts/pgtemp.py stop "$handle/pg"; rm -rf "$handle"' EXIT
url=$(.venv/bin/python scripts/pgtemp.py start "$handle/pg")
echo "PostgreSQL on ${url#*@}"
# Browser tests and the interface-language walk check what a page shows, which the database engine does
# not change; the main stage runs them on SQLite. Skipping them here keeps CI well under 30 minutes.
COP_TEST_DATABASE_URL="$url" COP_TEST_POSTGRES_URL="$url" COP_TEST_SEARCH_BACKEND=postgres \
  bash scripts/test.sh -q --ignore=tests/browser --ignore=tests/i18n/test_walk.py "$@"
