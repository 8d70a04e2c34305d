"""cop: a Thai-first knowledge-sharing platform for the PMQA community of practice."""

from __future__ import annotations

import logging
import sqlite3
import sys

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import config as config_module
from .extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    configure(app, config)
    configure_logging(app)
    register_extensions(app)
    register_features(app)
    register_search(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app: Flask, config: dict | None) -> None:
    app.config.from_object(config_module.Config)
    app.config.from_prefixed_env("COP")
    if config:
        app.config.update(config)
    config_module.finalize(app.config)


class SafeLogFormatter(logging.Formatter):
    """One record, one line: control characters, line separators and bidi controls in a message (often
    user text: a search query, an e-mail, a path) are written as escapes, so no one can forge a log line.
    Traceback lines that follow a record are marked with '| ' so they cannot pass for records either."""

    _UNSAFE = {0x85, 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}

    @classmethod
    def escape(cls, text: str) -> str:
        out = []
        for ch in text:
            code = ord(ch)
            if code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or code in cls._UNSAFE:
                out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or f"\\u{code:04x}")
            else:
                out.append(ch)
        return "".join(out)

    def format(self, record: logging.LogRecord) -> str:
        import copy

        record = copy.copy(record)
        record.msg, record.args = self.escape(record.getMessage()), None
        return super().format(record).replace("\n", "\n| ")


def configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SafeLogFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(logging.INFO)
    app.logger.propagate = False  # one line per message, whatever else configures the root logger


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    # WAL lets readers and one writer work at once; foreign keys are off by default in SQLite.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def register_extensions(app: Flask) -> None:
    from .core import templating
    from .i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    templating.install_gettext(app)
    templating.install_url_for(app)
    app.config.setdefault("RATELIMIT_ENABLED", not app.config.get("TESTING"))
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    login_manager.localize_callback = _translate  # its English prompts are msgids in our catalog

    from .accounts.services import load_user, load_user_from_request

    login_manager.user_loader(load_user)
    login_manager.request_loader(load_user_from_request)


def _translate(message: str) -> str:
    from flask_babel import gettext

    return gettext(message)


def register_features(app: Flask) -> None:
    """Each feature registers its blueprints and what it adds to import/export, search and PMQA pages."""
    from . import aar, accounts, admin, api, clinics, core, insights, ops, pmqa, stories, suggest, threads, trainers

    for feature in (core, accounts, admin, pmqa, api, stories, aar, threads, trainers, clinics, insights, ops, suggest):
        feature.init_app(app)


def register_search(app: Flask) -> None:
    from .search import service as search_service
    from .search.web import bp as search_bp

    app.register_blueprint(search_bp)
    search_service.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from .core.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from .core.templating import register as register_templating
    from .i18n import register as register_i18n

    register_i18n(app)
    register_templating(app)


def register_commands(app: Flask) -> None:
    from .accounts.cli import user_cli
    from .interchange.cli import export_command, import_command, seed_command
    from .search.cli import search_cli

    for command in (user_cli, import_command, export_command, seed_command, search_cli):
        app.cli.add_command(command)
