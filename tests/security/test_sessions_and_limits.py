"""Cookies, idle sessions, e-mail change, body size, log lines and rate limits, as a user meets them."""

import io
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from cop.accounts.models import User
from cop.extensions import db

from ..helpers import PASSWORD, close_app, fresh_session, make_app, scalar


@pytest.fixture
def fresh_app(tmp_path):
    apps = []

    def make(**config):
        app = make_app(tmp_path / f"app{len(apps)}", **config)
        apps.append(app)
        return app

    yield make
    for app in apps:
        close_app(app)


def _user(app, email="cookie@example.org", role="member"):
    from cop.accounts import services

    with fresh_session(app):
        services.create_user(email=email, name="คุกกี้ ทดสอบ", password=PASSWORD, role=role)
        db.session.commit()
    return email


def _login(client, email):
    return client.post("/login", data={"email": email, "password": PASSWORD})


def _session_cookie_header(response):
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_cookies_are_httponly_lax_and_secure_under_https(fresh_app):
    plain = fresh_app()
    header = _session_cookie_header(_login(plain.test_client(), _user(plain)))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    assert "Expires=" in header  # a permanent (idle-limited) session, not a browser-lifetime one

    https = fresh_app(PREFERRED_URL_SCHEME="https")
    response = _login(https.test_client(), _user(https))
    assert "Secure" in _session_cookie_header(response)

    forced = fresh_app(SECURE_COOKIES="true")
    assert forced.config["SESSION_COOKIE_SECURE"] and forced.config["REMEMBER_COOKIE_SECURE"]


def test_hsts_and_headers_over_tls(fresh_app):
    app = fresh_app()
    response = app.test_client().get("/", base_url="https://cop.example")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers


def test_idle_session_expires_but_activity_keeps_it(fresh_app):
    app = fresh_app(SESSION_IDLE_MINUTES=2 / 60)  # two seconds
    email = _user(app)
    client = app.test_client()
    assert _login(client, email).status_code == 302
    for _ in range(3):  # 3 x 1.2 s of activity > 2 s: each request pushes the expiry on
        time.sleep(1.2)
        assert client.get("/profile").status_code == 200
    stolen = client.get_cookie("session").value
    time.sleep(3.2)
    assert client.get("/profile").status_code == 302  # idle too long: log in again
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/profile").status_code == 302  # a copied cookie ages out too


def test_a_stylesheet_still_loading_cannot_undo_the_login_forms_token(fresh_app):
    """Files never rewrite the session cookie: a stylesheet requested before /login put its CSRF token
    in the session, and answered after, would otherwise put the older session back and the login
    form would be refused as stale."""
    app = fresh_app(WTF_CSRF_ENABLED=True)
    email = _user(app)
    client = app.test_client()
    token = _token(client.get("/login"))
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    client.post("/logout", data={"csrf_token": _token(client.get("/profile"))})
    before_login_page = client.get_cookie("session").value
    form = client.get("/login")
    assert client.get_cookie("session").value != before_login_page  # the token is in the session now

    stylesheet = app.test_client()  # the same browser, the request sent before /login answered
    stylesheet.set_cookie("session", before_login_page)
    for path in ("/static/css/app.css", "/favicon.ico"):
        response = stylesheet.get(path)
        assert response.status_code == 200 and not response.headers.getlist("Set-Cookie")
    assert "session=" in " ".join(client.get("/").headers.getlist("Set-Cookie"))  # pages still refresh it

    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": _token(form)})
    assert response.status_code == 302


