"""Pages: the permission matrix, filters, sorting, history and diff, feeds, the live word-count endpoint."""

import re
import xml.etree.ElementTree as ET

import pytest

from cop.extensions import db
from cop.stories.models import Story

from ..helpers import PASSWORD, fresh_session, get

ROLES = ("anonymous", "member", "author", "moderator", "admin")


@pytest.fixture
def people(make_user):
    return {
        "member": make_user(),
        "author": make_user(name="ผู้เขียน"),
        "moderator": make_user(role="moderator"),
        "admin": make_user(role="admin"),
    }


def as_role(app, login, role, people):
    client = app.test_client()
    if role != "anonymous":
        client.post("/login", data={"email": people[role], "password": PASSWORD})
    return client


# expected status for GET pages, per story state and role
VIEW_EXPECT = {
    "published": {"anonymous": 200, "member": 200, "author": 200, "moderator": 200, "admin": 200},
    "draft": {"anonymous": 404, "member": 404, "author": 200, "moderator": 200, "admin": 200},
    "hidden": {"anonymous": 404, "member": 404, "author": 404, "moderator": 200, "admin": 200},
}


@pytest.mark.parametrize("state", list(VIEW_EXPECT))
def test_permission_matrix(app, login, people, make_story, state):
    sid = make_story(people["author"], publish=state != "draft")
    if state == "hidden":
        with fresh_session(app):
            from cop.stories import services

            services.hide(db.session.get(Story, sid))
            db.session.commit()
    for role in ROLES:
        client = as_role(app, login, role, people)
        expect_view = VIEW_EXPECT[state][role]
        for path in (
            f"/stories/{sid}",
            f"/stories/{sid}/slug-ignored",
            f"/stories/{sid}/history",
            f"/stories/{sid}/history/1",
        ):
            assert client.get(path).status_code == expect_view, (role, state, path)
        edit = client.get(f"/stories/{sid}/edit")
        if role == "anonymous":
            assert edit.status_code == 302 and "/login" in edit.headers["Location"]
        elif expect_view == 404:
            assert edit.status_code == 404, role
        else:
            assert edit.status_code == (200 if role in ("author", "moderator", "admin") else 403), (role, state)
        # state changes that must be refused (allowed ones are exercised in the next test; here they
        # would change the story under the following roles)
        for action in ("publish", "unpublish", "hide", "unhide", "delete", "attachments", "history/1/restore"):
            allowed = role in ("moderator", "admin") or (role == "author" and action not in ("hide", "unhide"))
            if allowed and expect_view == 200:
                continue
            response = client.post(f"/stories/{sid}/{action}")
            if role == "anonymous":
                assert response.status_code == 302 and "/login" in response.headers["Location"], (action, state)
            elif expect_view == 404:
                assert response.status_code == 404, (role, action)
            else:
                assert response.status_code == 403, (role, action, state)
        if expect_view == 200 and state == "published":
            assert client.post(f"/stories/{sid}/helpful").status_code == (302 if role != "anonymous" else 302)
        assert client.get(f"/stories/{sid}").status_code in (200, 404)
    # the new-story form
    assert as_role(app, login, "anonymous", people).get("/stories/new").status_code == 302
    for role in ("member", "author", "moderator", "admin"):
        assert as_role(app, login, role, people).get("/stories/new?template=award").status_code == 200


def test_author_and_moderator_actions(app, login, people, make_story, client):
    sid = make_story(people["author"], publish=False)
    login(people["author"])
    assert client.post(f"/stories/{sid}/publish").status_code == 302
    assert client.post(f"/stories/{sid}/hide").status_code == 403
    client.post("/logout")
    login(people["moderator"])
    assert client.post(f"/stories/{sid}/hide").status_code == 302
    client.post("/logout")
    login(people["author"])
    assert client.get(f"/stories/{sid}").status_code == 404  # hidden: moderators only
    assert client.get(f"/stories/{sid}/edit").status_code == 404
    client.post("/logout")
    login(people["moderator"])
    client.post(f"/stories/{sid}/unhide")
    assert client.post(f"/stories/{sid}/delete").status_code == 302
    assert get(app, Story, sid) is None


