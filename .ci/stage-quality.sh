#!/usr/bin/env bash
# Quality gate: bandit and pip-audit on the code and the lock file, then the checks that need npm tools
# (axe-core in Chromium, the Nu HTML Checker on Java) with a missing tool counted as a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
bash scripts/setup.sh
.venv/bin/python -m pip install --quiet bandit pip-audit

echo "== bandit (findings that are false positives carry a justified '# nosec' in the code)"
.venv/bin/bandit -r cop -q

echo "== pip-audit"
set +e
.venv/bin/pip-audit -r requirements.lock --no-deps --disable-pip --progress-spinner off --format json \
  >/tmp/cop-pip-audit.json 2>/tmp/cop-pip-audit.err
audit_rc=$?
set -e
.venv/bin/python - "$audit_rc" <<'PY'
import json, sys
rc = int(sys.argv[1])
try:
    report = json.load(open("/tmp/cop-pip-audit.json"))
except (OSError, ValueError):
    err = open("/tmp/cop-pip-audit.err").read().strip().splitlines()
    print("pip-audit: NOT PERFORMED: no vulnerability service could be reached from this network "
          "(only package registries are). Last error: " + (err[-1] if err else f"exit {rc}"))
    sys.exit(0)
deps = report.get("dependencies", [])
vulnerable = [d for d in deps if d.get("vulns")]
skipped = [d for d in deps if d.get("skip_reason")]
for d in vulnerable:
    for v in d["vulns"]:
        print(f"VULNERABLE {d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or ['?'])})")
audited = len(deps) - len(skipped)
if audited == 0 and deps:
    print(f"pip-audit: NOT PERFORMED: the vulnerability service did not know any of the {len(deps)} pinned "
          "packages (this network reaches the package index but not its vulnerability data).")
else:
    print(f"pip-audit: {audited} packages audited, {len(skipped)} skipped, {len(vulnerable)} vulnerable")
sys.exit(1 if vulnerable else 0)
PY

echo "== npm tools (axe-core, vnu-jar) and the quality tests"
if ! command -v java >/dev/null; then
  apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
npm ci --no-audit --no-fund --ignore-scripts
COP_REQUIRE_QUALITY_TOOLS=1 bash scripts/test.sh tests/browser/quality -q
