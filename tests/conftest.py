import itertools
import socket
import threading

import pytest
from werkzeug.serving import make_server

from cop.accounts import services as account_services
from cop.extensions import db

from . import pg
from .helpers import PASSWORD, close_app, fresh_session, make_app

_emails = itertools.count(1)


def _app(tmp_path, **overrides):
    app = make_app(tmp_path, **overrides)
    yield app
    close_app(app)
    if pg.ADMIN_URL:
        pg.drop_database(app.config["SQLALCHEMY_DATABASE_URI"])


@pytest.fixture
def app(tmp_path):
    yield from _app(tmp_path)


@pytest.fixture
def csrf_app(tmp_path):
    """CSRF protection on, as in production (a module that needs it overrides ``app`` with this)."""
    yield from _app(tmp_path, WTF_CSRF_ENABLED=True)


@pytest.fixture
def app_ctx(app):
    """The test body runs inside an application context, for tests that call services directly.

    Not for tests that also use the test client: its requests would run in this same context (one ``g``, one
    session); they read and write through ``helpers.fresh_session`` instead."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    def make(role="member", email=None, name=None, password=PASSWORD, **extra):
        with fresh_session(app):
            user = account_services.create_user(
                email=email or f"user{next(_emails)}@example.org",
                name=name or "สมชาย ทดสอบ",
                password=password,
                role=role,
                **extra,
            )
            db.session.commit()
            return user.email

    return make


@pytest.fixture
def login(client):
    def do(email, password=PASSWORD, follow_redirects=False):
        return client.post("/login", data={"email": email, "password": password}, follow_redirects=follow_redirects)

    return do


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free loopback port, for browser tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A local SMTP server on loopback: (port, received messages)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    controller = Controller(Collect(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller.port, received
    controller.stop()
