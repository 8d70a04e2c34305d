"""A coordinator schedules a clinic with two trainers past a conflict warning; members fill it,
one cancels, and the first on the waitlist is promoted and notified — in real Chromium, CSRF on."""

from playwright.sync_api import expect

from ..clinics.helpers import add_clinic, add_trainer
from .helpers import log_in, log_out


def test_schedule_with_conflict_then_waitlist_promotion(page, live_server, app, make_user):
    add_trainer(app, "ดวงพร เหนือฟ้า")
    add_trainer(app, "ประยูร สองแคว", email="prayoon@example.org")
    add_clinic(app, "คลินิกเชียงใหม่เดิม", starts="2028-03-17T09:00", ends="2028-03-17T12:00", trainers=["ดวงพร เหนือฟ้า"])
    coordinator = make_user("coordinator", email="coord@example.org")
    first, second, third = (make_user(email=f"member{i}@example.org", name=f"สมาชิก {i}") for i in (1, 2, 3))

    log_in(page, live_server, coordinator)
    page.goto(live_server + "/clinics")
    page.get_by_role("link", name="จัดตารางคลินิก").click()
    page.get_by_label("ชื่อเรื่อง").fill("คลินิกสัญจร ขอนแก่น หมวด 3")
    page.get_by_label("เริ่ม (เวลาประเทศไทย)").fill("17/03/2571 10.00 น.")  # Buddhist Era, Thai time
    page.get_by_label("สิ้นสุด (เวลาประเทศไทย)").fill("๑๗/๐๓/๒๕๗๑ 16:00")
    page.get_by_label("สถานที่").fill("ศาลากลางจังหวัดขอนแก่น")
    page.get_by_label("จังหวัด").select_option("ขอนแก่น")
    page.get_by_label("รหัสกิจกรรม PMQA").fill("cs 1, CS2")
    page.get_by_label("ที่นั่ง").fill("2")
    page.get_by_label("วิทยากร").fill("ดวงพร เหนือฟ้า\nประยูร สองแคว")
    page.get_by_role("button", name="บันทึก").click()
    warning = page.locator(".conflicts")
    expect(warning).to_be_visible()
    assert "ดวงพร เหนือฟ้า" in warning.inner_text()
    assert "คลินิกเชียงใหม่เดิม" in warning.inner_text()
    page.get_by_label("รับทราบคำเตือนข้างต้นแล้ว").check()
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_text("จัดตารางคลินิกแล้ว")).to_be_visible()
    expect(page.get_by_role("heading", name="คลินิกสัญจร ขอนแก่น หมวด 3")).to_be_visible()
    expect(page.get_by_text("17 มี.ค. 2571 10:00 น.", exact=False)).to_be_visible()
    clinic_url = page.url
    log_out(page)

    for email in (first, second, third):
        log_in(page, live_server, email)
        page.goto(clinic_url)
        button = page.get_by_role("button", name="ลงทะเบียนเข้าร่วม").or_(page.get_by_role("button", name="ลงชื่อสำรอง"))
        with page.expect_navigation():  # the registration lands before the next person logs in
            button.click()
        log_out(page)

    log_in(page, live_server, third)
    page.goto(clinic_url)
    expect(page.get_by_text("ท่านอยู่ลำดับที่ 1 ในรายชื่อสำรอง")).to_be_visible()
    log_out(page)

    log_in(page, live_server, first)
    page.goto(clinic_url)
    page.get_by_role("link", name="ยกเลิกการลงทะเบียนของฉัน").click()
    page.get_by_role("button", name="ยืนยัน ยกเลิกการลงทะเบียน").click()
    expect(page.get_by_text("ยกเลิกการลงทะเบียนแล้ว")).to_be_visible()
    log_out(page)

    log_in(page, live_server, third)
    page.goto(clinic_url)
    assert page.locator("#my-status").inner_text() == "ท่านลงทะเบียนแล้ว"
    page.goto(live_server + "/notifications")
    expect(page.get_by_text("มีที่นั่งว่างแล้ว", exact=False).first).to_be_visible()
    log_out(page)

    log_in(page, live_server, coordinator)
    page.goto(clinic_url)
    page.get_by_role("link", name="ผู้ลงทะเบียน", exact=True).click()
    registered = page.locator("section.card").first.inner_text()
    assert "สมาชิก 2" in registered and "สมาชิก 3" in registered and "สมาชิก 1" not in registered
    assert page.js_errors == []