def test_write_from_award_template_and_edit(app, client, login, people, get_story):
    login(people["author"])
    form = client.get("/stories/new?template=award")
    assert "ปัญหาและสภาพเดิมก่อนปรับปรุง (ไม่เกิน 700 คำ)" in form.text
    assert 'data-wordcount-url="/stories/wordcount"' in form.text
    body = re.search(r'<textarea[^>]*name="body"[^>]*>\s*(.*?)</textarea>', form.text, re.S).group(1)
    import html

    body = html.unescape(body)
    data = {
        "title": "ลดเวลารอคิว",
        "summary": "สรุป",
        "body": body,
        "template": "award",
        "codes": "pm 6",
        "tags": "ลดระยะเวลา",
        "year": "2558",
        "province": "นนทบุรี",
        "agency": "กรมอนามัย",
        "publish": "1",
    }
    too_long = dict(data, body=body.replace("ผลลัพธ์เชิงปริมาณ", "ประโยชน์ " * 1401))
    refused = client.post("/stories/new", data=too_long)
    assert refused.status_code == 422 and "8. ประโยชน์ที่ได้รับ" in refused.text
    created = client.post("/stories/new", data=data)
    assert created.status_code == 302
    sid = int(created.headers["Location"].rsplit("/", 1)[1])
    story = get_story(sid)
    assert story.published_at is not None and story.codes == ["PM6"] and story.categories == ["6"]
    assert 'name="note"' in client.get(f"/stories/{sid}/edit").text
    edited = client.post(
        f"/stories/{sid}/edit",
        data=dict(data, title="ลดเวลารอคิวลงครึ่งหนึ่ง", save="1", note="  แก้ชื่อเรื่อง\u200b ให้ตรงผลลัพธ์ "),
    )
    assert edited.status_code == 302
    story = get_story(sid)
    assert story.revisions == 2 and story.published_at is not None
    history = client.get(f"/stories/{sid}/history").text
    assert '<td data-label="หมายเหตุ">แก้ชื่อเรื่อง ให้ตรงผลลัพธ์</td>' in history  # the note column is filled
    diff = client.get(f"/stories/{sid}/history/2")
    assert "<ins>" in diff.text and "ครึ่ง" in diff.text
    assert "แก้ชื่อเรื่อง ให้ตรงผลลัพธ์" in diff.text
    # compact: the long unchanged body is not repeated, only the changed title with its context
    assert diff.text.count('class="diff-line same"') <= 4
    assert client.post(f"/stories/{sid}/history/1/restore").status_code == 302
    assert get_story(sid).title == "ลดเวลารอคิว" and get_story(sid).revisions == 3


def test_wordcount_endpoint_matches_enforcement(client, login, people):
    from cop.stories import story_templates

    assert client.post("/stories/wordcount", json={"template": "award", "body": ""}).status_code == 302
    login(people["member"])
    body = story_templates.get_template("award").body() + "\n\nการมีส่วนร่วมของประชาชน"
    response = client.post("/stories/wordcount", json={"template": "award", "body": body})
    assert response.status_code == 200
    sections = {s["key"]: s for s in response.json["sections"]}
    award = story_templates.get_template("award")
    assert sections["lessons"]["count"] == story_templates.heading_counts(award, body)[-1]["count"]
    assert sections["problem"]["limit"] == 700
    assert client.post("/stories/wordcount", data="nope").status_code == 400
    assert client.post("/stories/wordcount", json={"template": "nope", "body": ""}).status_code == 400


