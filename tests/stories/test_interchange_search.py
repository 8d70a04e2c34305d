"""Interchange round trip, idempotent import, and the search source (published only)."""

import json

import pytest

from cop.extensions import db
from cop.interchange import service as interchange
from cop.search import service as search_service
from cop.search.base import SearchRequest
from cop.stories import services
from cop.stories.models import Story

from ..helpers import exported_elsewhere, fresh_session, user_named

DOCUMENT = {
    "format": "cop",
    "version": 1,
    "users": [{"email": "writer@example.org", "name": "นักเขียน", "role": "member", "agency": "", "province": None}],
    "stories": [
        {
            "title": "บริหารความเสี่ยงด้วยโจทย์เดียว",
            "summary": "สรุป",
            "body": "## ขั้นตอน\nเวิร์กช็อปร่วมกัน",
            "agency": "สำนักงานปลัดกระทรวงมหาดไทย",
            "province": "กรุงเทพมหานคร",
            "year": 2553,
            "categories": ["2"],
            "codes": ["sp 7", "HR2"],
            "tags": ["บริหารความเสี่ยง"],
            "author": "writer@example.org",
            "published_at": "2026-02-09T10:30:00",
        },
        {
            "title": "ร่างเรื่อง",
            "summary": "",
            "body": "ยังไม่เสร็จ",
            "agency": "",
            "province": None,
            "year": None,
            "categories": [],
            "codes": [],
            "tags": [],
            "author": "writer@example.org",
            "published_at": None,
        },
    ],
}


def test_import_export_round_trip(app_ctx, tmp_path):
    counts = interchange.import_document(json.loads(json.dumps(DOCUMENT)))
    assert counts["stories"] == 2
    again = interchange.import_document(json.loads(json.dumps(DOCUMENT)))  # seed twice: nothing new
    assert again["stories"] == 0
    exported = interchange.export_document()
    stories = exported["stories"]
    assert stories[0]["codes"] == ["SP7", "HR2"] and stories[0]["categories"] == ["2", "5"]
    assert stories[0]["published_at"] == "2026-02-09T10:30:00+07:00"
    assert stories[1]["published_at"] is None
    assert set(stories[0]) == set(DOCUMENT["stories"][0])
    assert exported_elsewhere(tmp_path / "second", exported)["stories"] == stories


def test_bad_items_name_the_field_and_import_nothing(app_ctx):
    for change, field in (
        ({"codes": ["XX1"]}, "codes"),
        ({"categories": ["Z"]}, "categories"),
        ({"province": "Atlantis"}, "province"),
        ({"author": "nobody@example.org"}, "author"),
        ({"published_at": "yesterday"}, "published_at"),
    ):
        document = json.loads(json.dumps(DOCUMENT))
        document["stories"][1].update(change)
        with pytest.raises(interchange.InterchangeError) as info:
            interchange.import_document(document)
        assert f"stories[1]: {field}" in str(info.value)
        assert db.session.query(Story).count() == 0
    document = json.loads(json.dumps(DOCUMENT))
    document["stories"][0]["colour"] = "red"
    with pytest.raises(interchange.InterchangeError, match="colour"):
        interchange.import_document(document)


def search(text):
    return search_service.backend().search(SearchRequest(text=text, types=("story",)))


def test_published_found_drafts_and_hidden_not(app, make_user, make_story, client, login):
    author, moderator = make_user(), make_user(role="moderator")
    published = make_story(
        author, title="ประชาชนร่วมตรวจงานทาง", body="ศูนย์แก้ไขข้อร้องเรียนสายด่วน", codes=["CS3"], tags=["อาสาสมัคร"]
    )
    draft = make_story(author, title="ร่างประชาชนร่วมตรวจงานทาง", publish=False)
    with fresh_session(app):
        results = search("ข้อร้องเรียน")
        assert [h.id for h in results.hits] == [published]
        hit = results.hits[0]
        assert hit.url == f"/stories/{published}" and hit.codes == ["CS3"] and hit.categories == ["3"]
        assert draft not in [h.id for h in search("ตรวจงานทาง").hits]
    # publishing through the page reaches the index at request teardown
    login(author)
    client.post(f"/stories/{draft}/publish")
    with fresh_session(app):
        assert draft in [h.id for h in search("ตรวจงานทาง").hits]
    client.post(f"/stories/{draft}/unpublish")
    with fresh_session(app):
        assert draft not in [h.id for h in search("ตรวจงานทาง").hits]
    client.post("/logout")
    login(moderator)
    client.post(f"/stories/{published}/hide")
    with fresh_session(app):
        assert search("ข้อร้องเรียน").hits == []
        assert search_service.check().clean
    client.post(f"/stories/{published}/unhide")
    client.post(
        f"/stories/{published}/edit",
        data={"title": "ชื่อใหม่ของเรื่อง", "body": "เนื้อหาใหม่ทั้งหมด", "codes": "CS3", "save": "1"},
    )
    with fresh_session(app):
        assert [h.id for h in search("เนื้อหาใหม่ทั้งหมด").hits] == [published]
        assert search("ข้อร้องเรียน").hits == []
        assert search_service.check().clean


def test_search_document_fields(app_ctx, make_user):
    from cop.stories.search import load

    email = make_user()
    story = services.create_story(
        user_named(email),
        {
            "title": "ท",
            "summary": "สรุปย่อ",
            "body": "**ตัวหนา**",
            "codes": ["PM5"],
            "tags": ["แผน"],
            "year": 2560,
            "province": "ชลบุรี",
            "agency": "กรมหนึ่ง",
        },
        publish=True,
    )
    db.session.commit()
    doc = load([story.id])[story.id]
    assert doc.body.startswith("สรุปย่อ") and "ตัวหนา" in doc.body and "**" not in doc.body and "<" not in doc.body
    assert (doc.year, doc.province, doc.agency, doc.tags, doc.codes, doc.categories) == (
        2560,
        "ชลบุรี",
        "กรมหนึ่ง",
        ["แผน"],
        ["PM5"],
        ["6"],
    )
