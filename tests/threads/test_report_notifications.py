"""Moderators hear of every report (in the app, and by the e-mail digest) and see the open count in the header."""

import re

from sqlalchemy import select

from cop.extensions import db
from cop.threads.models import Reply, Report

from ..clinics.helpers import notifications_for
from ..helpers import fresh_session, scalar


def header_count(page_text):
    match = re.search(
        r'<a class="moderation-link" href="/threads/moderation"[^>]*>([^<]*)(?:<span class="badge"'
        r' aria-hidden="true">(\d+)</span>)?',
        page_text,
    )
    return None if match is None else int(match.group(2) or 0)


def test_each_report_notifies_every_moderator_and_admin_but_not_members(app, client, old_user, login, ask, answer):
    moderator = old_user(role="moderator")
    admin = old_user(role="admin")
    member = old_user()
    thread_id = ask(old_user(), title="คำถามที่มีสแปม")
    reply_id = answer(old_user(), thread_id, "ขายของ ลิงก์สแปม")
    login(old_user())
    client.post(f"/threads/replies/{reply_id}/report", data={"reason": "สแปมโฆษณา"})
    client.post(f"/threads/{thread_id}/report", data={"reason": "หัวข้อไม่เหมาะสม"})
    for email in (moderator, admin):
        notes = notifications_for(app, email)
        assert [n[0] for n in notes] == ["thread.report", "thread.report"]
        assert "คำถามที่มีสแปม" in notes[0][1] and "สแปมโฆษณา" in notes[0][1]
        assert notes[0][2].startswith("/threads/moderation#report-")
    assert notifications_for(app, member) == []


def test_header_shows_open_reports_to_moderators_only_and_opening_the_queue_reads_them(
    app, client, old_user, login, ask
):
    moderator = old_user(role="moderator")
    thread_id = ask(old_user())
    login(old_user())
    page = client.get("/").text
    assert header_count(page) is None  # members have no such entry
    client.post(f"/threads/{thread_id}/report", data={"reason": "ซ้ำกับกระทู้อื่น"})
    client.post("/logout")
    login(moderator)
    home = client.get("/").text
    assert header_count(home) == 1
    assert 'class="badge" aria-hidden="true">1</span>' in home  # the notification is unread too
    client.get("/threads/moderation")
    assert notifications_for(app, moderator)  # still listed
    home = client.get("/").text
    assert 'notifications-link" href="/notifications">การแจ้งเตือน</a>' in home  # and now read


def test_hide_and_resolve_in_one_step_closes_every_report_of_that_post(app, client, old_user, login, ask, answer):
    thread_id = ask(old_user())
    reply_id = answer(old_user(), thread_id, "ข้อความสแปม")
    for reason in ("สแปม", "โฆษณา"):
        login(old_user())
        client.post(f"/threads/replies/{reply_id}/report", data={"reason": reason})
        client.post("/logout")
    login(old_user(role="moderator"))
    first = scalar(app, select(Report.id).order_by(Report.id))
    done = client.post(
        f"/threads/reports/{first}/resolve", data={"action": "hide", "resolution": "ซ่อนแล้ว"}, follow_redirects=True
    )
    assert "ซ่อนโพสต์และปิดรายงานแล้ว" in done.text
    assert header_count(done.text) == 0 and "ไม่มีรายงานที่รอดำเนินการ" in done.text
    with fresh_session(app):
        assert db.session.get(Reply, reply_id).hidden is True
        assert db.session.scalar(select(db.func.count(Report.id)).where(Report.resolved_at.is_(None))) == 0


def test_the_digest_mails_report_notifications_when_smtp_is_configured(
    app, runner, client, old_user, login, ask, smtp_server
):
    port, received = smtp_server
    moderator = old_user(role="moderator", email="mod@example.org")
    thread_id = ask(old_user(), title="กระทู้ที่ถูกแจ้ง")
    login(old_user())
    client.post(f"/threads/{thread_id}/report", data={"reason": "ข้อมูลส่วนบุคคลหลุด"})
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, BASE_URL="https://cop.example")
    assert "Sent 1" in runner.invoke(args=["notifications", "digest"]).output
    mail = received[0]
    assert mail["To"] == moderator
    text = mail.get_payload(decode=True).decode("utf-8")
    assert "กระทู้ที่ถูกแจ้ง" in text and "https://cop.example/threads/moderation#report-" in text