def _token(response):
    import re

    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_changing_email_needs_the_current_password(fresh_app):
    app = fresh_app()
    email = _user(app)
    _user(app, "taken@example.org")
    client = app.test_client()
    _login(client, email)
    wrong = client.post("/profile/email", data={"email": "new@example.org", "current_password": "not it at all"})
    assert wrong.status_code == 422 and "รหัสผ่านปัจจุบันไม่ถูกต้อง" in wrong.text
    taken = client.post("/profile/email", data={"email": "taken@example.org", "current_password": PASSWORD})
    assert taken.status_code == 422
    ok = client.post("/profile/email", data={"email": "New@Example.org", "current_password": PASSWORD})
    assert ok.status_code == 302
    assert scalar(app, select(User.email).where(User.email == "new@example.org"))
    client.post("/logout")
    assert _login(client, "new@example.org").status_code == 302


def test_oversized_body_gets_a_friendly_413(fresh_app):
    app = fresh_app(MAX_UPLOAD_MB=1)
    client = app.test_client()
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    page = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 413 and "<html" in page.text
    assert "ใหญ่เกินไป" in page.text and "1 MB" in page.text
    api = client.post(
        "/login", data=body, content_type="application/x-www-form-urlencoded", headers={"Accept": "application/json"}
    )
    assert api.status_code == 413 and "1 MB" in api.get_json()["message"]


def test_user_text_cannot_forge_log_lines(fresh_app):
    app = fresh_app()
    stream = io.StringIO()
    app.logger.handlers[0].setStream(stream)
    forged = "ค้นหา\r\n2030-01-01 00:00:00,000 INFO cop: admin logged in\u2028\u202e\x00"
    app.logger.warning("Search for %s failed", forged)
    try:
        raise ValueError("bad\ninput")
    except ValueError:
        app.logger.exception("Unhandled error on %s", "/x\r\ny")
    lines = stream.getvalue().splitlines()
    records = [line for line in lines if not line.startswith("| ")]
    assert len(records) == 2, lines
    assert "\\r\\n2030-01-01" in records[0] and "\\u202e" in records[0] and "\\u0000" in records[0]
    assert not any(line.startswith("2030") for line in lines)


# --- rate limits, switched on ------------------------------------------------------------------


def _limited_app(fresh_app, **limits):
    return fresh_app(RATELIMIT_ENABLED=True, **limits)


def test_login_is_rate_limited_with_a_clear_message(fresh_app):
    app = _limited_app(fresh_app, RATELIMIT_LOGIN="3 per minute")
    client = app.test_client()
    for _ in range(3):
        assert client.post("/login", data={"email": "x@example.org", "password": "wrong password!"}).status_code == 422
    blocked = client.post("/login", data={"email": "x@example.org", "password": "wrong password!"})
    assert blocked.status_code == 429
    assert "ลองหลายครั้งเกินไป" in blocked.text
    assert client.get("/login").status_code == 200  # reading the form is not limited


