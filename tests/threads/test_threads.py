"""Asking, replying, lists and filters, key lessons, editing with history, flood limits."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from cop.extensions import db
from cop.models import utcnow
from cop.threads.models import PostRevision, Reply, Thread

from ..helpers import fresh_session, get, scalar


def count(app, model):
    return scalar(app, select(func.count()).select_from(model))


def test_ask_a_question_any_code_spelling_and_find_it_in_the_list(client, app, old_user, login):
    login(old_user())
    response = client.post(
        "/threads/new", data={"title": "จำแนกกลุ่มผู้รับบริการอย่างไร", "body": "ช่วยแนะนำ **ด้วย**", "codes": "cs 1 a, SP-5"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "จำแนกกลุ่มผู้รับบริการอย่างไร" in page.text
    assert "<strong>ด้วย</strong>" in page.text  # Markdown rendered
    assert ">CS1<" in page.text and ">SP5<" in page.text
    listing = client.get("/threads?code=CS-1")
    assert 'href="/threads/1">จำแนกกลุ่มผู้รับบริการอย่างไร</a>' in listing.text
    assert "จำแนกกลุ่มผู้รับบริการอย่างไร" in client.get("/threads?category=3").text  # CS1 files it under หมวด 3
    assert "จำแนกกลุ่มผู้รับบริการอย่างไร" not in client.get("/threads?code=IT7").text


def test_bad_question_shows_messages_and_writes_nothing(client, app, old_user, login):
    login(old_user())
    response = client.post("/threads/new", data={"title": "", "body": "x", "codes": "ZZ9"})
    assert response.status_code == 422
    unknown = client.post("/threads/new", data={"title": "คำถาม", "body": "รายละเอียด", "codes": "ZZ9"})
    assert unknown.status_code == 422 and "ZZ9" in unknown.text and "รหัสกิจกรรม" in unknown.text
    untagged = client.post("/threads/new", data={"title": "คำถาม", "body": "รายละเอียด"})
    assert untagged.status_code == 422
    assert count(app, Thread) == 0


def test_anonymous_cannot_post(client, ask, old_user):
    thread_id = ask(old_user())
    assert client.get("/threads/new").status_code == 302
    assert client.post(f"/threads/{thread_id}/replies", data={"body": "hi"}).status_code == 302
    assert "เข้าสู่ระบบ" in client.get(f"/threads/{thread_id}").text


def test_reply_appears_in_order_and_answered_filter(client, app, ask, old_user, login):
    asker, helper = old_user(), old_user(name="ครูวิทยากร")
    thread_id = ask(asker)
    other = ask(asker, title="คำถามเงียบเหงา")
    assert "คำถามเงียบเหงา" in client.get("/threads?answered=no").text
    login(helper)
    response = client.post(f"/threads/{thread_id}/replies", data={"body": "ลองจัด *เวทีเล็ก* ก่อน"})
    assert response.status_code == 302 and "#reply-" in response.headers["Location"]
    client.post(f"/threads/{thread_id}/replies", data={"body": "ตอบครั้งที่สอง"})
    page = client.get(f"/threads/{thread_id}").text
    assert page.index("เวทีเล็ก") < page.index("ตอบครั้งที่สอง")
    answered = client.get("/threads?answered=yes").text
    assert "ทำอย่างไรให้ทีมเห็นคุณค่า PMQA" in answered and "คำถามเงียบเหงา" not in answered
    unanswered = client.get("/threads?answered=no").text
    assert "คำถามเงียบเหงา" in unanswered and "ทำอย่างไรให้ทีมเห็นคุณค่า PMQA" not in unanswered
    # newest activity first: the answered thread moved to the top
    listing = client.get("/threads").text
    assert listing.index("ทำอย่างไรให้ทีมเห็นคุณค่า PMQA") < listing.index("คำถามเงียบเหงา")
    assert other


def test_empty_reply_is_refused_with_422(client, ask, old_user, login):
    thread_id = ask(old_user())
    login(old_user())
    assert client.post(f"/threads/{thread_id}/replies", data={"body": "   "}).status_code == 422


def test_key_lesson_only_by_asker_or_moderator_shows_first_and_on_code_page(client, app, ask, answer, old_user, login):
    asker, first, second = old_user(), old_user(name="ผู้ตอบคนแรก"), old_user(name="ผู้ตอบคนที่สอง")
    thread_id = ask(asker, codes=("CS1",))
    answer(first, thread_id, "คำตอบแรก ทั่วไป")
    key_id = answer(second, thread_id, "แบ่งกลุ่มตามพันธกิจก่อน แล้วค่อยจัดช่องทางรับฟัง")
    login(first)  # a replier is not the asker
    client.post(f"/threads/replies/{key_id}/key", data={"action": "set"})
    assert not get(app, Reply, key_id).is_key
    client.post("/logout")
    login(asker)
    client.post(f"/threads/replies/{key_id}/key", data={"action": "set"})
    page = client.get(f"/threads/{thread_id}").text
    assert page.index("แบ่งกลุ่มตามพันธกิจก่อน") < page.index("คำตอบแรก ทั่วไป")
    assert "บทเรียนสำคัญ" in page
    code_page = client.get("/codes/CS1").text
    assert "แบ่งกลุ่มตามพันธกิจก่อน" in code_page and "ผู้ตอบคนที่สอง" in code_page
    assert "แบ่งกลุ่มตามพันธกิจก่อน" not in client.get("/codes/SP5").text


def test_hostile_markdown_never_becomes_script(client, app, old_user, login, ask):
    login(old_user())
    hostile = (
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[click](javascript:alert(3))\n\n'
        '<a href="#" onclick="alert(4)">x</a> <iframe src="https://evil.example"></iframe>'
    )
    response = client.post("/threads/new", data={"title": "<script>alert(5)</script>", "body": hostile, "codes": "CS1"})
    assert response.status_code == 302
    thread_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/threads/{thread_id}/replies", data={"body": hostile})
    for url in (f"/threads/{thread_id}", "/threads", "/codes/CS1", f"/threads/{thread_id}/feed.atom"):
        text = client.get(url).text
        if url.endswith(".atom"):  # the HTML a feed reader renders is the entries' content
            import xml.etree.ElementTree as ET

            text = " ".join(e.text or "" for e in ET.fromstring(text).iter("{http://www.w3.org/2005/Atom}content"))
        assert "<script>alert" not in text and "<iframe" not in text
        assert not re.search(r"<[a-z][^>]*\son\w+\s*=", text), url  # no event-handler attribute on any tag
        assert not re.search(r"href=[\"']?\s*javascript:", text, re.I), url
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in client.get(f"/threads/{thread_id}").text


def test_author_edits_within_window_history_kept_moderator_any_time(client, app, ask, old_user, login):
    asker = old_user()
    thread_id = ask(asker, body="ข้อความเดิม")
    login(asker)
    response = client.post(f"/threads/{thread_id}/edit", data={"title": "หัวข้อใหม่", "body": "ข้อความใหม่"})
    assert response.status_code == 302
    assert "ข้อความใหม่" in client.get(f"/threads/{thread_id}").text
    history = client.get(f"/threads/{thread_id}/history").text
    assert "ข้อความเดิม" in history
    with fresh_session(app):
        thread = db.session.get(Thread, thread_id)
        thread.created_at = utcnow() - timedelta(days=2)  # the edit window has passed
        db.session.commit()
    assert client.get(f"/threads/{thread_id}/edit").status_code == 403
    assert client.post(f"/threads/{thread_id}/edit", data={"title": "x", "body": "y"}).status_code == 403
    client.post("/logout")
    login(old_user(role="moderator"))
    assert client.post(f"/threads/{thread_id}/edit", data={"title": "หัวข้อใหม่", "body": "แก้โดยผู้ดูแล"}).status_code == 302
    assert count(app, PostRevision) == 2
    assert "แก้โดยผู้ดูแล" in client.get(f"/threads/{thread_id}").text


def test_new_accounts_post_slowly_regular_members_do_not(app, client, make_user, old_user, login, ask):
    app.config["THREADS_NEW_ACCOUNT_POSTS_PER_HOUR"] = 2
    thread_id = ask(old_user())
    newcomer = make_user()
    login(newcomer)
    assert client.post("/threads/new", data={"title": "คำถามแรก", "body": "ก", "codes": "CS1"}).status_code == 302
    assert client.post(f"/threads/{thread_id}/replies", data={"body": "ตอบหนึ่ง"}).status_code == 302
    refused = client.post(f"/threads/{thread_id}/replies", data={"body": "ตอบสอง"})
    assert refused.status_code == 422 and "บัญชีใหม่" in refused.text
    client.post("/logout")
    login(old_user())
    for n in range(4):
        assert client.post(f"/threads/{thread_id}/replies", data={"body": f"สมาชิกเดิมตอบ {n}"}).status_code == 302
    client.post("/logout")
    login(make_user(role="facilitator"))  # a new trainer account is trusted
    for n in range(3):
        assert client.post(f"/threads/{thread_id}/replies", data={"body": f"วิทยากรตอบ {n}"}).status_code == 302


def test_related_link_must_point_at_a_story_clinic_or_aar(client, old_user, login):
    login(old_user())
    bad = client.post(
        "/threads/new", data={"title": "ก", "body": "ข", "codes": "CS1", "related": "https://evil.example/x"}
    )
    assert bad.status_code == 422


def test_atom_feeds_for_thread_and_code(client, ask, answer, old_user):
    import xml.etree.ElementTree as ET

    thread_id = ask(old_user(), title="ฟีด & ทดสอบ")
    answer(old_user(name="คนตอบ"), thread_id, "คำตอบในฟีด")
    feed = client.get(f"/threads/{thread_id}/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    root = ET.fromstring(feed.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:title", ns).text == "ฟีด & ทดสอบ"
    assert "คำตอบในฟีด" in root.find("a:entry/a:content", ns).text
    assert client.get("/threads/codes/cs%201/feed.atom").status_code == 301
    code_feed = ET.fromstring(client.get("/threads/codes/CS1/feed.atom").data)
    assert code_feed.find("a:entry/a:title", ns).text == "ฟีด & ทดสอบ"
    assert client.get("/threads/codes/ZZ1/feed.atom").status_code == 404


def test_bad_list_parameters_never_500(client):
    for query in ("category=xx", "code=%00", "answered=maybe", "page=-1", "page=abc", "code=" + "A" * 5000):
        assert client.get(f"/threads?{query}").status_code == 200
    assert client.get("/threads/999").status_code == 404
