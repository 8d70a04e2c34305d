"""Sixty members press "register" at once for ten seats, over real HTTP against a threaded server."""

import http.cookiejar
import os
import threading
import urllib.parse
import urllib.request
import uuid

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from cop.accounts import services as account_services
from cop.clinics.models import Clinic, Registration
from cop.extensions import db

from ..helpers import PASSWORD, close_app, fresh_session, make_app
from .helpers import add_clinic

PEOPLE = 60
SEATS = 10


def _make_members(app, count):
    hashed = generate_password_hash(PASSWORD)  # hash once; sixty scrypt runs would only slow the test
    with fresh_session(app):
        emails = []
        for i in range(count):
            user = account_services.create_user(email=f"racer{i}@example.org", name=f"ผู้สมัคร {i}", password=None)
            user.password_hash = hashed
            emails.append(user.email)
        db.session.commit()
    return emails


def _logged_in_opener(base, email):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD}).encode()
    response = opener.open(base + "/login", data=data, timeout=60)
    assert response.status == 302
    return opener


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_303 = http_error_302


def test_sixty_concurrent_registrations_give_exactly_ten_places(app, live_server):
    run_race(app, live_server)


@pytest.mark.skipif(
    not os.environ.get("COP_TEST_POSTGRES_URL"),
    reason="set COP_TEST_POSTGRES_URL=postgresql+psycopg://user@host:port/postgres to run on PostgreSQL",
)
def test_sixty_concurrent_registrations_on_postgresql(tmp_path):
    import psycopg
    from sqlalchemy.engine import make_url

    admin_url = make_url(os.environ["COP_TEST_POSTGRES_URL"])
    name = f"cop_race_{uuid.uuid4().hex[:10]}"
    plain = admin_url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        app = make_app(tmp_path, DATABASE_URL=admin_url.set(database=name).render_as_string(hide_password=False))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            run_race(app, f"http://127.0.0.1:{server.server_port}")
        finally:
            server.shutdown()
            thread.join()
            close_app(app)
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_race(app, live_server):
    clinic_id = add_clinic(app, capacity=SEATS)
    openers = [_logged_in_opener(live_server, email) for email in _make_members(app, PEOPLE)]
    barrier = threading.Barrier(PEOPLE)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def press(opener):
        try:
            barrier.wait()
            response = opener.open(f"{live_server}/clinics/{clinic_id}/register", data=b"", timeout=120)
            statuses.append(response.status)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=press, args=(o,)) for o in openers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert statuses == [303] * PEOPLE
    with fresh_session(app):
        counts = dict(db.session.execute(select(Registration.status, func.count()).group_by(Registration.status)).all())
        assert counts == {"registered": SEATS, "waitlisted": PEOPLE - SEATS}
        assert db.session.get(Clinic, clinic_id).seats_taken == SEATS
