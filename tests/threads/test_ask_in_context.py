"""'Ask a question' from a category, code or story page carries its category, codes (and the story) through
login into the new-question form."""

import html
import re
from urllib.parse import parse_qs, urlsplit

from cop.extensions import db
from cop.stories import services as story_services

from ..helpers import fresh_session, user_named


def ask_href(page_text, label):
    match = re.search(r'<a class="[^"]*ask-link" href="([^"]+)">' + re.escape(label) + "</a>", page_text)
    assert match, label
    return html.unescape(match.group(1))


def ticked(page_text):
    return set(
        re.findall(r'<input checked id="categories-\d+" name="categories" type="checkbox" value="(\w+)">', page_text)
    )


def codes_value(page_text):
    return html.unescape(re.search(r'<input[^>]*id="codes"[^>]*value="([^"]*)"', page_text).group(1))


def test_code_page_link_goes_through_login_and_arrives_prefilled(client, make_user):
    member = make_user()
    href = ask_href(client.get("/codes/SP7").text, "เข้าสู่ระบบเพื่อตั้งคำถามเรื่อง SP7")
    assert href.startswith("/login?next=")
    target = parse_qs(urlsplit(href).query)["next"][0]
    assert target == "/threads/new?category=2&code=SP7"
    logged_in = client.post(href, data={"email": member, "password": "ข้าวเหนียวมะม่วง ตอนบ่าย"})
    assert logged_in.status_code == 302 and logged_in.headers["Location"] == target
    form = client.get(target).text
    assert codes_value(form) == "SP7" and ticked(form) == {"2"}
    # logged in, the same page links straight to the form
    assert ask_href(client.get("/codes/SP7").text, "ตั้งคำถามเรื่อง SP7") == target


def test_category_and_story_pages_carry_their_tags_and_the_story(app, client, make_user, login):
    author = make_user()
    with fresh_session(app):
        story = story_services.create_story(
            user_named(author),
            {
                "title": "เรื่องเล่า SP7 กับ HR2",
                "summary": "สรุป",
                "body": "เนื้อหา",
                "agency": "กรมทดสอบ",
                "province": "ขอนแก่น",
                "year": 2566,
                "categories": ["2"],
                "codes": ["SP7", "HR2"],
                "tags": [],
            },
            publish=True,
        )
        db.session.commit()
        story_id = story.id
    login(make_user())
    category_href = ask_href(client.get("/categories/5").text, "ตั้งคำถามเรื่องหมวด 5")
    assert ticked(client.get(category_href).text) == {"5"}
    story_href = ask_href(client.get(f"/stories/{story_id}").text, "ตั้งคำถามเกี่ยวกับเรื่องเล่านี้")
    form = client.get(story_href).text
    assert codes_value(form) == "SP7, HR2" and ticked(form) == {"2", "5"}
    assert f'value="/stories/{story_id}"' in form
    posted = client.post(
        "/threads/new",
        data={
            "title": "ถามต่อจากเรื่องเล่า",
            "body": "ทำอย่างไรครับ",
            "categories": ["2", "5"],
            "codes": "SP7, HR2",
            "related": f"/stories/{story_id}",
        },
    )
    assert posted.status_code == 302
    thread = client.get(posted.headers["Location"]).text
    assert f'href="/stories/{story_id}"' in thread and "SP7" in thread


def test_prefill_ignores_what_it_does_not_understand(client, make_user, login):
    login(make_user())
    page = client.get("/threads/new?code=XX9&code=sp 5,cs-1&category=Z&category=หมวด 4&related=/etc/passwd")
    assert page.status_code == 200
    assert codes_value(page.text) == "SP5, CS1" and ticked(page.text) == {"2", "3", "4"}
    assert "/etc/passwd" not in page.text


def test_register_from_the_login_page_keeps_next(client):
    login_page = client.get("/login?next=/threads/new?code=SP7").text
    assert 'href="/register?next=/threads/new?code%3DSP7"' in login_page
    created = client.post(
        "/register?next=/threads/new?code%3DSP7",
        data={
            "name": "สมาชิก ใหม่",
            "email": "new@example.org",
            "agency": "",
            "province": "",
            "password": "ข้าวเหนียวมะม่วง ตอนบ่าย",
            "confirm": "ข้าวเหนียวมะม่วง ตอนบ่าย",
        },
    )
    assert created.status_code == 302 and created.headers["Location"] == "/threads/new?code=SP7"
    hostile = client.post("/logout")
    assert hostile.status_code == 302
    evil = client.post(
        "/register?next=//evil.example/",
        data={
            "name": "อีกคน",
            "email": "other@example.org",
            "agency": "",
            "province": "",
            "password": "ข้าวเหนียวมะม่วง ตอนบ่าย",
            "confirm": "ข้าวเหนียวมะม่วง ตอนบ่าย",
        },
    )
    assert evil.status_code == 302 and evil.headers["Location"] == "/"
