"""A newcomer on a phone: lands on the seeded home page, picks a code, sees it together with trainers
near their province, then follows the knowledge map to a code nobody has written about — real Chromium."""

from playwright.sync_api import expect

from .helpers import go_to_section, log_in


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_newcomer_picks_a_code_then_follows_a_map_cell(page, live_server, runner, make_user):
    assert runner.invoke(args=["seed"]).exit_code == 0
    newcomer = make_user(email="newcomer@example.org", name="ผู้มาใหม่ ขอนแก่น", province="ขอนแก่น")
    assert page.viewport_size["width"] <= 400  # a phone

    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="เริ่มต้นที่นี่")).to_be_visible()
    expect(page.get_by_role("heading", name="ล่าสุดจากทุกหมวด")).to_be_visible()
    assert no_sideways_scroll(page)

    log_in(page, live_server, newcomer)
    page.goto(live_server + "/")
    page.get_by_label("หมวดหรือรหัสกิจกรรม", exact=True).select_option("CS1")
    page.get_by_role("button", name="แสดง", exact=True).click()

    expect(page.get_by_role("heading", name="CS1 — จำแนกกลุ่มผู้รับบริการและผู้มีส่วนได้ส่วนเสียตามพันธกิจ")).to_be_visible()
    assert "topic=CS1" in page.url
    stories = page.locator("section", has=page.get_by_role("heading", name="เรื่องเล่าที่มีประโยชน์ที่สุด"))
    expect(stories.get_by_role("link", name="กรมทางหลวงชนบท: ประชาชนร่วมตรวจงานทาง", exact=False)).to_be_visible()
    trainers = page.locator("section", has=page.get_by_role("heading", name="วิทยากรใกล้คุณ"))
    first = trainers.locator("li").first
    expect(first).to_contain_text("สมพงษ์ อีสานงาม")  # ขอนแก่น, like the newcomer
    expect(first).to_contain_text("จังหวัดเดียวกับคุณ")
    clinics = page.locator("section", has=page.get_by_role("heading", name="คลินิกสัญจรครั้งถัดไป"))
    expect(clinics).to_contain_text("ขอนแก่น")
    assert no_sideways_scroll(page)

    go_to_section(page, "แผนที่ความรู้")
    expect(page.get_by_role("heading", name="แผนที่ความรู้", exact=True)).to_be_visible()
    assert no_sideways_scroll(page)
    cell = page.locator("a.map-cell[href='/codes/LD5']")
    expect(cell).to_have_class("map-cell level-0")
    expect(cell).to_contain_text("ยังไม่มีเนื้อหา")
    cell.click()
    expect(page.get_by_role("heading", name="LD5", exact=False)).to_be_visible()
    assert page.url.endswith("/codes/LD5")
    assert page.js_errors == []
