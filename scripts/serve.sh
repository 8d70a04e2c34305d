#!/usr/bin/env bash
# Set up, migrate, seed and serve cop on http://127.0.0.1:5000 with an embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export FLASK_APP=cop
.venv/bin/flask db upgrade
.venv/bin/flask seed
# An index from an older analyzer version opens empty: rebuild whenever it disagrees with the database.
.venv/bin/flask search check --fix >/dev/null || .venv/bin/flask search reindex
echo "To log in as the sample administrator (admin@example.org), set its password at:"
echo "  http://127.0.0.1:${PORT:-5000}$(.venv/bin/flask user reset-link admin@example.org)"
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
