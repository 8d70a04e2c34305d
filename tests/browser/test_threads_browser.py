"""A newcomer asks under CS1; a trainer following CS1 is notified and answers; the asker marks the key
lesson; the CS1 page shows it. Hostile Markdown never runs; a locked question refuses replies."""

from playwright.sync_api import expect

from ..helpers import fresh_session
from .helpers import log_in, log_out


def test_question_notification_answer_and_key_lesson(page, live_server, make_user):
    newcomer = make_user(name="น้องใหม่ ถามเก่ง")
    trainer = make_user(role="facilitator", name="ครูวิทยากร ตัวคูณ")

    log_in(page, live_server, trainer)
    page.goto(live_server + "/threads?code=cs 1 a")
    page.get_by_role("button", name="ติดตาม CS1").click()
    expect(page.get_by_text("ติดตามแล้ว").first).to_be_visible()
    log_out(page)

    log_in(page, live_server, newcomer)
    page.goto(live_server + "/threads")
    page.get_by_role("link", name="ตั้งคำถาม").first.click()
    page.get_by_label("คำถามของคุณ").fill("จำแนกกลุ่มผู้รับบริการตาม CS1 เริ่มตรงไหน")
    page.get_by_label("รายละเอียด").fill(
        'หน่วยงานเรามีผู้รับบริการหลายกลุ่ม\n\n<script>window.pwned = 1</script>\n\n<img src=x onerror="window.pwned = 2">'
    )
    page.get_by_label("รหัสกิจกรรม").fill("CS 1")
    page.get_by_role("button", name="ส่งคำถาม").click()
    expect(page.get_by_role("heading", name="จำแนกกลุ่มผู้รับบริการตาม CS1 เริ่มตรงไหน")).to_be_visible()
    assert page.evaluate("window.pwned === undefined")
    log_out(page)

    log_in(page, live_server, trainer)
    badge = page.locator(".notifications-link .badge")
    assert badge.inner_text() == "1"
    page.locator(".notifications-link").click()
    page.get_by_role("link", name="จำแนกกลุ่มผู้รับบริการตาม CS1").click()
    page.get_by_label("คำตอบของคุณ").fill("เริ่มจาก **พันธกิจ** แล้วแบ่งกลุ่มตามความต้องการที่ต่างกัน")
    page.get_by_role("button", name="ส่งคำตอบ").click()
    assert page.locator(".reply .prose strong").inner_text() == "พันธกิจ"
    assert page.locator(".notifications-link .badge").count() == 0  # opening the question read it
    log_out(page)

    log_in(page, live_server, newcomer)
    assert page.locator(".notifications-link .badge").inner_text() == "1"
    page.locator(".notifications-link").click()
    page.get_by_role("link", name="ครูวิทยากร ตัวคูณ").first.click()
    page.get_by_role("button", name="ทำเครื่องหมายเป็นบทเรียนสำคัญ").click()
    expect(page.locator(".reply.key-lesson").first).to_be_visible()

    page.goto(live_server + "/codes/CS1")
    cards = page.locator(".tactic-card")
    assert cards.count() == 1
    assert "แบ่งกลุ่มตามความต้องการที่ต่างกัน" in cards.first.inner_text()
    assert page.js_errors == []


def test_hostile_reply_does_not_run_and_locked_question_refuses(page, live_server, make_user, app):
    from cop.accounts.services import find_user
    from cop.extensions import db
    from cop.threads import services

    asker = make_user()
    moderator = make_user(role="moderator")
    with fresh_session(app):
        thread = services.create_thread(
            find_user(asker), title="กระทู้ทดสอบความปลอดภัย", body="ก", codes=["IT6"], check_limits=False
        )
        db.session.commit()
        thread_id = thread.id

    log_in(page, live_server, asker)
    page.goto(f"{live_server}/threads/{thread_id}")
    page.get_by_label("คำตอบของคุณ").fill(
        '[คลิก](javascript:window.pwned=3)\n\n<svg onload="window.pwned=4"></svg>'
        '\n\n<a href="#" onclick="window.pwned=5">ลิงก์</a>'
    )
    page.get_by_role("button", name="ส่งคำตอบ").click()
    for link in page.locator(".reply .prose a").all():
        link.click()
    assert page.evaluate("window.pwned === undefined")
    log_out(page)

    log_in(page, live_server, moderator)
    page.goto(f"{live_server}/threads/{thread_id}")
    page.get_by_role("button", name="ล็อก", exact=True).click()
    log_out(page)

    log_in(page, live_server, asker)
    page.goto(f"{live_server}/threads/{thread_id}")
    expect(page.get_by_text("กระทู้นี้ถูกล็อก")).to_be_visible()
    assert page.get_by_label("คำตอบของคุณ").count() == 0
    assert page.js_errors == []