def test_filters_combine_sort_and_paginate(app, client, people, make_story, login):
    a = make_story(
        people["author"],
        title="เรื่องความเสี่ยง",
        codes=["SP7"],
        province="ขอนแก่น",
        year=2553,
        agency="กรมทางหลวงชนบท",
        tags=["ซ้อมแผน"],
    )
    b = make_story(
        people["author"],
        title="เรื่องลูกค้า",
        codes=["CS1"],
        province="ชลบุรี",
        year=2554,
        agency="สำนักงานจังหวัดชลบุรี",
        tags=["Check List"],
    )
    c = make_story(people["author"], title="เรื่องร่าง", codes=["SP7"], publish=False)

    def titles(query):
        return re.findall(r'class="story-title"><a href="/stories/(\d+)"', client.get("/stories" + query).text)

    assert set(titles("")) == {str(a), str(b)}
    for q in (
        "?code=SP7",
        "?code=sp+7",
        "?code=SP-7",
        "?category=2",
        "?category=หมวด 2",
        "?province=ขอนแก่น",
        "?year=53",
        "?agency=ทางหลวง",
        "?tag=ซ้อมแผน",
        "?code=sp7&year=2553&province=ขอนแก่น",
    ):
        assert titles(q) == [str(a)], q
    assert titles("?code=sp7&province=ชลบุรี") == []
    assert titles("?tag=check list") == [str(b)]
    bad = client.get("/stories?code=ZZ9")
    assert bad.status_code == 200 and "ZZ9" not in bad.text.split("</header>")[1].split('id="f-code"')[0]
    # most helpful first
    login(people["member"])
    client.post(f"/stories/{b}/helpful")
    assert titles("?sort=helpful")[0] == str(b)
    assert titles("?sort=newest")[0] == str(b)  # b was created after a
    # pagination
    app.config["PER_PAGE"] = 1
    first, second = client.get("/stories"), client.get("/stories?page=2")
    assert 'rel="next"' in first.text and 'rel="prev"' in second.text
    assert c  # the draft never appears in lists


def test_helpful_toggle_via_page(app, client, login, people, make_story, get_story):
    sid = make_story(people["author"])
    assert client.post(f"/stories/{sid}/helpful").status_code == 302  # to login
    login(people["member"])
    client.post(f"/stories/{sid}/helpful")
    assert get_story(sid).helpful_count == 1
    client.post(f"/stories/{sid}/helpful")
    assert get_story(sid).helpful_count == 0


def test_pmqa_pages_and_home_list_stories(client, people, make_story):
    sid = make_story(people["author"], title="เรื่องบนหน้าหมวด", codes=["SP7"])
    draft = make_story(people["author"], title="ร่างที่ไม่ควรเห็น", codes=["SP7"], publish=False)
    for path in ("/", "/categories/2", "/codes/SP7"):
        text = client.get(path).text
        assert f'href="/stories/{sid}"' in text and "เรื่องบนหน้าหมวด" in text, path
        assert f"/stories/{draft}" not in text
    assert "เรื่องบนหน้าหมวด" not in client.get("/codes/CS1").text
    assert 'href="/stories/feed/code/SP7.atom"' in client.get("/codes/SP7").text


def test_atom_feeds(client, people, make_story):
    make_story(people["author"], title='ข่าว <ทดสอบ> & "อ้างอิง"', codes=["SP7"], body="<script>alert(1)</script> เนื้อหา")
    make_story(people["author"], title="ร่าง", codes=["SP7"], publish=False)
    response = client.get("/stories/feed/code/SP7.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.text for e in root.findall("a:entry/a:title", ns)]
    assert titles == ['ข่าว <ทดสอบ> & "อ้างอิง"']
    assert "<script" not in root.find("a:entry/a:content", ns).text
    assert client.get("/stories/feed/code/sp%207.atom").status_code == 301
    assert client.get("/stories/feed/category/2.atom").status_code == 200
    assert client.get("/stories/feed/category/9.atom").status_code == 404
    assert client.get("/stories/feed/code/XX1.atom").status_code == 404
    assert 'rel="alternate" type="application/atom+xml"' in client.get("/stories?code=SP7").text
