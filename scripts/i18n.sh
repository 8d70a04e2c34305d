#!/usr/bin/env bash
# Extract user-facing strings, merge them into the Thai catalogue, optionally fill translations
# from a {msgid: Thai} JSON file, and compile. Usage: scripts/i18n.sh [translations.json]
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/cop-i18n.lock
flock 9
.venv/bin/pybabel extract -F babel.cfg --ignore-dirs ".* .venv node_modules" -k _l -o cop/translations/messages.pot --no-location --sort-output . >/dev/null 2>&1
if [ -f cop/translations/th/LC_MESSAGES/messages.po ]; then
  .venv/bin/pybabel update -i cop/translations/messages.pot -d cop/translations -l th --no-fuzzy-matching >/dev/null 2>&1
else
  .venv/bin/pybabel init -i cop/translations/messages.pot -d cop/translations -l th >/dev/null
fi
[ $# -gt 0 ] && .venv/bin/python scripts/i18n_fill.py "$1"
.venv/bin/pybabel compile -d cop/translations --statistics
