"""A member writes an award write-up with live Thai word counts, attaches a PDF, publishes, edits and
reads the diff; a newcomer filters /stories by code and finds it. Hostile text never runs as script."""

import re

from playwright.sync_api import expect

from cop.text.thai import word_count

from ..stories.files import PDF
from .helpers import log_in

PROBLEM_PROMPT = "ที่มา ปัญหา แนวโน้ม และกลุ่มที่ได้รับผลกระทบ"
PROBLEM_TEXT = "ผู้รับบริการต้องรอคิวนานที่สำนักงานจังหวัด การมีส่วนร่วมของประชาชนยังน้อย"


def problem_count(page):
    return page.locator('[data-section="problem"] .count').inner_text()


def test_member_writes_award_story_and_newcomer_finds_it_by_code(page, live_server, make_user):
    writer = make_user(name="กัญญา เขียนดี", agency="สำนักงานจังหวัดชลบุรี", province="ชลบุรี")
    log_in(page, live_server, writer)
    page.goto(live_server + "/stories")
    page.get_by_role("link", name="แบบรายงานผลงานเพื่อขอรับรางวัล").click()
    assert "template=award" in page.url
    page.get_by_label("ชื่อเรื่อง").fill("ลดเวลารอคิวงานทะเบียนด้วยบัตรคิวออนไลน์")
    page.get_by_label("สรุปย่อ").fill("สำนักงานจังหวัดลดเวลารอคิวลงครึ่งหนึ่ง และวางแผนบริหารความเสี่ยงของโครงการ")
    body = page.get_by_label("เนื้อเรื่อง")
    template_body = body.input_value()
    assert template_body.startswith("## 1. ปัญหาและสภาพเดิมก่อนปรับปรุง (ไม่เกิน 700 คำ)")
    assert problem_count(page) == str(word_count(PROBLEM_PROMPT))

    # live count: typing more Thai text updates the section's count to what the server enforces
    body.fill(template_body.replace(PROBLEM_PROMPT, PROBLEM_TEXT))
    expected = str(word_count(PROBLEM_TEXT))
    page.wait_for_function(
        "n => document.querySelector('[data-section=problem] .count').textContent === n", arg=expected
    )
    assert int(expected) > 5
    # over the limit: the live counter marks the section; saving is refused with the section named
    long_body = template_body.replace(PROBLEM_PROMPT, "การมีส่วนร่วม " * 702)
    body.fill(long_body)
    page.wait_for_function("() => document.querySelector('[data-section=problem]').classList.contains('over')")
    page.get_by_role("button", name="เผยแพร่").click()
    expect(page.get_by_text("หัวข้อ “1. ปัญหาและสภาพเดิมก่อนปรับปรุง”")).to_be_visible()
    page.get_by_label("เนื้อเรื่อง").fill(template_body.replace(PROBLEM_PROMPT, PROBLEM_TEXT))
    page.get_by_label("รหัสกิจกรรม").fill("sp 7, PM6")
    page.get_by_label("แท็ก").fill("ลดระยะเวลา, บัตรคิว")
    page.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("2569")
    page.get_by_role("button", name="เผยแพร่").click()
    expect(page.get_by_text("เผยแพร่เรื่องเล่าของคุณแล้ว")).to_be_visible()
    story_url = page.url
    assert re.search(r"/stories/\d+$", story_url)
    expect(page.locator(".prose h2", has_text="1. ปัญหาและสภาพเดิมก่อนปรับปรุง")).to_be_visible()

    # attach a PDF
    page.get_by_label("แนบไฟล์").set_input_files({"name": "สไลด์ผลงาน.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="อัปโหลด").click()
    expect(page.get_by_text("แนบไฟล์แล้ว")).to_be_visible()
    link = page.locator("#attachments").get_by_role("link", name="สไลด์ผลงาน.pdf")
    expect(link).to_be_visible()
    download = page.request.get(live_server + link.get_attribute("href"))
    assert download.ok and download.body() == PDF
    assert download.headers["content-disposition"].startswith("attachment")

    # edit, then read the diff
    page.get_by_role("link", name="แก้ไข", exact=True).click()
    page.get_by_label("ชื่อเรื่อง").fill("ลดเวลารอคิวงานทะเบียนลงครึ่งหนึ่งด้วยบัตรคิวออนไลน์")
    page.get_by_role("button", name="บันทึกการแก้ไข").click()
    expect(page.get_by_text("บันทึกการแก้ไขแล้ว")).to_be_visible()
    page.get_by_role("link", name="ประวัติ").click()
    page.get_by_role("link", name="ฉบับที่ 2").click()
    inserted = page.locator(".diff ins").first
    assert "ลงครึ่งหนึ่ง" in "".join(page.locator(".diff ins").all_inner_texts())
    expect(inserted).to_be_visible()
    assert page.js_errors == []

    # a newcomer, logged out, filters by code
    page.get_by_role("button", name="ออกจากระบบ").click()
    expect(page.get_by_text("ออกจากระบบแล้ว")).to_be_visible()  # wait: the new session cookie must land first
    page.goto(live_server + "/stories?code=sp 7")
    page.get_by_role("link", name="ลดเวลารอคิวงานทะเบียนลงครึ่งหนึ่งด้วยบัตรคิวออนไลน์").click()
    assert page.url == story_url
    page.goto(live_server + "/stories")
    page.get_by_text("ตัวกรอง", exact=True).first.click()  # on a phone the filters are folded behind one line
    page.get_by_label("รหัสกิจกรรม").fill("sp 7")
    page.locator("form.filter-form").get_by_role("button", name="ตัวกรอง").click()
    assert "code=sp+7" in page.url or "code=sp%207" in page.url
    expect(page.get_by_role("link", name="ลดเวลารอคิวงานทะเบียนลงครึ่งหนึ่งด้วยบัตรคิวออนไลน์")).to_be_visible()
    page.goto(live_server + "/stories?code=CS1")
    expect(page.get_by_text("ยังไม่มีเรื่องที่ตรงกับตัวกรองนี้")).to_be_visible()
    assert page.js_errors == []


HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    '<svg onload="window.__pwned=3"></svg>',
    "[click](javascript:window.__pwned=4)",
    '<a href="javascript:window.__pwned=5">a</a>',
    '<iframe srcdoc="<script>parent.__pwned=6</script>"></iframe>',
    '"><script>window.__pwned=7</script>',
    '<details open ontoggle="window.__pwned=8">',
    '![x](x" onerror="window.__pwned=9)',
    "<style>@import 'javascript:window.__pwned=10'</style>",
    "{{ 7*7 }}<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=11>",
]


def test_hostile_text_never_runs(page, live_server, make_user, app):
    writer = make_user(name="<img src=x onerror=window.__pwned=12>")
    log_in(page, live_server, writer)
    page.goto(live_server + "/stories/new")
    page.get_by_label("ชื่อเรื่อง").fill("ทดสอบ " + HOSTILE[0] + HOSTILE[1])
    page.get_by_label("สรุปย่อ").fill(HOSTILE[2] + HOSTILE[6])
    page.get_by_label("เนื้อเรื่อง").fill("\n\n".join(HOSTILE))
    page.get_by_label("หน่วยงาน").fill(HOSTILE[7][:190])
    page.get_by_label("แท็ก").fill("<b onmouseover=window.__pwned=13>x</b>, " + HOSTILE[0][:45])
    page.get_by_label("รหัสกิจกรรม").fill("SP7")
    page.get_by_role("button", name="เผยแพร่").click()
    expect(page.get_by_text("เผยแพร่เรื่องเล่าของคุณแล้ว")).to_be_visible()
    story_url = page.url
    # change it once so the diff page shows hostile text too
    page.get_by_role("link", name="แก้ไข", exact=True).click()
    page.get_by_label("เนื้อเรื่อง").fill("\n\n".join(reversed(HOSTILE)) + "\n<script>window.__pwned=14</script>")
    page.get_by_role("button", name="บันทึกการแก้ไข").click()
    for path in (
        story_url,
        story_url + "/history",
        story_url + "/history/1",
        story_url + "/history/2",
        live_server + "/stories",
        live_server + "/stories?code=SP7",
        live_server + "/",
        live_server + "/codes/SP7",
        live_server + "/stories?tag=" + "<b onmouseover=window.__pwned=13>x</b>",
        story_url + "/edit",
    ):
        page.goto(path)
        page.mouse.move(10, 10)
        for element in page.locator("details:visible, a:visible, b:visible").all()[:40]:  # what a reader can point at
            try:
                element.hover(timeout=500)
            except Exception:
                pass
        assert page.evaluate("() => window.__pwned") is None, path
    assert page.js_errors == []
    # the text is shown as text
    page.goto(story_url)
    assert "<script>window.__pwned=1</script>" in page.locator("h1.story-title").inner_text()
    assert page.locator(".prose script, .prose iframe, .prose svg, .prose [onerror]").count() == 0
    assert page.locator(".prose a[href^='javascript']").count() == 0
