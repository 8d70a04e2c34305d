"""Steps every browser test takes through the real forms."""

from playwright.sync_api import expect

from ..helpers import PASSWORD


def log_in(page, base, email, password=PASSWORD):
    page.goto(base + "/login")
    page.get_by_label("อีเมล").fill(email)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_text("เข้าสู่ระบบแล้ว")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="ออกจากระบบ").click()
    expect(page.get_by_text("ออกจากระบบแล้ว")).to_be_visible()  # wait: the new session cookie must land first


def go_to_section(page, name):
    """Follow a main-navigation link; on a phone the sections sit behind the เมนู (menu) button."""
    menu = page.locator("details.phone-menu")
    if menu.is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name=name, exact=True).click()
