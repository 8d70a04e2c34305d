"""The home page a newcomer lands on after `flask seed`: start-here guidance and one topic seen together."""

from cop.accounts.services import find_user
from cop.extensions import db
from cop.threads import services as thread_services

from ..helpers import fresh_session
from .helpers import section, seed_items, text_of


def test_home_after_seed_shows_thai_stories_questions_trainers_and_clinics(seeded, client):
    page = client.get("/").get_data(as_text=True)
    seen = text_of(page)
    assert "เริ่มต้นที่นี่" in seen and "เกณฑ์คุณภาพการบริหารจัดการภาครัฐ" in seen  # start here, in Thai
    assert "ล่าสุดจากทุกหมวด" in seen  # no choice yet: the latest across everything

    stories = text_of(section(page, "best-stories"))
    assert sum(s["title"] in stories for s in seed_items("02_stories.json", "stories")) == 5
    questions = text_of(section(page, "open-questions"))
    assert any(t["title"] in questions for t in seed_items("03_threads.json", "threads"))
    trainers = text_of(section(page, "near-trainers"))
    assert sum(t["name"] in trainers for t in seed_items("04_trainers.json", "trainers")) == 5
    clinics = text_of(section(page, "next-clinics"))
    first = min(seed_items("06_clinics.json", "clinics"), key=lambda c: c["starts_at"])
    assert first["title"] in clinics  # the next clinic comes first
    # the category grid picks a topic on this same page
    assert 'href="/?topic=SP7#chosen"' in page and 'href="/?topic=3#chosen"' in page


def test_picking_sp7_shows_sp7_content_together(seeded, client):
    response = client.get("/?topic=SP7")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "SP7 — การวิเคราะห์โครงการและแผนบริหารความเสี่ยง" in text_of(section(page, "chosen"))
    assert 'value="SP7" selected' in page  # the picker remembers the choice

    stories = text_of(section(page, "best-stories"))
    assert "บริหารความเสี่ยง SP7 ด้วยโจทย์เดียว" in stories
    assert "กรมทางหลวงชนบท: ประชาชนร่วมตรวจงานทาง" not in stories  # a CS story stays out

    trainers = text_of(section(page, "near-trainers"))
    with_sp7 = [t["name"] for t in seed_items("04_trainers.json", "trainers") if "SP7" in t["codes"]]
    without = [t["name"] for t in seed_items("04_trainers.json", "trainers") if "SP7" not in t["codes"]]
    assert with_sp7 and all(name in trainers for name in with_sp7)
    assert not any(name in trainers for name in without)

    clinics = text_of(section(page, "next-clinics"))
    assert "คลินิกสัญจร PMQA นครราชสีมา: บริหารความเสี่ยง SP7" in clinics
    assert "ภาคเหนือ" not in clinics
    # the seed marks key lessons and holds an open SP7 question: every block of the page has something
    assert "ใครเคยทำทะเบียนความเสี่ยงร่วมกันหลายจังหวัด (SP7)" in text_of(section(page, "open-questions"))
    assert "อะไรที่ถ้าเกิดขึ้นแล้ว เป้าหมายปีนี้ของเราจะไม่สำเร็จ" in text_of(section(page, "key-lessons"))
    aars = text_of(section(page, "recent-aars"))
    assert "ยังไม่มี" not in aars


def test_every_category_has_a_key_lesson_in_the_seed(seeded, client):
    for key in ("P", "1", "2", "3", "4", "5", "6", "7"):
        lessons = section(client.get(f"/?topic={key}").get_data(as_text=True), "key-lessons")
        assert 'class="tactic-card"' in lessons, key

    # the same topic however it is typed, and from list-page style links
    assert client.get("/?code=sp 7").get_data(as_text=True).count("บริหารความเสี่ยง SP7 ด้วยโจทย์เดียว") >= 1


def test_sp7_question_key_lesson_and_open_question_appear_on_the_sp7_view(seeded, client):
    with fresh_session(seeded):
        asker, expert = find_user("malee.example@example.org"), find_user("nipa.example@example.org")
        answered = thread_services.create_thread(
            asker, title="ทำแผนบริหารความเสี่ยงโครงการ SP7 เริ่มอย่างไร", body="เริ่มจากโครงการไหนก่อนดีครับ", codes=["SP7"]
        )
        reply = thread_services.add_reply(answered, expert, "เลือกโครงการที่ใช้งบมากที่สุดสามโครงการ แล้วประเมินโอกาสและผลกระทบ")
        thread_services.set_key_lesson(reply, asker)
        thread_services.create_thread(
            asker, title="ควรทบทวนความเสี่ยง SP 7 ทุกไตรมาสไหม", body="อยากทราบรอบที่เหมาะสม", codes=["sp-7"]
        )
        db.session.commit()
    page = client.get("/?topic=SP7").get_data(as_text=True)
    lessons = text_of(section(page, "key-lessons"))
    assert "เลือกโครงการที่ใช้งบมากที่สุดสามโครงการ" in lessons and "นิภา สายใจ" in lessons
    open_questions = text_of(section(page, "open-questions"))
    assert "ควรทบทวนความเสี่ยง SP 7 ทุกไตรมาสไหม" in open_questions
    assert "ทำแผนบริหารความเสี่ยงโครงการ SP7 เริ่มอย่างไร" not in open_questions  # it has its answer
    # a category shows what its codes hold
    assert "เลือกโครงการที่ใช้งบมากที่สุดสามโครงการ" in text_of(
        section(client.get("/?topic=2").get_data(as_text=True), "key-lessons")
    )


def test_trainers_near_the_members_province_come_first(seeded, client, make_user, login):
    email = make_user(province="นครราชสีมา")
    login(email)
    trainers = text_of(section(client.get("/").get_data(as_text=True), "near-trainers"))
    same_province = trainers.index("วันเพ็ญ โคราชรุ่ง")
    same_region = [trainers.index(name) for name in ("สมพงษ์ อีสานงาม", "บุญมี มูลมั่น")]  # ขอนแก่น, อุบลราชธานี
    assert same_province < min(same_region)
    assert "จังหวัดเดียวกับคุณ" in trainers and "ภาคเดียวกับคุณ" in trainers
    # a province picked in the form wins over the profile's
    south = text_of(section(client.get("/?province=สงขลา").get_data(as_text=True), "near-trainers"))
    assert south.index("ธนากร ทะเลสาบ") < south.index("รัตนา ปักษ์ใต้")


def test_bad_choices_are_ignored_not_errors(seeded, client):
    for query in ("/?topic=ZZ9", "/?code=<script>", "/?category=99", "/?province=ไม่มีจังหวัดนี้", "/?topic=" + "ก" * 5000):
        response = client.get(query)
        assert response.status_code == 200
        assert "ล่าสุดจากทุกหมวด" in text_of(response.get_data(as_text=True))


def test_home_has_no_inline_script_or_style(seeded, client):
    page = client.get("/?topic=CS1").get_data(as_text=True)
    assert " style=" not in page and "<style" not in page
    assert "<script>" not in page and " onclick=" not in page
