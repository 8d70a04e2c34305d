"""Helpers tests import (fixtures live in conftest.py, which pytest loads by itself).

The database from a test: a test that only calls services takes the ``app_ctx`` fixture and uses ``db.session``;
a test that also makes requests reads and writes between them through ``fresh_session``, ``get`` and ``scalar``.
"""

from contextlib import contextmanager

from flask_migrate import upgrade
from sqlalchemy import select

from cop import create_app
from cop.accounts import services as account_services
from cop.accounts.models import User
from cop.extensions import db
from cop.search import service as search_service

from . import pg

PASSWORD = "ข้าวเหนียวมะม่วง ตอนบ่าย"  # 12+ characters, a phrase


def make_app(tmp_path, **overrides):
    config = {"TESTING": True, "DATA_DIR": str(tmp_path), "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test"}
    if pg.ADMIN_URL and "DATABASE_URL" not in overrides:
        config["DATABASE_URL"] = pg.fresh_database()  # COP_TEST_DATABASE_URL: a fresh PostgreSQL database
    if pg.SEARCH_BACKEND and "SEARCH_BACKEND" not in overrides:
        config["SEARCH_BACKEND"] = pg.SEARCH_BACKEND  # COP_TEST_SEARCH_BACKEND
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        upgrade()  # the committed migrations build the schema, as in production
    return app


def user_named(email):
    """The account with this e-mail (inside an application context)."""
    return db.session.scalar(select(User).where(User.email == email))


@contextmanager
def fresh_session(app):
    """An application context of its own, with a new database session: it sees what earlier requests committed,
    and the requests the test client makes afterwards share none of its state.

    Tests that drive the test client read and set up data through this rather than the ``app_ctx`` fixture: a
    request made while a context is pushed reuses it, and would share the test's session and ``g`` (the
    logged-in user, the language, the pending search updates)."""
    with app.app_context():
        yield db.session


def api_headers(app, email, label="test"):
    """Request headers carrying a new API token of the account with this e-mail."""
    with fresh_session(app) as session:
        token = account_services.issue_token(user_named(email), label)
        session.commit()
    return {"Authorization": f"Bearer {token}"}


def get(app, model, ident):
    """The row with this primary key (or None), read in a fresh session; it comes back detached."""
    with fresh_session(app) as session:
        return session.get(model, ident)


def scalar(app, statement):
    """The first value ``statement`` selects, read in a fresh session (objects come back detached)."""
    with fresh_session(app) as session:
        return session.scalar(statement)


def rename_table(app, name, new_name):
    """Rename a table: writes to it fail until it is renamed back (to test what a failed write keeps)."""
    with fresh_session(app) as session:
        session.execute(db.text(f"ALTER TABLE {name} RENAME TO {new_name}"))
        session.commit()


def close_database(app):
    """Close the app's session and every pooled connection (before its database file is copied or replaced)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def close_app(app):
    """Release the database connections and search index of an app a test made itself (the ``app`` fixture
    closes its own)."""
    close_database(app)
    search_service.close_backends()


def exported_elsewhere(data_dir, document: dict) -> dict:
    """What another, empty site exports after importing ``document`` as JSON text carries it: the
    round trip an agency makes when it moves its content to a new instance."""
    import json

    from cop.interchange import service as interchange

    other = make_app(data_dir)
    with other.app_context():
        interchange.import_document(json.loads(json.dumps(document)))
        exported = interchange.export_document()
    close_app(other)
    return exported
