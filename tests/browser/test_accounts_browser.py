"""A newcomer registers, logs out, logs in again and reads the site in Thai, on a phone-sized screen."""

from playwright.sync_api import expect

from ..helpers import PASSWORD


def test_register_login_and_thai_interface(page, live_server):
    page.goto(live_server + "/register")
    assert page.locator("html").get_attribute("lang") == "th"
    page.get_by_label("ชื่อ-นามสกุล").fill("วิไล ทดลองใช้")
    page.get_by_label("อีเมล").fill("wilai@example.org")
    page.get_by_label("หน่วยงาน").fill("สำนักงานจังหวัดนครศรีธรรมราช")
    page.get_by_label("จังหวัด").select_option("นครศรีธรรมราช")
    page.get_by_label("รหัสผ่าน", exact=True).fill(PASSWORD)
    page.get_by_label("ยืนยันรหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="สมัครสมาชิก").click()
    expect(page.get_by_text("ยินดีต้อนรับ วิไล ทดลองใช้")).to_be_visible()

    page.get_by_role("button", name="ออกจากระบบ").click()

    expect(page.get_by_text("ออกจากระบบแล้ว")).to_be_visible()  # wait: the new session cookie must land first
    page.get_by_role("link", name="เข้าสู่ระบบ").first.click()
    page.get_by_label("อีเมล").fill("wilai@example.org")
    page.get_by_label("รหัสผ่าน").fill("not the password at all")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_text("อีเมลหรือรหัสผ่านไม่ถูกต้อง")).to_be_visible()
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_text("เข้าสู่ระบบแล้ว")).to_be_visible()
    expect(page.get_by_role("link", name="วิไล ทดลองใช้")).to_be_visible()
    # Thai text renders with a real font (Sarabun from /static), not tofu boxes
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Sarabun" in font
    assert page.evaluate("document.fonts.check('16px Sarabun', 'ผู้รับบริการ')")

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()  # the choice is remembered
    assert page.js_errors == []
