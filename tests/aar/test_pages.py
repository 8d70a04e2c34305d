"""The AAR pages as people use them: writing, publishing, reading, filtering, action items, outputs."""

import re
from datetime import date, timedelta

import pytest

from cop.aar.models import Aar, AarAttachment
from cop.extensions import db

from ..helpers import fresh_session, get
from .helpers import ANSWERS, pdf_bytes, png_bytes, upload

FORM = {
    "title": "AAR เวทีทำแผนบริหารความเสี่ยง SP7",
    "held_on": "2026-08-20",
    "held_until": "2026-08-21",
    "venue": "ห้องประชุมศาลากลาง",
    "province": "ขอนแก่น",
    "participants": "๓๕",
    "codes": "sp 7, CS 1 A",
    "agencies": "สำนักงานจังหวัดขอนแก่น\nกรมการพัฒนาชุมชน",
    "categories": "7",
}


def test_facilitator_saves_draft_then_cannot_publish_without_all_four_answers(client, login, facilitator, app):
    login(facilitator)
    response = client.post("/aar/new", data={**FORM, "expected": "ได้แผนครบ", "action": "draft"})
    assert response.status_code == 302
    aar_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/aar/{aar_id}")
    assert (
        '<span class="badge draft">ฉบับร่าง</span>' in page.text and "20 ส.ค. 2569 – 21 ส.ค. 2569" in page.text
    )  # Buddhist Era, Thai months
    refused = client.post(f"/aar/{aar_id}/edit", data={**FORM, "expected": "ได้แผนครบ", "action": "publish"})
    assert refused.status_code == 422
    assert "เผยแพร่ AAR ได้เมื่อตอบครบทั้งสี่คำถามเท่านั้น" in refused.text
    assert "สิ่งที่เกิดขึ้นจริง, ทำไมจึงแตกต่าง, ครั้งหน้าจะทำอะไร" in refused.text
    assert "ตอบคำถามนี้ก่อนเผยแพร่" in refused.text
    # the publish button on the page refuses too, with the same message
    client.post(f"/aar/{aar_id}/publish")
    assert "ยังขาด: สิ่งที่เกิดขึ้นจริง" in client.get(f"/aar/{aar_id}").text
    assert get(app, Aar, aar_id).status == "draft"
    done = client.post(f"/aar/{aar_id}/edit", data={**FORM, **ANSWERS, "action": "publish"})
    assert done.status_code == 302
    page = client.get(f"/aar/{aar_id}")
    assert '<span class="badge draft">' not in page.text and "เผยแพร่ AAR แล้ว" in page.text
    assert "<li>ส่งแบบฟอร์มเตรียมข้อมูลล่วงหน้าสองสัปดาห์</li>" in page.text  # Markdown rendered
    assert "SP7" in page.text and "CS1" in page.text and "หมวด 7" in page.text  # codes normalized; extra category
    with fresh_session(app):
        aar = db.session.get(Aar, aar_id)
        assert aar.participants == 35 and aar.categories == ["2", "3", "7"]
        assert aar.agencies == ["สำนักงานจังหวัดขอนแก่น", "กรมการพัฒนาชุมชน"]


def test_bad_input_gives_messages_not_errors(client, login, facilitator, app):
    login(facilitator)
    response = client.post(
        "/aar/new",
        data={
            **FORM,
            "held_on": "31/02/2569",
            "held_until": "",
            "codes": "XX9",
            "participants": "หลายคน",
            "facilitators": "nobody@example.org",
            "province": "",
            "link": "story:0",
        },
    )
    assert response.status_code == 422
    for message in (
        "ไม่มีวันที่ 31/2/2569",
        "ไม่รู้จักรหัสกิจกรรม: XX9",
        "จำนวนเต็ม",
        "ไม่มีบัญชีที่ใช้อีเมล nobody@example.org",
        "หมายเลขของรายการที่เชื่อมโยง",
    ):
        assert message in response.text, message
    with fresh_session(app):
        assert db.session.query(Aar).count() == 0