def test_register_and_reset_are_rate_limited(fresh_app):
    app = _limited_app(fresh_app, RATELIMIT_REGISTER="2 per minute", RATELIMIT_RESET="2 per minute")
    client = app.test_client()
    codes = [client.post("/register", data={"email": f"r{i}@example.org"}).status_code for i in range(3)]
    assert codes == [422, 422, 429]
    codes = [client.post("/reset/not-a-token", data={"password": "x"}).status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_posting_shares_one_budget_across_stories_threads_and_replies(fresh_app):
    app = _limited_app(fresh_app, RATELIMIT_POST="3 per minute")
    email = _user(app)
    client = app.test_client()
    _login(client, email)
    first = client.post("/threads/new", data={"title": "", "body": ""})
    second = client.post("/stories/new", data={"title": ""})
    third = client.post("/threads/new", data={"title": "", "body": ""})
    assert {first.status_code, second.status_code, third.status_code} <= {200, 302, 422}
    blocked = client.post("/stories/new", data={"title": ""})
    assert blocked.status_code == 429 and "ลองหลายครั้งเกินไป" in blocked.text
    assert client.get("/stories/new").status_code == 200
    other = app.test_client()
    _login(other, _user(app, "second@example.org"))
    assert other.post("/threads/new", data={"title": "", "body": ""}).status_code != 429  # per account


def test_a_limited_form_comes_back_with_what_was_typed(fresh_app):
    app = _limited_app(fresh_app, RATELIMIT_POST="1 per minute", RATELIMIT_REGISTER="1 per minute")
    client = app.test_client()
    client.post("/register", data={"email": "first@example.org"})
    blocked = client.post(
        "/register",
        data={
            "email": "kept@example.org",
            "name": "สมหญิง จำได้",
            "agency": "กรมตัวอย่างการพิมพ์",
            "password": "ไม่ส่งกลับ 12345",
        },
    )
    assert blocked.status_code == 429 and "ลองหลายครั้งเกินไป" in blocked.text
    assert 'value="kept@example.org"' in blocked.text and "สมหญิง จำได้" in blocked.text
    assert "กรมตัวอย่างการพิมพ์" in blocked.text and "ไม่ส่งกลับ" not in blocked.text  # passwords stay unsent

    _login(client, _user(app))
    client.post("/threads/new", data={"title": "", "body": ""})
    typed = {"title": "คำถามยาวที่พิมพ์ไว้แล้ว", "body": "รายละเอียดหลายบรรทัด\nที่ไม่อยากพิมพ์ใหม่", "codes": "SP7"}
    blocked = client.post("/threads/new", data=typed)
    assert blocked.status_code == 429 and "ลองหลายครั้งเกินไป" in blocked.text
    assert all(value in blocked.text for value in typed.values())
    blocked = client.post("/stories/new", data={"title": "เรื่องเล่าที่พิมพ์ค้างไว้", "body": "เนื้อเรื่องยาว"})
    assert blocked.status_code == 429 and "เรื่องเล่าที่พิมพ์ค้างไว้" in blocked.text and "เนื้อเรื่องยาว" in blocked.text
    with fresh_session(app):
        from cop.accounts.models import User
        from cop.threads import services as threads

        thread = threads.create_thread(
            db.session.scalar(db.select(User)), title="คำถามที่มีอยู่แล้ว", body="ถาม", categories=["1"], codes="LD1"
        )
        db.session.commit()
        thread_id = thread.id
    blocked = client.post(f"/threads/{thread_id}/replies", data={"body": "คำตอบยาวที่พิมพ์ไว้บนมือถือ"})
    assert blocked.status_code == 429 and "คำตอบยาวที่พิมพ์ไว้บนมือถือ" in blocked.text and "คำถามที่มีอยู่แล้ว" in blocked.text
    with fresh_session(app):
        from cop.stories.models import Story
        from cop.threads.models import Thread

        assert db.session.query(Story).count() == 0 and db.session.query(Thread).count() == 1


def test_search_api_is_rate_limited(fresh_app):
    app = _limited_app(fresh_app, RATELIMIT_SEARCH="4 per minute")
    client = app.test_client()
    codes = [client.get("/api/v1/search?q=PMQA").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert client.get("/api/v1/search?q=PMQA").get_json()["message"]


COUNTER_SCRIPT = """
import sys
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
import cop.core.ratelimit  # registers sqlite://
limiter = FixedWindowRateLimiter(storage_from_string(sys.argv[1]))
print(sum(limiter.hit(parse("25 per minute"), "login", "127.0.0.1") for _ in range(20)))
"""


def test_counters_are_shared_between_worker_processes(tmp_path):
    """The default storage (a SQLite file) is one budget for every worker: 2 x 20 tries, 25 allowed."""
    uri = f"sqlite:///{tmp_path / 'ratelimit.sqlite3'}"
    workers = [
        subprocess.Popen([sys.executable, "-c", COUNTER_SCRIPT, uri], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    allowed = [int(w.communicate(timeout=60)[0]) for w in workers]
    assert sum(allowed) == 25


def test_default_storage_is_the_shared_file(fresh_app):
    app = fresh_app()
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("sqlite:///")
    assert app.config["RATELIMIT_STORAGE_URI"].endswith("ratelimit.sqlite3")
