"""Follows, in-app notifications (header count, list, mark read) and the e-mail digest."""

from cop.extensions import db
from cop.notifications.models import Notification

from ..helpers import fresh_session


def follow(client, target_type, key, action="follow"):
    return client.post(
        "/follows", data={"target_type": target_type, "target_key": key, "action": action, "next": "/threads"}
    )


def unread_badge(client):
    import re

    match = re.search(r'class="badge"[^>]*>(\d+)<', client.get("/threads").text)
    return int(match.group(1)) if match else 0


def test_follow_a_code_and_hear_about_new_questions(app, client, old_user, login, ask):
    trainer, asker = old_user(role="facilitator"), old_user()
    login(trainer)
    assert follow(client, "code", "cs 1").status_code == 302
    assert unread_badge(client) == 0
    thread_id = ask(asker, title="คำถามใหม่ใน CS1", codes=("CS1",))
    ask(asker, title="คำถามเรื่องอื่น", codes=("IT7",))
    assert unread_badge(client) == 1
    listing = client.get("/notifications").text
    assert "คำถามใหม่ใน CS1" in listing and "คำถามเรื่องอื่น" not in listing
    client.get(f"/threads/{thread_id}")  # opening the question reads its notification
    assert unread_badge(client) == 0


def test_replies_notify_the_asker_and_other_repliers_not_yourself(app, client, old_user, login, ask, answer):
    asker, first, second = old_user(), old_user(), old_user(name="คนที่สอง")
    thread_id = ask(asker, title="ถามเรื่องแผนสำรอง")
    answer(first, thread_id)  # first now follows the thread
    answer(second, thread_id, "ตอบเพิ่ม")
    login(asker)
    assert unread_badge(client) == 2
    assert "คนที่สอง" in client.get("/notifications").text
    client.post("/logout")
    login(first)
    assert unread_badge(client) == 1  # the second reply only, not their own
    client.post("/logout")
    login(second)
    assert unread_badge(client) == 0


def test_mark_one_and_all_read_and_others_cannot_touch_mine(app, client, old_user, login, ask, answer):
    asker = old_user()
    thread_id = ask(asker)
    for n in range(3):
        answer(old_user(), thread_id, f"คำตอบ {n}")
    with fresh_session(app):
        ids = [n.id for n in db.session.query(Notification).order_by(Notification.id)]
    login(old_user())
    client.post(f"/notifications/{ids[0]}/read")  # not theirs: nothing changes
    client.post("/logout")
    login(asker)
    assert unread_badge(client) == 3
    client.post(f"/notifications/{ids[0]}/read")
    assert unread_badge(client) == 2
    client.post("/notifications/read-all")
    assert unread_badge(client) == 0


def test_unfollow_and_unknown_targets(app, client, old_user, login, ask):
    trainer = old_user()
    login(trainer)
    follow(client, "category", "หมวด 3")
    follow(client, "category", "3", action="unfollow")
    ask(old_user(), codes=("CS1",))
    assert unread_badge(client) == 0
    bad = follow(client, "code", "ZZ9")
    assert bad.status_code == 302
    assert "ไม่มีสิ่งที่ติดตามได้" in client.get("/threads").text
    assert follow(client, "thread", "999").status_code == 302


def test_unanswered_in_your_expertise(app, client, old_user, login, ask, answer):
    trainer = old_user(role="facilitator")
    waiting = ask(old_user(), title="รอคำตอบ CS1", codes=("CS1",))
    answered = ask(old_user(), title="ตอบแล้ว CS1", codes=("CS1",))
    answer(old_user(), answered)
    ask(old_user(), title="รอคำตอบ IT7", codes=("IT7",))
    login(trainer)
    assert "ติดตาม" in client.get("/threads/for-me").text
    follow(client, "code", "CS1")
    page = client.get("/threads/for-me").text
    assert "รอคำตอบ CS1" in page and "ตอบแล้ว CS1" not in page and "รอคำตอบ IT7" not in page
    assert waiting


def test_email_digest_through_a_local_smtp_server(app, runner, old_user, ask, answer, smtp_server):
    port, received = smtp_server
    asker = old_user(email="asker@example.org")
    thread_id = ask(asker, title="ถามเรื่องตัวชี้วัดรายบุคคล")
    answer(old_user(name="ผู้ตอบ"), thread_id, "ลองถ่ายทอดจากแผน")
    assert "not configured" in runner.invoke(args=["notifications", "digest"]).output
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, BASE_URL="https://cop.example")
    result = runner.invoke(args=["notifications", "digest"])
    assert "Sent 1" in result.output, result.output
    assert len(received) == 1
    mail = received[0]
    assert mail["To"] == "asker@example.org"
    text = mail.get_payload(decode=True).decode("utf-8")
    assert "ถามเรื่องตัวชี้วัดรายบุคคล" in text and f"https://cop.example/threads/{thread_id}#reply-" in text
    runner.invoke(args=["notifications", "digest"])
    assert len(received) == 1  # each notification is mailed once