def test_link_to_a_story_is_checked_when_stories_exist(client, login, facilitator, app):
    login(facilitator)
    missing = client.post("/aar/new", data={**FORM, "link": "story:999"})
    assert missing.status_code == 422 and "ไม่มีเรื่องเล่าหมายเลข 999" in missing.text
    ok = client.post("/aar/new", data={**FORM, "link": "thread:5", "action": "draft"})
    # threads may not exist yet in this build: a link to them is kept as type + id, or checked when they do
    assert ok.status_code in (302, 422)


def test_the_linked_item_is_picked_by_title(client, login, facilitator, app, make_user):
    from cop.stories import services as stories

    with fresh_session(app):
        from cop.accounts.models import User

        author = db.session.scalar(db.select(User).where(User.email == make_user(email="writer@example.org")))
        story = stories.create_story(author, {"title": "เรื่องเล่าที่จะเชื่อมโยง", "body": "เนื้อเรื่อง"}, publish=True)
        draft = stories.create_story(author, {"title": "ร่างลับยังไม่เผยแพร่", "body": "ร่าง"}, publish=False)
        db.session.commit()
        story_id, draft_id = story.id, draft.id
    login(facilitator)
    form = client.get("/aar/new").text
    assert f'<option value="story:{story_id}">เรื่องเล่าที่จะเชื่อมโยง</option>' in form
    assert "ร่างลับยังไม่เผยแพร่" not in form and f"story:{draft_id}" not in form  # drafts are not offered
    saved = client.post("/aar/new", data={**FORM, "link": f"story:{story_id}", "action": "draft"})
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).text
    assert f'<a href="/stories/{story_id}">เรื่องเล่าที่จะเชื่อมโยง</a>' in page
    aar_id = int(saved.headers["Location"].rstrip("/").split("/")[-1])
    edit = client.get(f"/aar/{aar_id}/edit").text
    assert f'<option value="story:{story_id}" selected>' in edit


ROLES = ("anonymous", "member", "coordinator", "moderator", "facilitator", "other_facilitator", "admin")
MUTATIONS = [
    "/aar/new",
    "/aar/{id}/edit",
    "/aar/{id}/publish",
    "/aar/{id}/unpublish",
    "/aar/{id}/actions",
    "/aar/{id}/attachments",
    "/aar/{id}/delete",
]


