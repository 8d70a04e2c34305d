"""Each persona reaches their goal from the home page on a phone (390×844), in real Chromium, on the seed.

Every tap (a click or a choice in a drop-down) is counted; typing is not. The counts are asserted as an
upper bound so a change that lengthens a journey is noticed. Set COP_SHOTS=DIR to keep screenshots.
"""

import os
import re

from playwright.sync_api import expect

from ..helpers import PASSWORD
from .helpers import log_out


class Taps:
    """Counts what a person taps on their way."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def choose(self, locator, value):
        self.count += 1
        locator.select_option(value)


def shot(page, name):
    folder = os.environ.get("COP_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def seed(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output


def test_newcomer_reaches_an_sp7_story_key_lesson_and_a_trainer_to_contact_in_khon_kaen(page, live_server, runner):
    seed(runner)
    taps = Taps(page)
    page.goto(live_server + "/")
    taps.choose(page.get_by_label("หมวดหรือรหัสกิจกรรม", exact=True), "SP7")
    taps.choose(page.get_by_label("จังหวัดของคุณ", exact=False), "ขอนแก่น")
    taps.click(page.get_by_role("button", name="แสดง", exact=True))
    expect(page.get_by_role("heading", name=re.compile("^SP7 — "))).to_be_visible()

    stories = page.locator("section", has=page.get_by_role("heading", name="เรื่องเล่าที่มีประโยชน์ที่สุด"))
    taps.click(stories.get_by_role("link", name=re.compile("บริหารความเสี่ยง SP7")))
    expect(page.get_by_role("heading", level=1, name=re.compile("บริหารความเสี่ยง SP7"))).to_be_visible()
    story_taps = taps.count
    taps.count += 1
    page.go_back()

    lessons = page.locator("section.tactic-cards")
    expect(lessons.locator(".tactic-card").first).to_contain_text("อะไรที่ถ้าเกิดขึ้นแล้ว")
    taps.click(lessons.get_by_role("link", name=re.compile("SP7")).first)
    expect(page.locator(".reply.key-lesson").first).to_contain_text("อะไรที่ถ้าเกิดขึ้นแล้ว")
    lesson_taps = taps.count
    taps.count += 1
    page.go_back()

    trainers = page.locator("section", has=page.get_by_role("heading", name="วิทยากรใกล้คุณ"))
    first = trainers.locator("li").first
    expect(first).to_contain_text("อรวรรณ แก่นคูณ")
    expect(first).to_contain_text("จังหวัดเดียวกับคุณ")
    taps.click(first.get_by_role("link"))
    contact = page.locator("section.contact")
    expect(contact).to_contain_text("ยินยอมเปิดเผยช่องทางติดต่อแก่สมาชิก")
    expect(contact).not_to_contain_text("08-0000-0114")  # anonymous: nothing shown yet
    shot(page, "trainer-consent-anonymous")
    expect(contact.get_by_role("link", name="เข้าสู่ระบบเพื่อดูช่องทางติดต่อ")).to_be_visible()
    taps.click(contact.get_by_role("link", name="สมัครสมาชิก"))  # a newcomer has no account yet
    page.get_by_label("ชื่อ-นามสกุล").fill("ผู้มาใหม่ ขอนแก่น")
    page.get_by_label("อีเมล").fill("newcomer@example.org")
    page.get_by_label("รหัสผ่าน", exact=True).fill(PASSWORD)
    page.get_by_label("ยืนยันรหัสผ่าน").fill(PASSWORD)
    taps.click(page.get_by_role("button", name="สมัครสมาชิก"))
    expect(page.get_by_role("heading", level=1, name="อรวรรณ แก่นคูณ (ตัวอย่าง)")).to_be_visible()
    expect(page.locator("section.contact")).to_contain_text("08-0000-0114")
    expect(page.locator("section.contact")).to_contain_text("orawan.trainer@example.org")
    assert no_sideways_scroll(page)
    assert page.js_errors == []
    print(
        f"\nnewcomer: story after {story_taps} taps, key lesson after {lesson_taps}, "
        f"trainer contacts after {taps.count} (incl. registering)"
    )
    assert story_taps <= 4 and lesson_taps <= 6 and taps.count <= 10


def test_member_asks_from_the_sp7_page_and_the_question_carries_sp7(page, live_server, runner, make_user):
    seed(runner)
    member = make_user(name="สมาชิก ถามต่อ")
    taps = Taps(page)
    page.goto(live_server + "/")
    taps.choose(page.get_by_label("หมวดหรือรหัสกิจกรรม", exact=True), "SP7")
    taps.click(page.get_by_role("button", name="แสดง", exact=True))
    taps.click(page.get_by_role("link", name="หน้า SP7", exact=True))
    expect(page.get_by_role("heading", level=1, name=re.compile("^SP7"))).to_be_visible()
    shot(page, "code-sp7-anonymous")
    taps.click(page.get_by_role("link", name="เข้าสู่ระบบเพื่อตั้งคำถามเรื่อง SP7"))
    page.get_by_label("อีเมล").fill(member)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    taps.click(page.get_by_role("button", name="เข้าสู่ระบบ"))
    expect(page.get_by_role("heading", name="ตั้งคำถาม")).to_be_visible()
    expect(page.get_by_label("รหัสกิจกรรม")).to_have_value("SP7")
    expect(page.locator("input[name=categories][value='2']")).to_be_checked()
    shot(page, "new-question-prefilled")
    page.get_by_label("คำถามของคุณ").fill("ทะเบียนความเสี่ยงของโครงการควรทบทวนบ่อยแค่ไหน")
    page.get_by_label("รายละเอียด").fill("ตอนนี้ทบทวนปีละครั้ง รู้สึกว่าช้าเกินไป")
    taps.click(page.get_by_role("button", name="ส่งคำถาม"))
    expect(page.get_by_role("heading", name="ทะเบียนความเสี่ยงของโครงการควรทบทวนบ่อยแค่ไหน")).to_be_visible()
    expect(page.locator("a.chip.code", has_text="SP7").first).to_be_visible()
    page.goto(live_server + "/codes/SP7")
    expect(page.locator("main")).to_contain_text("ทะเบียนความเสี่ยงของโครงการควรทบทวนบ่อยแค่ไหน")
    assert page.js_errors == []
    print(f"\nmember: question posted under SP7 after {taps.count} taps (incl. logging in)")
    assert taps.count <= 6


def test_moderator_is_notified_of_a_report_and_acts_on_it(page, live_server, runner, make_user):
    seed(runner)
    reporter = make_user(name="สมาชิก ช่างสังเกต")
    moderator = make_user(role="moderator", name="ผู้ดูแล ใจเย็น")
    # a member reports a reply (not counted: it is the member's journey)
    page.goto(live_server + "/login")
    page.get_by_label("อีเมล").fill(reporter)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(live_server + "/threads?code=SP7")
    page.get_by_role("link", name=re.compile("ทำอย่างไรไม่ให้เป็นแค่ตาราง")).click()
    reply = page.locator(".reply", has_text="เสริมจากประสบการณ์ที่โคราช")
    reply.locator("summary", has_text="รายงานปัญหา").click()
    reply.get_by_label("โพสต์นี้มีปัญหาอะไร").fill("ข้อความซ้ำกับกระทู้อื่น")
    reply.get_by_role("button", name="ส่งถึงผู้ดูแล").click()
    expect(page.locator(".flash.success")).to_contain_text("ผู้ดูแลจะตรวจสอบ")
    log_out(page)

    taps = Taps(page)
    page.goto(live_server + "/")
    taps.click(page.get_by_role("navigation", name="บัญชีผู้ใช้").get_by_role("link", name="เข้าสู่ระบบ"))
    page.get_by_label("อีเมล").fill(moderator)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    taps.click(page.get_by_role("button", name="เข้าสู่ระบบ"))
    expect(page.locator(".moderation-link .badge")).to_have_text("1")
    expect(page.locator(".notifications-link .badge")).to_have_text("1")
    shot(page, "header-moderator")
    taps.click(page.locator(".notifications-link"))
    taps.click(page.get_by_role("link", name=re.compile("มีผู้แจ้งตรวจสอบ")))
    item = page.locator(".report-item", has_text="ข้อความซ้ำกับกระทู้อื่น")
    expect(item).to_be_visible()
    shot(page, "moderation-queue")
    taps.click(item.get_by_role("button", name="ซ่อนโพสต์และปิดรายงาน"))
    expect(page.get_by_text("ซ่อนโพสต์และปิดรายงานแล้ว")).to_be_visible()
    expect(page.get_by_text("ไม่มีรายงานที่รอดำเนินการ")).to_be_visible()
    expect(page.locator(".moderation-link .badge")).to_have_count(0)
    expect(page.locator(".notifications-link .badge")).to_have_count(0)
    assert page.js_errors == []
    print(f"\nmoderator: report handled after {taps.count} taps (incl. logging in)")
    assert taps.count <= 5
