"""Quality checks (under tests/browser to share its one Chromium) that need tools from npm (axe-core, vnu-jar) besides Chromium and Java.

Locally they are skipped when node_modules is missing (run `npm ci`); with COP_REQUIRE_QUALITY_TOOLS=1
(as .ci/stage-quality.sh sets) a missing tool is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(*paths_or_tools):
    missing = [str(p) for p in paths_or_tools if not (Path(p).exists() if isinstance(p, Path) else shutil.which(p))]
    if missing:
        message = f"missing {', '.join(missing)}: run `npm ci` (Java 17 and Chromium come from Debian)"
        if os.environ.get("COP_REQUIRE_QUALITY_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)


# The main pages: (name, path, who looks at it)
PAGES = [
    ("home", "/", "anonymous"),
    ("stories", "/stories", "anonymous"),
    ("story", "/stories/{story_id}", "anonymous"),
    ("story form", "/stories/new", "author"),
    ("threads", "/threads", "anonymous"),
    ("thread", "/threads/{thread_id}", "member"),
    ("trainers", "/trainers", "anonymous"),
    ("trainer", "/trainers/{trainer_id}", "anonymous"),
    ("clinics", "/clinics", "anonymous"),
    ("clinic", "/clinics/{clinic_id}", "member"),
    ("hotlines", "/hotlines", "anonymous"),
    ("aar list", "/aar", "anonymous"),
    ("aar", "/aar/{aar_id}", "anonymous"),
    ("search", "/search?q=แผน", "anonymous"),
    ("login", "/login", "anonymous"),
    ("register", "/register", "anonymous"),
    ("map", "/map", "anonymous"),
    ("categories", "/categories", "anonymous"),
    ("code", "/codes/LD1", "anonymous"),
    ("profile", "/profile", "member"),
    ("trainer contact form", "/trainers/{trainer_id}", "member"),
    ("question prefilled", "/threads/new?code=SP7&category=2&related=/stories/{story_id}", "member"),
    ("moderation queue", "/threads/moderation", "moderator"),
]
