"""The Nu HTML Checker (vnu-jar, on Java) finds no errors in the main pages' HTML."""

import json
import subprocess

from .helpers import PAGES, VNU, require


def test_main_pages_are_valid_html(site, tmp_path):
    require(VNU, "java")
    files = {}
    for name, path, role in PAGES:
        response = site.client(role).get(path.format(**site.ids))
        assert response.status_code == 200, (name, response.status_code)
        target = tmp_path / (name.replace(" ", "_") + ".html")
        target.write_bytes(response.data)
        files[target.name] = name
    run = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *[str(p) for p in sorted(tmp_path.glob("*.html"))],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{files.get(str(m.get('url')).rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: {m['message']} — {m.get('extract', '')!r}"
        for m in messages
        if m.get("type") == "error"
    ]
    print(f"\nvnu: {len(files)} pages checked, {len(errors)} errors")
    assert not errors, "\n".join(errors)
