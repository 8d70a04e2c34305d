"""On a phone (390 px), a member writing a story sees suggested categories and codes with the words behind
them and adds one with a click; asking a question shows similar existing content under the title."""

from playwright.sync_api import expect

from ..helpers import fresh_session
from .helpers import log_in


def test_story_form_suggests_codes_and_one_click_adds_one(page, live_server, make_user, runner):
    assert runner.invoke(args=["seed"]).exit_code == 0
    log_in(page, live_server, make_user())
    page.goto(live_server + "/stories/new")
    panel = page.locator("#suggestions")
    expect(panel).to_be_hidden()  # nothing to judge yet
    page.get_by_label("ชื่อเรื่อง").fill("วิเคราะห์โครงการและทำแผนบริหารความเสี่ยง")
    page.get_by_label("เนื้อเรื่อง").fill(
        "ทีมยุทธศาสตร์วิเคราะห์ความเสี่ยงของทุกโครงการในแผนปฏิบัติราชการ จัดทำแผนบริหารความเสี่ยง และติดตามตัวชี้วัดทุกไตรมาส"
    )
    expect(panel).to_be_visible()
    sp7 = panel.locator("li", has_text="SP7")
    expect(sp7).to_contain_text("แผนบริหารความเสี่ยง")  # the words that suggest it
    expect(panel.locator(".suggest-categories li").first).to_contain_text("หมวด 2")
    button = sp7.get_by_role("button")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # fits the phone's width
    button.click()
    expect(button).to_have_text("เพิ่มแล้ว")
    assert "SP7" in page.get_by_label("รหัสกิจกรรม", exact=True).input_value()
    panel.locator(".suggest-categories li").first.get_by_role("button").click()
    assert page.locator('input[name="categories"][value="2"]').is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.js_errors


def test_question_form_shows_similar_content_under_the_title(page, live_server, make_user, runner, app):
    from cop.extensions import db
    from cop.threads.models import Thread

    assert runner.invoke(args=["seed"]).exit_code == 0
    with fresh_session(app):
        thread = db.session.scalars(db.select(Thread).order_by(Thread.id)).first()
        title, url = thread.title, thread.url
    log_in(page, live_server, make_user())
    page.goto(live_server + "/threads/new")
    page.get_by_label("คำถามของคุณ").fill(title)
    similar = page.locator("#similar")
    expect(similar).to_be_visible()
    expect(similar.get_by_role("link", name=title)).to_have_attribute("href", url)
    assert not page.js_errors