@pytest.fixture
def people(make_user, facilitator):
    return {
        "member": make_user(),
        "coordinator": make_user(role="coordinator"),
        "moderator": make_user(role="moderator"),
        "facilitator": facilitator,
        "other_facilitator": make_user(role="facilitator"),
        "admin": make_user(role="admin"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, people, make_aar, as_user, app):
    published = make_aar()
    draft = make_aar(publish=False, title="ร่าง AAR")
    client = as_user(people.get(role))
    assert client.get(f"/aar/{published}").status_code == 200  # everyone reads published AARs
    assert client.get(f"/aar/{published}/print").status_code == 200
    can_edit = role in ("facilitator", "admin")
    assert client.get(f"/aar/{draft}").status_code == (200 if can_edit else 404)
    for path in MUTATIONS:
        status = client.post(path.format(id=published), data={}).status_code
        if role == "anonymous":
            assert status == 302, path  # to the login page
        elif role in ("member", "coordinator", "moderator"):
            assert status == 403, path
        elif role == "other_facilitator":
            # a facilitator writes AARs, but edits only those they created or facilitated
            assert status == (422 if path == "/aar/new" else 403), path
        else:
            assert status in (200, 302, 400, 422), path
    assert get(app, Aar, published) is not None or role in ("facilitator", "admin")


def test_list_filters_and_links_by_title(client, make_aar):
    first = make_aar(title="AAR คลินิก CS ขอนแก่น", codes=["CS1"], held_on="2026-08-20")
    make_aar(
        title="AAR เวทีแผนยุทธศาสตร์ เชียงใหม่",
        codes=["SP5"],
        province="เชียงใหม่",
        held_on="2010-10-20",
        agencies=["กรมการพัฒนาชุมชน"],
    )
    make_aar(title="AAR ร่างที่ยังไม่เผยแพร่", publish=False)
    page = client.get("/aar")
    assert f'href="/aar/{first}">AAR คลินิก CS ขอนแก่น</a>' in page.text
    assert "ร่างที่ยังไม่เผยแพร่" not in page.text
    assert "2 รายการ AAR" in page.text

    def titles(query):
        return re.findall(r'<h2><a href="/aar/\d+">([^<]+)</a>', client.get("/aar" + query).text)

    assert titles("?code=cs 1 a") == ["AAR คลินิก CS ขอนแก่น"]
    assert titles("?category=2") == ["AAR เวทีแผนยุทธศาสตร์ เชียงใหม่"]
    assert titles("?province=จังหวัดเชียงใหม่") == ["AAR เวทีแผนยุทธศาสตร์ เชียงใหม่"]
    assert titles("?year=2553") == ["AAR เวทีแผนยุทธศาสตร์ เชียงใหม่"]
    assert titles("?year=๒๕๖๙") == ["AAR คลินิก CS ขอนแก่น"]
    assert titles("?agency=พัฒนาชุมชน") == ["AAR เวทีแผนยุทธศาสตร์ เชียงใหม่"]
    junk = client.get("/aar?code=ZZ&year=abc&page=x")
    assert junk.status_code == 200 and "ไม่เข้าใจตัวกรองบางตัว" in junk.text


def test_action_items_close_and_overview(client, login, facilitator, make_aar, app):
    aar_id = make_aar(codes=["SP7"], agencies=["สำนักงานจังหวัดขอนแก่น"])
    other = make_aar(title="AAR อื่น", codes=["HR1"], agencies=["กรมอนามัย"])
    login(facilitator)
    past = (date.today() - timedelta(days=30)).isoformat()
    future = (date.today() + timedelta(days=30)).isoformat()
    assert (
        client.post(
            f"/aar/{aar_id}/actions", data={"new-what": "ส่งแบบฟอร์มล่วงหน้า", "new-owner": "ทีมจังหวัด", "new-due_on": past}
        ).status_code
        == 302
    )
    client.post(
        f"/aar/{aar_id}/actions", data={"new-what": "นัดติดตามออนไลน์", "new-owner": "ผู้ประสานงาน", "new-due_on": future}
    )
    client.post(f"/aar/{other}/actions", data={"new-what": "อบรมผู้ประเมิน", "new-owner": "กรมอนามัย"})
    bad = client.post(
        f"/aar/{aar_id}/actions", data={"new-what": "ทำบางอย่าง", "new-owner": "ใครสักคน", "new-due_on": "พรุ่งนี้"}
    )
    assert bad.status_code == 422 and "วว/ดด/ปปปป" in bad.text

    overview = client.get("/aar/actions")
    assert "ค้างอยู่ 3 รายการ เลยกำหนด 1 รายการ" in overview.text
    assert overview.text.index("ส่งแบบฟอร์มล่วงหน้า") < overview.text.index("นัดติดตามออนไลน์")  # overdue first
    assert "อบรมผู้ประเมิน" not in client.get("/aar/actions?agency=ขอนแก่น").text
    assert "อบรมผู้ประเมิน" in client.get("/aar/actions?code=HR 1").text
    only_overdue = client.get("/aar/actions?show=overdue").text
    assert "ส่งแบบฟอร์มล่วงหน้า" in only_overdue and "นัดติดตามออนไลน์" not in only_overdue

    with fresh_session(app):
        items = {i.what: i.id for i in db.session.get(Aar, aar_id).actions}
    item = items["ส่งแบบฟอร์มล่วงหน้า"]
    client.post(f"/aar/{aar_id}/actions/{item}", data={f"item{item}-state": "done"})
    assert "ส่งแบบฟอร์มล่วงหน้า" not in client.get("/aar/actions").text
    second = items["นัดติดตามออนไลน์"]
    client.post(f"/aar/{aar_id}/actions/{second}", data={f"item{second}-state": "dropped"})
    assert "ระบุเหตุผลที่ยกเลิกรายการนี้" in client.get(f"/aar/{aar_id}").text
    client.post(
        f"/aar/{aar_id}/actions/{second}",
        data={f"item{second}-state": "dropped", f"item{second}-reason": "รวมกับเวทีถัดไป"},
    )
    page = client.get(f"/aar/{aar_id}").text
    assert "เหตุผล: รวมกับเวทีถัดไป" in page and "เสร็จแล้ว" in page
    assert "ค้างอยู่ 1 รายการ เลยกำหนด 0 รายการ" in client.get("/aar/actions").text


def test_outputs_follow_the_story_upload_rules(client, login, facilitator, make_aar, app, as_user, make_user):
    aar_id = make_aar()
    login(facilitator)
    response = upload(client, aar_id, ("ฟลิปชาร์ต กลุ่ม 1.png", png_bytes()), ("สไลด์สรุป.pdf", pdf_bytes()))
    assert response.status_code == 302
    page = client.get(f"/aar/{aar_id}").text
    assert "ฟลิปชาร์ต กลุ่ม 1.png" in page and "สไลด์สรุป.pdf" in page and "<img" in page
    refused = upload(client, aar_id, ("script.png", b"<script>alert(1)</script>"))
    assert refused.status_code == 302
    assert "แนบไฟล์ประเภทนี้ไม่ได้" in client.get(f"/aar/{aar_id}").text
    with fresh_session(app):
        files = db.session.query(AarAttachment).order_by(AarAttachment.id).all()
        assert len(files) == 2
        image_id, pdf_id = files[0].id, files[1].id
    reader = as_user(make_user())
    image = reader.get(f"/aar/{aar_id}/files/{image_id}")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == png_bytes()
    pdf = reader.get(f"/aar/{aar_id}/files/{pdf_id}")
    assert pdf.mimetype == "application/pdf" and "attachment" in pdf.headers["Content-Disposition"]
    assert reader.post(f"/aar/{aar_id}/files/{pdf_id}/delete").status_code == 403
    client.post(f"/aar/{aar_id}/files/{pdf_id}/delete")
    assert reader.get(f"/aar/{aar_id}/files/{pdf_id}").status_code == 404


def test_print_layout_is_a_clean_a4_record(client, make_aar, app):
    aar_id = make_aar()
    page = client.get(f"/aar/{aar_id}/print")
    assert "css/aar.css" in page.text and "พิมพ์จากคลัง AAR" in page.text
    assert "<form" not in page.text.split("<main", 1)[1].split("</main>")[0]  # no editing controls in the record
    css = client.get("/static/css/aar.css").text
    assert re.search(r"@page\s*{\s*size:\s*A4", css) and "@media print" in css


def test_english_dates_are_gregorian(client, make_aar):
    aar_id = make_aar(held_on="2026-08-20")
    client.get("/lang/en")
    assert "20 Aug 2026" in client.get(f"/aar/{aar_id}").text


def test_home_and_code_pages_show_aars(client, make_aar):
    make_aar(title="AAR แผนบริหารความเสี่ยง", codes=["SP7"])
    assert "AAR แผนบริหารความเสี่ยง" in client.get("/codes/SP7").text
    assert "AAR แผนบริหารความเสี่ยง" in client.get("/").text


def test_answers_are_sanitized_markdown(client, make_aar):
    aar_id = make_aar(
        next_time='<script>alert(1)</script>\n\n[คลิก](javascript:alert(2)) <img src=x onerror="alert(3)">'
    )
    page = client.get(f"/aar/{aar_id}").text
    assert "<script>alert(1)" not in page  # removed by the sanitizer, never run
    assert "javascript:alert" not in page and "<img src=x" not in page
