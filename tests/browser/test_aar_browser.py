"""A facilitator archives a workshop with two outputs and three action items and closes one;
a newcomer then finds the AAR by a word from "what we do next time" through the site's search box."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.aar.helpers import pdf_bytes, png_bytes

from .helpers import go_to_section, log_in


def add_action(page, what, owner, due):
    page.get_by_label("สิ่งที่ต้องทำ").fill(what)
    page.get_by_label("ผู้รับผิดชอบ").fill(owner)
    page.get_by_label("กำหนดเสร็จ").fill(due)
    page.get_by_role("button", name="เพิ่ม", exact=True).click()
    expect(page.get_by_text("เพิ่มรายการติดตามแล้ว")).to_be_visible()


def test_facilitator_archives_workshop_and_newcomer_finds_it(page, live_server, make_user):
    facilitator = make_user(role="facilitator", name="ธีระ ทบทวน", agency="สำนักงานจังหวัดอ่างทอง", province="อ่างทอง")
    newcomer = make_user(name="นภา มาใหม่")
    log_in(page, live_server, facilitator)

    go_to_section(page, "คลัง AAR")
    page.get_by_role("link", name="บันทึก AAR ของเวที").click()
    page.get_by_label("ชื่อเวที").fill("AAR เวทีฝึกเขียนแผนบริหารความเสี่ยง จังหวัดอ่างทอง")
    page.get_by_label("วันที่จัด").fill("19/03/2569")  # as Thai people write it: day first, Buddhist Era
    page.get_by_label("สถานที่").fill("ห้องประชุมศาลากลางจังหวัดอ่างทอง")
    page.get_by_label("จำนวนผู้เข้าร่วม").fill("28")
    page.get_by_label("รหัสกิจกรรม").fill("sp 7, PM6")
    page.get_by_label("สิ่งที่คาดหวังไว้").fill("- ทุกทีมมีร่างแผนบริหารความเสี่ยง")
    page.get_by_label("สิ่งที่เกิดขึ้นจริง").fill("- เจ็ดจากเก้าทีมมีร่างแผน")
    page.get_by_label("ทำไมจึงแตกต่าง").fill("- บางทีมไม่ได้นำทะเบียนความเสี่ยงเดิมมา")
    page.get_by_label("ครั้งหน้าจะทำอะไร").fill("- ส่งแบบตรวจสอบรายการให้ทีมล่วงหน้า\n- เชิญผู้ตรวจสอบภายในร่วมเวที")
    page.get_by_role("button", name="เผยแพร่").click()
    expect(page.get_by_text("เผยแพร่ AAR แล้ว")).to_be_visible()
    expect(page.get_by_text("19 มี.ค. 2569")).to_be_visible()  # Buddhist Era
    aar_url = page.url

    page.get_by_label("ผลผลิต: ภาพกระดาษฟลิปชาร์ต สไลด์ เอกสาร").set_input_files(
        [
            {"name": "ฟลิปชาร์ต-กลุ่ม1.png", "mimeType": "image/png", "buffer": png_bytes()},
            {"name": "สไลด์สรุปเวที.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
        ]
    )
    page.get_by_role("button", name="อัปโหลด").click()
    expect(page.get_by_text("เพิ่มไฟล์แล้ว 2 ไฟล์")).to_be_visible()
    outputs = page.locator("#outputs")
    expect(outputs.get_by_role("link", name="ฟลิปชาร์ต-กลุ่ม1.png")).to_be_visible()
    expect(outputs.get_by_role("link", name="สไลด์สรุปเวที.pdf")).to_be_visible()

    soon = (date.today() + timedelta(days=14)).isoformat()
    late = (date.today() - timedelta(days=7)).isoformat()
    add_action(page, "ทำแบบตรวจสอบรายการข้อมูลความเสี่ยง", "ผู้อำนวยความสะดวก", late)
    add_action(page, "นัดอ่านร่างแผนรอบสอง", "ผู้ประสานงานแต่ละทีม", soon)
    add_action(page, "สรุปผลเวทีส่งผู้บริหาร", "ทีมวิทยากรจังหวัด", soon)
    rows = page.locator("#actions tbody tr")
    assert rows.count() == 3

    first = rows.filter(has_text="ทำแบบตรวจสอบรายการข้อมูลความเสี่ยง")
    expect(first.get_by_text("เลยกำหนด")).to_be_visible()
    first.get_by_label("สถานะ").select_option("done")
    first.get_by_role("button", name="ปรับปรุง").click()
    expect(page.get_by_text("ปรับสถานะรายการติดตามแล้ว")).to_be_visible()
    done_row = page.locator("#actions tbody tr").filter(has_text="ทำแบบตรวจสอบรายการข้อมูลความเสี่ยง")
    assert done_row.locator(".badge.state-done").inner_text() == "เสร็จแล้ว"

    page.goto(live_server + "/aar/actions")
    expect(page.get_by_text("ค้างอยู่ 2 รายการ เลยกำหนด 0 รายการ")).to_be_visible()

    page.goto(aar_url)
    page.get_by_role("button", name="ออกจากระบบ").click()
    expect(page.get_by_text("ออกจากระบบแล้ว")).to_be_visible()  # wait: the new session cookie must land first
    log_in(page, live_server, newcomer)
    page.locator("#site-q").fill("ผู้ตรวจสอบภายใน")
    page.locator("#site-q").press("Enter")
    page.get_by_role("link", name="AAR เวทีฝึกเขียนแผนบริหารความเสี่ยง จังหวัดอ่างทอง").first.click()
    assert page.url == aar_url
    expect(page.get_by_role("heading", name="ครั้งหน้าจะทำอะไร")).to_be_visible()
    expect(page.get_by_text("เชิญผู้ตรวจสอบภายในร่วมเวที")).to_be_visible()
    assert page.get_by_role("link", name="แก้ไข").count() == 0  # a member reads, does not edit
    assert page.js_errors == []
