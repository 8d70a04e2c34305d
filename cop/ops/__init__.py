"""Operations: backup/restore commands and long-lived caching of static files."""

from __future__ import annotations

import hashlib
import os

from flask import Flask, request

STATIC_MAX_AGE = 365 * 24 * 3600  # versioned URLs (?v=<content hash>) never change content
STATIC_UNVERSIONED_MAX_AGE = 3600  # fonts and images referenced from CSS by plain URL


def init_app(app: Flask) -> None:
    from .cli import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    _static_caching(app)


def _static_caching(app: Flask) -> None:
    """``url_for('static', filename=…)`` gets ``?v=<hash of the file>``; such responses may be cached
    for a year (a changed file gets a new URL); other static files for an hour."""
    versions: dict[str, tuple[float, str]] = {}

    def version(filename: str) -> str | None:
        path = os.path.join(app.static_folder, filename)
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        cached = versions.get(filename)
        if cached and cached[0] == mtime:
            return cached[1]
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        versions[filename] = (mtime, digest)
        return digest

    @app.url_defaults
    def _add_version(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            v = version(values["filename"])
            if v:
                values["v"] = v

    @app.after_request
    def _cache_static(response):
        if request.endpoint == "static" and response.status_code in (200, 304):
            if request.args.get("v"):
                response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}, immutable"
            else:
                response.headers["Cache-Control"] = f"public, max-age={STATIC_UNVERSIONED_MAX_AGE}"
        return response
