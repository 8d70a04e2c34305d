"""Fresh PostgreSQL databases for tests when COP_TEST_DATABASE_URL is set (see .ci/stage-postgres.sh).

The committed migrations run once per session into a template database; every app made by
``tests.helpers.make_app`` then gets its own ``CREATE DATABASE … TEMPLATE …`` copy (tens of
milliseconds), dropped when the test ends (and at the end of the session, whatever is left).
"""

from __future__ import annotations

import atexit
import itertools
import os
import threading

from sqlalchemy.engine import make_url

ADMIN_URL = os.environ.get("COP_TEST_DATABASE_URL") or None
SEARCH_BACKEND = os.environ.get("COP_TEST_SEARCH_BACKEND") or None

_lock = threading.Lock()
_counter = itertools.count(1)
_template: str | None = None
_created: list[str] = []
_prefix = f"cop_test_{os.getpid()}"


def _plain(url) -> str:
    """A libpq connection string for psycopg from a SQLAlchemy URL."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _admin():
    import psycopg

    return psycopg.connect(_plain(make_url(ADMIN_URL)), autocommit=True)


def url_for(name: str) -> str:
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _build_template() -> str:
    from flask_migrate import upgrade

    from cop import create_app
    from cop.extensions import db

    name = f"{_prefix}_template"
    with _admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "DATA_DIR": tmp, "SECRET_KEY": "test", "DATABASE_URL": url_for(name)})
        with app.app_context():
            upgrade()
            db.session.remove()
            db.engine.dispose()
    _created.append(name)
    return name


def fresh_database() -> str:
    """The URL of a new database holding the migrated, empty schema."""
    global _template
    with _lock:
        if _template is None:
            _template = _build_template()
        name = f"{_prefix}_{next(_counter)}"
        with _admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {_template}")
        _created.append(name)
    return url_for(name)


def drop_database(url: str) -> None:
    name = make_url(url).database
    if name not in _created:
        return
    with _lock:
        with _admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _created.remove(name)


@atexit.register
def _drop_all() -> None:
    if not ADMIN_URL or not _created:
        return
    try:
        with _admin() as conn:
            for name in list(_created):
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except Exception:  # the throwaway server may already be gone
        pass


def snapshot(url: str) -> str:
    """Copy a test database (close its connections first: ``db.engine.dispose()``); returns the
    copy's name, for :func:`restore` — the PostgreSQL counterpart of copying the SQLite file."""
    name = make_url(url).database
    snap = f"{name}_snap"
    with _lock, _admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {snap} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {snap} TEMPLATE {name}")
        _created.append(snap)
    return snap


def restore(url: str, snap: str) -> None:
    """Put the database at ``url`` back to the copy made by :func:`snapshot` (connections dropped)."""
    name = make_url(url).database
    with _lock, _admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {snap}")
