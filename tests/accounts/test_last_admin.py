"""The last admin keeps the role (admin page and CLI); every role change is confirmed first."""

from sqlalchemy import select

from cop.accounts.models import AuditEntry, User

from ..helpers import scalar


def user_id(app, email) -> int:
    return scalar(app, select(User.id).where(User.email == email))


def role_of(app, email) -> str:
    return scalar(app, select(User.role).where(User.email == email))


def test_last_admin_cannot_demote_themselves_on_the_admin_page(app, client, make_user, login):
    admin = make_user(role="admin", name="ผู้ดูแล คนเดียว")
    login(admin)
    for data in ({"role": "member"}, {"role": "member", "confirm": "yes"}):
        response = client.post(f"/admin/users/{user_id(app, admin)}/role", data=data, follow_redirects=True)
        assert "ผู้ดูแล คนเดียว เป็นผู้ดูแลระบบคนสุดท้าย" in response.text
        assert 'name="confirm" value="yes"' not in response.text  # refused outright, no confirmation offered
    assert role_of(app, admin) == "admin"
    assert scalar(app, select(AuditEntry)) is None
    assert client.get("/admin/users").status_code == 200  # still able to administer


def test_with_a_second_admin_the_change_is_confirmed_then_made(app, client, make_user, login):
    admin, second = make_user(role="admin"), make_user(role="admin", name="ผู้ดูแล สำรอง")
    login(admin)
    asked = client.post(f"/admin/users/{user_id(app, second)}/role", data={"role": "member"})
    assert asked.status_code == 200
    assert "ยืนยันเปลี่ยนบทบาทของ ผู้ดูแล สำรอง" in asked.text and "จะจัดการสมาชิกและบทบาทไม่ได้อีก" in asked.text
    assert "<script>" not in asked.text.split("<main", 1)[-1]  # a plain form: the CSP forbids inline script
    assert role_of(app, second) == "admin"
    done = client.post(f"/admin/users/{user_id(app, second)}/role", data={"role": "member", "confirm": "yes"})
    assert done.status_code == 302 and role_of(app, second) == "member"
    # now admin is the last one again
    client.post(f"/admin/users/{user_id(app, admin)}/role", data={"role": "moderator", "confirm": "yes"})
    assert role_of(app, admin) == "admin"


def test_cli_refuses_the_last_admin_and_asks_before_a_change(app, runner, make_user):
    admin, member = make_user(role="admin"), make_user()
    refused = runner.invoke(args=["user", "role", admin, "member", "--yes"])
    assert refused.exit_code != 0 and "last administrator" in refused.output
    assert role_of(app, admin) == "admin"
    declined = runner.invoke(args=["user", "role", member, "coordinator"], input="n\n")
    assert declined.exit_code != 0 and "Change" in declined.output and role_of(app, member) == "member"
    accepted = runner.invoke(args=["user", "role", member, "admin"], input="y\n")
    assert accepted.exit_code == 0 and role_of(app, member) == "admin"
    assert runner.invoke(args=["user", "role", admin, "member", "--yes"]).exit_code == 0  # no longer the last
    assert role_of(app, admin) == "member"
