"""The JSON API, the interchange section (round trip, idempotent seed) and search by reply words."""

import json
import re
from pathlib import Path

import pytest

from cop.accounts import services as account_services
from cop.extensions import db
from cop.interchange import service as interchange

from ..helpers import api_headers, exported_elsewhere, fresh_session

SEED = Path(__file__).resolve().parents[2] / "seed"


def test_api_create_list_get_and_reply(app, client, old_user):
    headers = api_headers(app, old_user(name="ผู้ถามผ่าน API"))
    created = client.post(
        "/api/v1/threads",
        headers=headers,
        json={"title": "ถามผ่าน API", "body": "รายละเอียด", "categories": ["3"], "codes": ["cs 1"]},
    )
    assert created.status_code == 201
    thread_id, url = created.get_json()["id"], created.get_json()["url"]
    assert url == f"/threads/{thread_id}"
    replier = api_headers(app, old_user(name="ผู้ตอบผ่าน API"))
    replied = client.post(f"/api/v1/threads/{thread_id}/replies", headers=replier, json={"body": "ตอบผ่าน API"})
    assert replied.status_code == 201
    listing = client.get("/api/v1/threads?code=CS-1&answered=yes").get_json()
    assert listing["total"] == 1 and listing["results"][0]["codes"] == ["CS1"]
    assert listing["results"][0]["categories"] == ["3"]
    assert client.get("/api/v1/threads?answered=no").get_json()["total"] == 0
    detail = client.get(f"/api/v1/threads/{thread_id}").get_json()
    assert detail["title"] == "ถามผ่าน API" and detail["replies"][0]["body"] == "ตอบผ่าน API"
    assert detail["replies"][0]["author"] == "ผู้ตอบผ่าน API"


def test_api_errors_are_json_never_500(app, client, old_user):
    headers = api_headers(app, old_user())
    assert client.post("/api/v1/threads", json={"title": "x", "body": "y", "codes": ["CS1"]}).status_code == 401
    assert client.post("/api/v1/threads", headers=headers, data="not json").status_code == 400
    invalid = client.post("/api/v1/threads", headers=headers, json={"title": "", "body": "", "codes": ["ZZ9"]})
    assert invalid.status_code == 422 and {"title", "body", "codes"} <= set(invalid.get_json()["fields"])
    assert client.post("/api/v1/threads", headers=headers, json={"title": 5, "body": "b"}).status_code == 400
    assert (
        client.post(
            "/api/v1/threads", headers=headers, json={"title": "t", "body": "b", "codes": "CS1", "evil": 1}
        ).status_code
        == 400
    )
    assert (
        client.post("/api/v1/threads", headers=headers, json={"title": "t", "body": "b", "codes": [{}]}).status_code
        == 400
    )
    assert client.get("/api/v1/threads/999").status_code == 404
    assert client.post("/api/v1/threads/999/replies", headers=headers, json={"body": "x"}).status_code == 404
    assert client.get("/api/v1/threads?answered=maybe").status_code == 400
    assert client.get("/api/v1/threads?per_page=1000").status_code == 400
    assert client.get("/api/v1/threads?code=ZZ9").status_code == 400


def test_api_reply_to_locked_thread_is_refused(app, client, old_user, ask):
    from cop.threads import moderation
    from cop.threads.models import Thread

    thread_id = ask(old_user())
    with fresh_session(app):
        moderation.set_locked(db.session.get(Thread, thread_id), account_services.find_user(old_user(role="moderator")))
        db.session.commit()
    response = client.post(
        f"/api/v1/threads/{thread_id}/replies", headers=api_headers(app, old_user()), json={"body": "x"}
    )
    assert response.status_code == 409 and "ล็อก" in response.get_json()["error"]


def test_search_finds_a_thread_by_a_word_in_any_reply_once(app, client, old_user, ask, answer):
    thread_id = ask(old_user(), title="ถามเรื่องการประชุม", body="ประชุมแล้วไม่มีใครพูด")
    answer(old_user(), thread_id, "ลองใช้กระดาษโพสต์อิทให้ทุกคนเขียนก่อน")
    answer(old_user(), thread_id, "เราใช้กระดาษโพสต์อิทเช่นกัน")
    results = client.get("/api/v1/search?q=โพสต์อิท").get_json()
    assert [(r["type"], r["id"]) for r in results["results"]] == [("thread", thread_id)]
    assert results["results"][0]["url"] == f"/threads/{thread_id}"


def seed_threads(runner, tmp_path):
    users = json.loads((SEED / "01_users.json").read_text(encoding="utf-8"))
    threads = json.loads((SEED / "03_threads.json").read_text(encoding="utf-8"))
    path = tmp_path / "threads.json"
    path.write_text(
        json.dumps(
            {"format": "cop", "version": 1, "users": users["users"], "threads": threads["threads"]}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    return path


def test_seed_import_twice_changes_nothing_and_round_trips(app, runner, tmp_path):
    path = seed_threads(runner, tmp_path)
    first = runner.invoke(args=["import", str(path)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["import", str(path)])
    assert "threads" not in second.output or "threads: 0" in second.output
    with fresh_session(app):
        exported = interchange.export_document()
    original = json.loads(path.read_text(encoding="utf-8"))["threads"]
    assert len(exported["threads"]) == len(original)
    by_title = {t["title"]: t for t in exported["threads"]}
    for item in original:
        got = by_title[item["title"]]
        assert got["codes"] == item["codes"] and got["author"] == item["author"]
        assert got["created_at"] == item["created_at"] and len(got["replies"]) == len(item["replies"])
        assert [r["body"] for r in got["replies"]] == [r["body"] for r in item["replies"]]
        assert [r.get("key_lesson") for r in got["replies"]] == [r.get("key_lesson") for r in item["replies"]]

    other_dir = tmp_path / "other"
    other_dir.mkdir()
    document = {"format": "cop", "version": 1, "users": exported["users"], "threads": exported["threads"]}
    again = exported_elsewhere(other_dir, document)
    assert again["threads"] == exported["threads"]


def test_import_rejects_unknown_reply_keys_and_unknown_authors(app_ctx):
    from cop.threads.models import Thread

    for threads in (
        [{"title": "t", "body": "b", "codes": ["CS1"], "author": "nobody@example.org"}],
        [
            {
                "title": "t",
                "body": "b",
                "codes": ["CS1"],
                "author": "a@example.org",
                "replies": [{"body": "r", "author": "a@example.org", "mood": "happy"}],
            }
        ],
    ):
        users = [{"email": "a@example.org", "name": "เอ"}]
        with pytest.raises(interchange.InterchangeError, match=re.escape("threads[0]")):
            interchange.import_document({"format": "cop", "version": 1, "users": users, "threads": threads})
    assert db.session.query(Thread).count() == 0
