"""Configuration: class defaults, then COP_* environment variables."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


class Config:
    DATA_DIR = os.path.abspath("instance")
    DATABASE_URL: str | None = None
    SEARCH_BACKEND = "whoosh"
    SECRET_KEY: str | None = None
    MAX_UPLOAD_MB = 20
    BABEL_DEFAULT_LOCALE = "th"
    BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"
    LANGUAGES = ("th", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_REGISTER = "5 per minute"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    PER_PAGE = 20
    HSTS_SECONDS = 31536000  # sent only over HTTPS
    TESTING = False


def finalize(config: dict) -> None:
    """Derive paths, database URL and secret key once the raw settings are known."""
    data_dir = Path(config["DATA_DIR"]).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    config["DATA_DIR"] = str(data_dir)
    config.setdefault("UPLOAD_DIR", str(data_dir / "uploads"))
    config.setdefault("INDEX_DIR", str(data_dir / "index"))
    url = config.get("DATABASE_URL") or f"sqlite:///{data_dir / 'cop.sqlite3'}"
    config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        # Several workers share one file: wait for the lock instead of failing at once.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}, **config["SQLALCHEMY_ENGINE_OPTIONS"]}
    config["MAX_CONTENT_LENGTH"] = int(config["MAX_UPLOAD_MB"]) * 1024 * 1024 + 1024 * 1024
    if not config.get("SECRET_KEY"):
        key_file = data_dir / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        config["SECRET_KEY"] = key_file.read_text().strip()
