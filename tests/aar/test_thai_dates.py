"""AAR dates and action-item due dates typed the Thai way; an AAR cannot be held in the future or decades ago."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from cop.aar.models import Aar, ActionItem
from cop.extensions import db
from cop.interchange import service as interchange

from ..helpers import fresh_session, get, scalar
from .helpers import ANSWERS

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
FORM = {"title": "AAR เวทีทบทวนแผน ลำปาง", "venue": "ศาลากลางจังหวัดลำปาง", "province": "ลำปาง", "codes": "SP5", **ANSWERS}


def be(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def aar_count(app) -> int:
    return scalar(app, select(func.count()).select_from(Aar))


def test_held_on_in_buddhist_era_is_stored_and_shown_back(client, login, facilitator, app):
    login(facilitator)
    held = date.today() - timedelta(days=10)
    typed = {
        "held_on": be(held).translate(THAI_DIGITS),
        "held_until": f"{held.year + 543}-{held.month:02d}-{held.day:02d}",
    }
    made = client.post("/aar/new", data={**FORM, **typed, "action": "publish"})
    assert made.status_code == 302, made.text[:2000]
    aar_id = int(made.headers["Location"].rsplit("/", 1)[1])
    assert get(app, Aar, aar_id).held_on == held
    edit = client.get(f"/aar/{aar_id}/edit").text
    assert f'value="{be(held)}"' in edit and 'type="date"' not in edit
    assert 'placeholder="วว/ดด/ปปปป' in edit

    due = date.today() + timedelta(days=45)
    added = client.post(
        f"/aar/{aar_id}/actions", data={"new-what": "ส่งรายงาน", "new-owner": "ทีมจังหวัด", "new-due_on": be(due)}
    )
    assert added.status_code == 302
    assert scalar(app, select(ActionItem.due_on)) == due


def test_absurd_aar_dates_are_refused_with_the_reason(client, login, facilitator, app):
    login(facilitator)
    tomorrow = date.today() + timedelta(days=2)
    cases = [
        ({"held_on": be(tomorrow)}, "ต้องไม่เป็นวันในอนาคต"),
        ({"held_on": "20/01/2530"}, "อยู่ก่อนปี พ.ศ. 2543"),
        ({"held_on": "20/01/3112"}, "ต้องไม่เป็นวันในอนาคต"),
        ({"held_on": be(date.today()), "held_until": be(date.today() - timedelta(days=3))}, "วันสุดท้ายต้องไม่ก่อนวันแรก"),
        ({"held_on": "30/02/2569"}, "ไม่มีวันที่ 30/2/2569"),
    ]
    for fields, message in cases:
        response = client.post("/aar/new", data={**FORM, **fields, "action": "draft"})
        assert response.status_code == 422, fields
        assert message in response.text, (fields, message)
    assert aar_count(app) == 0


def test_import_reads_buddhist_era_and_refuses_a_future_workshop(app_ctx):
    held = date.today() - timedelta(days=400)
    ok = {
        "format": "cop",
        "version": 1,
        "aars": [{"title": "AAR นำเข้า", "held_on": f"{held.year + 543}-{held.month:02d}-{held.day:02d}", **ANSWERS}],
    }
    future = {"format": "cop", "version": 1, "aars": [{"title": "AAR อนาคต", "held_on": "2600-01-01", **ANSWERS}]}
    assert interchange.import_document(ok)["aars"] == 1
    assert db.session.scalar(select(Aar.held_on)) == held
    with pytest.raises(interchange.InterchangeError) as refused:
        interchange.import_document(future)  # held in 2600 BE + 543
    assert "aars[0]" in str(refused.value) and "future" in str(refused.value)
    assert aar_count(app_ctx) == 1


def test_story_fiscal_year_in_thai_digits_gregorian_or_refused(client, make_user, login, app):
    from cop.stories.models import Story

    login(make_user())
    base = {"title": "เรื่องเล่าปีงบประมาณ", "body": "เนื้อหาเรื่องเล่า", "publish": "1"}
    assert client.post("/stories/new", data={**base, "year": "๒๕๖๘"}).status_code == 302
    assert client.post("/stories/new", data={**base, "title": "ปีคริสต์ศักราช", "year": "2024"}).status_code == 302
    with fresh_session(app):
        assert sorted(db.session.scalars(select(Story.year))) == [2567, 2568]
    for year, message in (("2600", "ยังมาไม่ถึง"), ("2450", "เก่าเกินไป")):
        response = client.post("/stories/new", data={**base, "title": "ปีผิด", "year": year})
        assert response.status_code == 422 and message in response.text, year
