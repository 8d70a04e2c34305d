import re

from sqlalchemy import func, select

from cop.accounts.models import User
from cop.extensions import db

from ..helpers import PASSWORD, fresh_session, make_app, scalar


def register(client, **fields):
    data = {
        "name": "สมหญิง ใจดี",
        "email": "somying@example.org",
        "agency": "สำนักงานจังหวัดขอนแก่น",
        "province": "ขอนแก่น",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    data.update(fields)
    return client.post("/register", data=data)


def user_count(app):
    return scalar(app, select(func.count(User.id)))


def test_register_logs_in_and_shows_thai(client, app):
    response = register(client)
    assert response.status_code == 302
    home = client.get("/")
    assert "ออกจากระบบ" in home.text
    assert "สมหญิง ใจดี" in home.text
    with fresh_session(app):
        user = db.session.scalar(select(User))
        assert user.password_hash.startswith("scrypt:")  # slow, salted hash, never the password
        assert PASSWORD not in user.password_hash


def test_register_refuses_taken_email_weak_password_and_bad_email(client, app):
    assert register(client).status_code == 302
    client.post("/logout")
    taken = register(client, email="SOMYING@example.org")
    assert taken.status_code == 422 and "มีบัญชีที่ใช้อีเมลนี้แล้ว" in taken.text
    weak = register(client, email="other@example.org", password="short", confirm="short")
    assert weak.status_code == 422 and "อย่างน้อย 12 ตัวอักษร" in weak.text
    common = register(client, email="other@example.org", password="password1234", confirm="password1234")
    assert common.status_code == 422 and "รหัสผ่านนี้ใช้กันทั่วไป" in common.text
    bad = register(client, email="not-an-email")
    assert bad.status_code == 422 and "อีเมลที่ถูกต้อง" in bad.text
    assert user_count(app) == 1


def test_register_in_english_gives_english_messages(client):
    client.get("/lang/en")
    response = register(client, password="short", confirm="short")
    assert "Use at least 12 characters" in response.text


def test_login_wrong_password_and_next_stays_on_site(client, make_user, login):
    email = make_user()
    wrong = login(email, "not the right password")
    assert wrong.status_code == 422 and "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in wrong.text
    evil = client.post("/login?next=//evil.example/x", data={"email": email, "password": PASSWORD})
    assert evil.headers["Location"] == "/"
    client.post("/logout")
    good = client.post("/login?next=/profile", data={"email": email, "password": PASSWORD})
    assert good.headers["Location"] == "/profile"


def test_logout_ends_replayed_session(app, make_user, login, client):
    email = make_user()
    login(email)
    cookie = client.get_cookie("session").value
    assert client.get("/profile").status_code == 200
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/profile").status_code == 302  # back to the login page


def test_change_password_needs_current_and_ends_other_sessions(app, make_user, login, client):
    email = make_user()
    login(email)
    other = app.test_client()
    other.post("/login", data={"email": email, "password": PASSWORD})
    wrong = client.post(
        "/profile/password",
        data={
            "current_password": "nope nope nope",
            "password": "ทะเลสาบสีคราม ยามเช้า",
            "confirm": "ทะเลสาบสีคราม ยามเช้า",
        },
    )
    assert wrong.status_code == 422
    ok = client.post(
        "/profile/password",
        data={"current_password": PASSWORD, "password": "ทะเลสาบสีคราม ยามเช้า", "confirm": "ทะเลสาบสีคราม ยามเช้า"},
    )
    assert ok.status_code == 302
    assert client.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302


def test_admin_changes_role_and_issues_reset_link(app, make_user, login, client):
    admin = make_user(role="admin")
    member = make_user()
    login(member)
    assert client.get("/admin/users").status_code == 403
    client.post("/logout")
    login(admin)
    member_id = scalar(app, select(User.id).where(User.email == member))
    asked = client.post(f"/admin/users/{member_id}/role", data={"role": "coordinator"})
    assert asked.status_code == 200 and 'name="confirm" value="yes"' in asked.text  # a confirmation step first
    assert scalar(app, select(User.role).where(User.id == member_id)) == "member"
    client.post(f"/admin/users/{member_id}/role", data={"role": "coordinator", "confirm": "yes"})
    assert scalar(app, select(User.role).where(User.id == member_id)) == "coordinator"
    response = client.post(f"/admin/users/{member_id}/reset-link", follow_redirects=True)
    link = response.text.split("/reset/")[1].split()[0].split("<")[0]
    client.post("/logout")
    new_password = "ฝนตกที่เชียงใหม่ ทั้งวัน"
    assert client.post(f"/reset/{link}", data={"password": new_password, "confirm": new_password}).status_code == 302
    assert client.post("/login", data={"email": member, "password": new_password}).status_code == 302
    client.post("/logout")
    assert client.get(f"/reset/{link}").status_code == 404  # spent


def test_cli_user_create_and_token(runner, app, client):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "coord@example.org",
            "--name",
            "ผู้ประสานงาน",
            "--role",
            "coordinator",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["user", "token", "coord@example.org"])
    token = result.output.strip()
    assert token.startswith("cop_")
    with fresh_session(app):
        stored = db.session.scalar(select(User).where(User.email == "coord@example.org")).tokens[0].token_hash
        assert token not in stored
    weak = runner.invoke(args=["user", "create", "x@example.org", "--name", "x", "--password", "short"])
    assert weak.exit_code != 0 and "12" in weak.output


def test_csrf_is_enforced(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/login", data={"email": "a@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_healthz_and_error_pages(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["status"] == "ok"
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "ไม่พบหน้า" in missing.text
    client.get("/lang/en")
    assert "could not find" in client.get("/no-such-page").text


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.text)  # every script is a file
    assert not re.search(r"\son[a-z]+=", response.text)  # no inline event handlers


def test_api_writes_need_a_token_not_just_a_session_cookie(client, make_user, login):
    login(make_user())
    response = client.post("/api/v1/stories", json={"title": "x", "body": "y"})
    assert response.status_code == 401 and "Bearer" in response.json["error"]
