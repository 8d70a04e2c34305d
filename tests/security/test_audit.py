"""Role changes (admin page and CLI) and moderation land in one audit log that admins can read."""

from sqlalchemy import select

from cop.accounts.models import AuditEntry, User
from cop.extensions import db

from ..helpers import fresh_session, scalar


def test_role_changes_from_the_admin_page_and_the_cli_are_logged(app, client, runner, make_user, login):
    admin = make_user(role="admin", name="ผู้ดูแล หลัก")
    target = make_user(name="สมศรี เปลี่ยนบทบาท")
    target_id = scalar(app, select(User.id).where(User.email == target))
    login(admin)
    assert (
        client.post(f"/admin/users/{target_id}/role", data={"role": "moderator", "confirm": "yes"}).status_code == 302
    )
    result = runner.invoke(args=["user", "role", target, "facilitator", "--yes"])
    assert result.exit_code == 0, result.output
    page = client.get("/admin/audit")
    assert page.status_code == 200
    # stored as codes, shown as people read them (role names in the interface language)
    assert "สมาชิก → ผู้ดูแลกระดานสนทนา" in page.text and "ผู้ดูแล หลัก" in page.text
    assert "ผู้ดูแลกระดานสนทนา → วิทยากรกระบวนการ" in page.text and "บรรทัดคำสั่ง" in page.text
    assert "-&gt;" not in page.text
    with fresh_session(app):
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.actor_label, e.detail) for e in entries] == [
            ("web", "member -> moderator"),
            ("cli", "moderator -> facilitator"),
        ]


def test_moderation_shows_in_the_audit_log_and_only_admins_read_it(app, client, make_user, login):
    from cop.threads import services as thread_services

    moderator = make_user(role="moderator", name="ผู้ดูแล กระทู้")
    member = make_user()
    with fresh_session(app):
        author = db.session.scalar(select(User).where(User.email == member))
        thread = thread_services.create_thread(
            author,
            title="คำถามทดสอบการตรวจสอบ",
            body="เนื้อหาของคำถาม",
            categories=["1"],
            check_limits=False,
            notify=False,
        )
        db.session.commit()
        thread_id = thread.id
    login(moderator)
    assert client.post(f"/threads/{thread_id}/lock").status_code in (302, 303)
    assert client.get("/admin/audit").status_code == 403
    client.post("/logout")
    login(make_user(role="admin"))
    page = client.get("/admin/audit")
    assert "ผู้ดูแล กระทู้" in page.text and f"/threads/{thread_id}" in page.text
