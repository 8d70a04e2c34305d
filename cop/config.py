"""Configuration: class defaults, then COP_* environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
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
    REMEMBER_COOKIE_DURATION = timedelta(days=14)  # "keep me logged in" for two weeks, not Flask-Login's year
    WTF_CSRF_TIME_LIMIT = None
    # Cookies carry the Secure flag when the site is served over HTTPS (COP_SECURE_COOKIES=true|false
    # overrides; by default it follows PREFERRED_URL_SCHEME).
    PREFERRED_URL_SCHEME = "http"
    SECURE_COOKIES: bool | None = None
    # Idle sessions end: every request pushes the expiry forward, eight quiet hours end it (COP_SESSION_IDLE_MINUTES).
    SESSION_IDLE_MINUTES = 8 * 60
    SESSION_REFRESH_EACH_REQUEST = True
    # Rate-limit counters: by default a SQLite file in DATA_DIR, shared by every worker process on the
    # machine (see cop/core/ratelimit.py); several machines set COP_RATELIMIT_STORAGE_URI=redis://...
    RATELIMIT_STORAGE_URI: str | None = None
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_REGISTER = "5 per minute"
    RATELIMIT_RESET = "10 per minute"
    RATELIMIT_POST = "20 per minute; 200 per day"  # new stories, threads, replies (web and API)
    RATELIMIT_SEARCH = "60 per minute"  # the JSON search API
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    PER_PAGE = 20
    SEARCH_LOG_DAYS = 180  # days the anonymous search log keeps queries (0: keep none)
    RATELIMIT_SUGGEST = "120 per minute"  # suggestions while writing, per account
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
    config.setdefault("RATELIMIT_STORAGE_URI", None)
    if not config["RATELIMIT_STORAGE_URI"]:
        config["RATELIMIT_STORAGE_URI"] = f"sqlite:///{data_dir / 'ratelimit.sqlite3'}"
    secure = config.get("SECURE_COOKIES")
    if secure is None:
        secure = config.get("PREFERRED_URL_SCHEME") == "https"
    elif isinstance(secure, str):
        secure = secure.strip().lower() in ("1", "true", "yes", "on")
    config["SECURE_COOKIES"] = bool(secure)
    config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=float(config["SESSION_IDLE_MINUTES"]))
    config["MAX_CONTENT_LENGTH"] = int(config["MAX_UPLOAD_MB"]) * 1024 * 1024 + 1024 * 1024
    if not config.get("SECRET_KEY"):
        key_file = data_dir / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        config["SECRET_KEY"] = key_file.read_text().strip()
