"""Helpers tests import (fixtures live in conftest.py, which pytest loads by itself)."""

from flask_migrate import upgrade
from sqlalchemy import select

from cop import create_app
from cop.accounts.models import User
from cop.extensions import db

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
