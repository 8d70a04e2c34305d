"""AARs outside the pages: search, the interchange section, the JSON API."""

from pathlib import Path

from cop.aar import services
from cop.aar.models import Aar
from cop.extensions import db
from cop.interchange import service as interchange
from cop.search import service as search_service

from ..helpers import exported_elsewhere, fresh_session

SEED = Path(__file__).resolve().parents[2] / "seed"
KEYS = [
    "title",
    "held_on",
    "venue",
    "facilitators",
    "participants",
    "codes",
    "expected",
    "actual",
    "why",
    "next_time",
    "body",
]


def search(client, q, **params):
    response = client.get("/api/v1/search", query_string={"q": q, "type": "aar", **params})
    assert response.status_code == 200, response.text
    return response.json


def test_search_finds_a_published_aar_by_any_of_its_four_answers(client, make_aar, app):
    aar_id = make_aar(
        expected="คาดว่าจะได้ปฏิทินกิจกรรม",
        actual="ได้เพียงโครงร่างปฏิทิน",
        why="เวลาไม่พอเพราะเริ่มช้า",
        next_time="เชิญผู้บริหารเปิดงานตรงเวลา",
        codes=["LD1"],
    )
    for word in ("ปฏิทินกิจกรรม", "โครงร่าง", "เริ่มช้า", "ผู้บริหาร"):
        found = search(client, word)
        assert [r["id"] for r in found["results"]] == [aar_id], word
        assert found["results"][0]["url"] == f"/aar/{aar_id}" and found["results"][0]["codes"] == ["LD1"]
    draft = make_aar(publish=False, title="ร่าง", next_time="ทดลองระบบจองห้องประชุม")
    assert search(client, "จองห้องประชุม")["total"] == 0  # drafts are never in the index
    with fresh_session(app):
        aar = db.session.get(Aar, aar_id)
        services.unpublish(aar)
        services.publish(db.session.get(Aar, draft))
        db.session.commit()
        search_service.apply_pending()
        assert search_service.check().clean
    assert search(client, "เริ่มช้า")["total"] == 0
    assert search(client, "จองห้องประชุม")["total"] == 1


def test_seed_imports_once_and_round_trips(app_ctx, tmp_path):
    users = interchange.read_file(SEED / "01_users.json")
    aars = interchange.read_file(SEED / "07_aars.json")
    interchange.import_document(users)
    assert interchange.import_document(aars)["aars"] == 4
    assert interchange.import_document(aars)["aars"] == 0  # idempotent: seeding twice changes nothing
    exported = interchange.export_document()
    rows = db.session.query(Aar).all()
    assert all(a.is_published for a in rows)  # the seeds answer all four questions
    khanom = next(a for a in rows if "ขนอม" in a.title)
    assert khanom.province == "นครศรีธรรมราช"  # taken from the venue
    assert khanom.categories == ["1", "2", "4"]  # from LD1, SP4, IT7
    # the seeds' "รายการติดตาม" lines become tracked action items
    assert [(i.owner, i.due_on.isoformat(), i.state) for i in khanom.actions][0] == (
        "ผู้ประสานงาน PMQA จังหวัด",
        "2010-12-31",
        "done",
    )
    assert sorted(i.what for i in services.open_actions()) == [
        "จัดเวิร์กช็อป SP7 แบบโจทย์เดียว",
        "ติดตามร่างขั้นตอนข้อร้องเรียนที่ค้าง",
        "นัดอ่านร่างรอบสองก่อนส่งหน่วยงานต้นสังกัด",
        "ปรับแบบตอบรับให้ระบุบทบาทผู้เข้าร่วม",
    ]
    assert [sorted(item) for item in exported["aars"]] == [sorted(KEYS)] * 4
    by_title = {a["title"]: a for a in aars["aars"]}
    for item in exported["aars"]:
        assert item == by_title[item["title"]]

    document = {"format": "cop", "version": 1, "users": exported["users"], "aars": exported["aars"]}
    again = exported_elsewhere(tmp_path / "fresh", document)
    assert again["aars"] == exported["aars"]


def test_import_refuses_bad_items_and_writes_nothing(app_ctx):
    import pytest

    bad = {
        "format": "cop",
        "version": 1,
        "aars": [
            {"title": "ดี", "held_on": "2026-01-05", "expected": "ก", "actual": "ข", "why": "ค", "next_time": "ง"},
            {"title": "ไม่ดี", "held_on": "2026-13-40", "codes": ["SP5"]},
        ],
    }
    with pytest.raises(interchange.InterchangeError, match=r"aars\[1\]: held_on"):
        interchange.import_document(bad)
    with pytest.raises(interchange.InterchangeError, match="unknown key"):
        interchange.import_document(
            {"format": "cop", "version": 1, "aars": [{"title": "x", "held_on": "2026-01-01", "province": "ขอนแก่น"}]}
        )
    assert db.session.query(Aar).count() == 0


def test_api_lists_and_shows_published_aars(client, make_aar, app, facilitator):
    aar_id = make_aar(codes=["CS1"], agencies=["กรมอนามัย"])
    draft = make_aar(publish=False, title="ร่าง")
    with fresh_session(app):
        services.add_action(db.session.get(Aar, aar_id), what="ส่งรายงาน", owner="ทีม", due_on="2026-09-01")
        db.session.commit()
    listing = client.get("/api/v1/aars?code=cs1&agency=อนามัย").json
    assert listing["total"] == 1 and listing["results"][0]["id"] == aar_id
    assert listing["results"][0]["categories"] == ["3"] and listing["results"][0]["held_on"] == "2026-08-20"
    assert client.get("/api/v1/aars?code=SP5").json["total"] == 0
    detail = client.get(f"/api/v1/aars/{aar_id}").json
    assert detail["next_time"].startswith("- ส่งแบบฟอร์ม") and "<li>" in detail["html"]["next_time"]
    assert detail["action_items"][0]["what"] == "ส่งรายงาน" and detail["action_items"][0]["state"] == "open"
    assert detail["facilitators"][0]["email"] == facilitator
    assert client.get(f"/api/v1/aars/{draft}").status_code == 404
    bad = client.get("/api/v1/aars?year=abc&per_page=1000")
    assert bad.status_code == 400 and "error" in bad.json
    assert client.get("/api/v1/aars?per_page=0").status_code == 400
