#!/usr/bin/env bash
# Generate the next numbered migration from the models: scripts/makemigration.sh "what changed"
# Serialized with flock so several developers on one machine chain revisions correctly.
set -euo pipefail
cd "$(dirname "$0")/.."
message=${1:?usage: scripts/makemigration.sh "what changed"}
exec 9>/tmp/cop-migrate.lock
flock 9
tmp=$(mktemp -d)
export FLASK_APP=cop COP_DATA_DIR="$tmp"
.venv/bin/flask db upgrade >/dev/null 2>&1
next=$(printf "%04d" $(( $(ls migrations/versions/*.py | wc -l) + 1 )))
slug=$(echo "$message" | tr 'A-Z' 'a-z' | tr -cs 'a-z0-9' '_' | sed 's/_$//')
.venv/bin/flask db migrate -m "$message" --rev-id "$next" 2>&1 | grep -E "Detected|Generating|No changes" || true
for f in migrations/versions/${next}_*.py; do [ -e "$f" ] && [ "$f" != "migrations/versions/${next}_${slug}.py" ] && mv "$f" "migrations/versions/${next}_${slug}.py"; done
rm -rf "$tmp"
ls migrations/versions/${next}_* 2>/dev/null || echo "no migration written"
