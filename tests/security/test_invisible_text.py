"""Text that is only invisible characters is empty: refused through web forms, the JSON API and the importer,
with nothing written and no reply counted. Text that needs joiners (emoji, Thai word-break hints) keeps them."""

import pytest
from sqlalchemy import func, select

from cop.aar.models import Aar
from cop.accounts.models import User
from cop.extensions import db
from cop.interchange import service as interchange
from cop.stories.models import Story
from cop.threads import services as thread_services
from cop.threads.models import Reply, Thread

from ..helpers import api_headers, fresh_session, scalar

INVISIBLE = [
    "\u200b\u200b\u200b",
    "\ufeff\u2060\u200d",
    "\u202e\u202c\u200e",
    "\u3164\u3164",
    "\u00a0\u200b\u00ad",
    "\u2800",
    "\x00\x01\u200c",
]


def count(app, model) -> int:
    return scalar(app, select(func.count()).select_from(model))


@pytest.fixture
def thread_id(app, make_user):
    email = make_user()
    with fresh_session(app):
        author = db.session.scalar(select(User).where(User.email == email))
        thread = thread_services.create_thread(
            author, title="ทำ SP5 อย่างไรให้ผ่าน", body="ขอคำแนะนำ", categories=["2"], check_limits=False, notify=False
        )
        db.session.commit()
        return thread.id


@pytest.fixture
def bearer(app, make_user):
    return api_headers(app, make_user())


@pytest.mark.parametrize("blank", INVISIBLE)
def test_web_forms_refuse_invisible_only_text(client, app, make_user, login, thread_id, blank):
    login(make_user(role="facilitator"))
    story = client.post("/stories/new", data={"title": blank, "body": "เนื้อหา", "publish": "1"})
    assert story.status_code == 422
    story = client.post("/stories/new", data={"title": "หัวเรื่อง", "body": blank, "publish": "1"})
    assert story.status_code == 422
    assert client.post("/threads/new", data={"title": blank, "body": "รายละเอียด", "categories": "2"}).status_code == 422
    assert client.post("/threads/new", data={"title": "คำถาม", "body": blank, "categories": "2"}).status_code == 422
    assert client.post(f"/threads/{thread_id}/replies", data={"body": blank}).status_code == 422
    aar = client.post(
        "/aar/new",
        data={
            "title": "AAR ทดสอบ",
            "held_on": "01/11/2569",
            "expected": blank,
            "actual": blank,
            "why": blank,
            "next_time": blank,
            "action": "publish",
        },
    )
    assert aar.status_code == 422 and "ตอบครบทั้งสี่คำถาม" in aar.text
    assert client.post("/aar/new", data={"title": blank, "held_on": "01/11/2569", "action": "draft"}).status_code == 422
    client.post("/logout")
    users_before = count(app, User)
    joined = client.post(
        "/register",
        data={
            "name": blank,
            "email": "ghost@example.org",
            "password": "a long pass phrase",
            "confirm": "a long pass phrase",
        },
    )
    assert joined.status_code in (200, 422)
    assert count(app, User) == users_before
    assert (count(app, Story), count(app, Thread), count(app, Reply), count(app, Aar)) == (0, 1, 0, 0)
    assert "คำตอบ (0)" in client.get(f"/threads/{thread_id}").text


@pytest.mark.parametrize("blank", INVISIBLE[:4])
def test_api_refuses_invisible_only_text(client, app, bearer, thread_id, blank):
    for payload in ({"title": blank, "body": "เนื้อหา"}, {"title": "หัวเรื่อง", "body": blank}):
        response = client.post("/api/v1/stories", json=payload, headers=bearer)
        assert response.status_code == 422, payload
    for payload in (
        {"title": blank, "body": "รายละเอียด", "categories": ["2"]},
        {"title": "คำถาม", "body": blank, "categories": ["2"]},
    ):
        assert client.post("/api/v1/threads", json=payload, headers=bearer).status_code == 422, payload
    reply = client.post(f"/api/v1/threads/{thread_id}/replies", json={"body": blank}, headers=bearer)
    assert reply.status_code == 422
    assert (count(app, Story), count(app, Thread), count(app, Reply)) == (0, 1, 0)
    listed = client.get("/api/v1/threads").json
    assert [t["replies"] for t in listed["results"]] == [0]


@pytest.mark.parametrize(
    "section,item",
    [
        ("users", {"email": "ghost@example.org", "name": "\u200b\u200b"}),
        ("stories", {"title": "\ufeff\u200b", "body": "เนื้อหา", "author": "AUTHOR"}),
        (
            "threads",
            {
                "title": "คำถามนำเข้า",
                "body": "รายละเอียด",
                "author": "AUTHOR",
                "replies": [{"body": "\u200b\u2060", "author": "AUTHOR"}],
            },
        ),
        ("aars", {"title": "\u3164", "held_on": "2568-01-20"}),
    ],
)
def test_import_refuses_invisible_only_text_and_writes_nothing(app, make_user, section, item):
    author = make_user()
    item = {k: (author if v == "AUTHOR" else v) for k, v in item.items()}
    if "replies" in item:
        item["replies"] = [{**r, "author": author} for r in item["replies"]]
    before = [count(app, m) for m in (User, Story, Thread, Reply, Aar)]
    with fresh_session(app), pytest.raises(interchange.InterchangeError) as refused:
        interchange.import_document({"format": "cop", "version": 1, section: [item]})
    assert section in str(refused.value)
    assert [count(app, m) for m in (User, Story, Thread, Reply, Aar)] == before


def test_cleaning_keeps_what_text_needs(client, app, make_user, login, thread_id):
    login(make_user())
    body = "\u200bครู\u200bสอน ครอบครัว 👨\u200d👩\u200d👧\u202e\n\tย่อหน้า\u200b"
    assert client.post(f"/threads/{thread_id}/replies", data={"body": body}).status_code == 302
    stored = scalar(app, select(Reply.body))
    assert stored == "ครู\u200bสอน ครอบครัว 👨\u200d👩\u200d👧\n\tย่อหน้า"
