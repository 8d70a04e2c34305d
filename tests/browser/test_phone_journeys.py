"""Two journeys on a phone (390x844), each from the home page, counting the clicks a person makes:
a coordinator schedules a clinic and a cancellation hands the seat to the waitlist; a facilitator archives an
AAR with action items — real Chromium, CSRF on. Typing into fields is not counted; clicks are (printed with -s)."""

from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from ..clinics.helpers import add_clinic, add_trainer
from ..helpers import fresh_session
from .helpers import log_in, log_out


class Clicks:
    """Clicks through a counter, so the journey reports how many taps it took."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def __call__(self, locator):
        self.count += 1
        locator.click()

    def menu(self, section):
        self(self.page.locator("details.phone-menu summary"))
        self(self.page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name=section, exact=True))


def _statuses(app):
    from cop.clinics.models import Registration
    from cop.extensions import db

    with fresh_session(app):
        return {r.user.name: r.status for r in db.session.scalars(select(Registration))}


def test_coordinator_schedules_a_clinic_and_a_cancellation_promotes_the_waitlist(page, live_server, app, make_user):
    add_trainer(app, "ดวงพร เหนือฟ้า")
    coordinator = make_user("coordinator", email="coord@example.org", name="ผู้ประสานงาน ขอนแก่น")
    members = [make_user(email=f"member{i}@example.org", name=f"สมาชิก {i}") for i in (1, 2, 3)]
    title = "คลินิกสัญจร ขอนแก่น SP7"
    counts = {}

    log_in(page, live_server, coordinator)
    page.goto(live_server + "/")
    click = Clicks(page)
    click.menu("คลินิกสัญจร")
    click(page.get_by_role("link", name="จัดตารางคลินิก"))
    page.get_by_label("ชื่อเรื่อง").fill(title)
    page.get_by_label("เริ่ม (เวลาประเทศไทย)").fill("17/03/2571 09:00")  # Buddhist Era, as typed in Thailand
    page.get_by_label("สิ้นสุด (เวลาประเทศไทย)").fill("17/03/2571 16:00")
    page.get_by_label("สถานที่").fill("ศาลากลางจังหวัดขอนแก่น")
    page.get_by_label("จังหวัด").select_option("ขอนแก่น")
    page.get_by_label("รหัสกิจกรรม PMQA").fill("SP7")
    page.get_by_label("ที่นั่ง").fill("2")
    page.get_by_label("วิทยากร").fill("ดวงพร เหนือฟ้า")
    click(page.get_by_role("button", name="บันทึก"))
    expect(page.get_by_text("จัดตารางคลินิกแล้ว")).to_be_visible()
    counts["coordinator schedules"] = click.count
    log_out(page)

    for email in members:  # two take the seats, the third waits
        log_in(page, live_server, email)
        page.goto(live_server + "/")
        click = Clicks(page)
        click.menu("คลินิกสัญจร")
        click(page.get_by_role("link", name=title))
        button = page.get_by_role("button", name="ลงทะเบียนเข้าร่วม").or_(page.get_by_role("button", name="ลงชื่อสำรอง"))
        with page.expect_navigation():
            click(button)
        counts["member registers"] = click.count
        log_out(page)
    assert _statuses(app) == {"สมาชิก 1": "registered", "สมาชิก 2": "registered", "สมาชิก 3": "waitlisted"}

    log_in(page, live_server, members[0])
    page.goto(live_server + "/")
    click = Clicks(page)
    click.menu("คลินิกสัญจร")
    click(page.get_by_role("link", name=title))
    click(page.get_by_role("link", name="ยกเลิกการลงทะเบียนของฉัน"))
    expect(page.get_by_role("heading", name="ยกเลิกที่นั่งของท่านใช่หรือไม่")).to_be_visible()
    expect(page.get_by_text("ลำดับแรกในรายชื่อสำรองทันที")).to_be_visible()
    assert _statuses(app)["สมาชิก 1"] == "registered"  # nothing is given away before the confirmation
    click(page.get_by_role("button", name="ยืนยัน ยกเลิกการลงทะเบียน"))
    expect(page.get_by_text("ยกเลิกการลงทะเบียนแล้ว")).to_be_visible()
    counts["member cancels with confirmation"] = click.count
    log_out(page)

    log_in(page, live_server, members[2])
    page.goto(live_server + "/")
    click = Clicks(page)
    click(page.get_by_role("link", name="การแจ้งเตือน"))
    click(page.get_by_role("link", name="มีที่นั่งว่างแล้ว", exact=False).first)
    assert page.locator("#my-status").inner_text() == "ท่านลงทะเบียนแล้ว"
    counts["waitlisted member sees the seat"] = click.count
    log_out(page)

    log_in(page, live_server, coordinator)
    page.goto(live_server + "/")
    click = Clicks(page)
    click.menu("คลินิกสัญจร")
    click(page.get_by_role("link", name=title))
    click(page.get_by_role("link", name="ผู้ลงทะเบียน", exact=True))
    sections = page.locator("section.card")
    expect(sections.nth(0)).to_contain_text("สมาชิก 3")
    expect(sections.nth(2)).to_contain_text("สมาชิก 1")  # cancelled
    counts["coordinator checks registrants"] = click.count
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    print("\nclicks, clinic journey:", counts)
    assert counts == {
        "coordinator schedules": 4,
        "member registers": 4,
        "member cancels with confirmation": 5,
        "waitlisted member sees the seat": 2,
        "coordinator checks registrants": 4,
    }
    assert page.js_errors == []


def test_facilitator_archives_an_aar_with_action_items(page, live_server, app, make_user):
    facilitator = make_user(role="facilitator", name="ธีระ ทบทวน", agency="สำนักงานจังหวัดขอนแก่น", province="ขอนแก่น")
    add_clinic(app, "คลินิกสัญจร ขอนแก่น หมวด 2", province="ขอนแก่น")
    log_in(page, live_server, facilitator)
    page.goto(live_server + "/")
    click = Clicks(page)
    click.menu("คลัง AAR")
    click(page.get_by_role("link", name="บันทึก AAR ของเวที"))
    page.get_by_label("ชื่อเวที").fill("AAR คลินิกสัญจร ขอนแก่น หมวด 2")
    page.get_by_label("วันที่จัด").fill("2026-03-19")
    page.get_by_label("รหัสกิจกรรม").fill("sp 7")
    page.get_by_label("เชื่อมโยงกับ").select_option(label="คลินิกสัญจร ขอนแก่น หมวด 2 (ขอนแก่น)")
    page.get_by_label("สิ่งที่คาดหวังไว้").fill("- ทุกทีมมีร่างแผนยุทธศาสตร์")
    page.get_by_label("สิ่งที่เกิดขึ้นจริง").fill("- ห้าจากหกทีมมีร่างแผน")
    page.get_by_label("ทำไมจึงแตกต่าง").fill("- ทีมหนึ่งไม่มีข้อมูลผลการดำเนินงานเดิม")
    page.get_by_label("ครั้งหน้าจะทำอะไร").fill("- ส่งแบบฟอร์มข้อมูลให้ทีมล่วงหน้า")
    click(page.get_by_role("button", name="เผยแพร่"))
    expect(page.get_by_text("เผยแพร่ AAR แล้ว")).to_be_visible()
    expect(page.get_by_role("link", name="คลินิกสัญจร ขอนแก่น หมวด 2")).to_be_visible()  # linked by its title

    soon = (date.today() + timedelta(days=14)).isoformat()
    for what, owner in (("ส่งแบบฟอร์มข้อมูลผลการดำเนินงาน", "ผู้ประสานงานจังหวัด"), ("นัดทบทวนร่างแผนรอบสอง", "ทีมวิทยากรจังหวัด")):
        page.get_by_label("สิ่งที่ต้องทำ").fill(what)
        page.get_by_label("ผู้รับผิดชอบ").fill(owner)
        page.get_by_label("กำหนดเสร็จ").fill(soon)
        click(page.get_by_role("button", name="เพิ่ม", exact=True))
        expect(page.get_by_text("เพิ่มรายการติดตามแล้ว")).to_be_visible()
    rows = page.locator("#actions tbody tr")
    assert rows.count() == 2
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    box = rows.first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the action items are cards on the phone
    print("\nclicks, AAR journey:", click.count)
    assert click.count == 6
    assert page.js_errors == []
