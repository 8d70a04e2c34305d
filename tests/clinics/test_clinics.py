import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from cop.clinics.models import Clinic, Registration
from cop.extensions import db
from cop.interchange import service as interchange

from ..helpers import exported_elsewhere, fresh_session, scalar
from .helpers import add_clinic, add_trainer, full_clinic_with_a_waitlist, notifications_for


def clinic_form(**changes):
    data = {
        "title": "คลินิกสัญจร ขอนแก่น",
        "starts_at": "2028-03-17T09:00",
        "ends_at": "2028-03-17T16:30",
        "venue": "ศาลากลางจังหวัดขอนแก่น",
        "province": "ขอนแก่น",
        "codes": "cs 1, CS2",
        "capacity": "20",
        "trainers": "",
        "description": "**หมวด 3**",
        "status": "planned",
    }
    data.update(changes)
    return data


def test_coordinator_schedules_a_clinic_in_bangkok_time(client, app, make_user, login):
    assert client.get("/clinics/new").status_code == 302
    login(make_user())
    assert client.post("/clinics/new", data=clinic_form()).status_code == 403
    client.post("/logout")
    login(make_user("coordinator"))
    made = client.post("/clinics/new", data=clinic_form())
    assert made.status_code == 302
    with fresh_session(app):
        clinic = db.session.scalar(select(Clinic))
        assert clinic.starts_at == datetime(2028, 3, 17, 2, 0)  # stored in UTC
        assert clinic.codes == ["CS1", "CS2"]
    page = client.get(made.headers["Location"]).text
    assert "17 มี.ค. 2571 09:00 น." in page and "<strong>หมวด 3</strong>" in page
    listing = client.get("/clinics").text
    assert f'href="/clinics/{clinic.id}">คลินิกสัญจร ขอนแก่น</a>' in listing
    bad = client.post("/clinics/new", data=clinic_form(ends_at="2028-03-17T08:00", capacity="0", codes="QQ1"))
    assert bad.status_code == 422 and "QQ1" in bad.text


def test_trainer_conflicts_warn_until_acknowledged(client, app, make_user, login):
    a = add_trainer(app, "ดวงพร เหนือฟ้า")
    add_trainer(app, "ประยูร สองแคว", email="p@example.org")
    add_clinic(app, "คลินิกแรก", starts="2028-03-17T09:00", ends="2028-03-17T12:00", trainers=["ดวงพร เหนือฟ้า"])
    login(make_user("coordinator"))
    overlap = client.post(
        "/clinics/new", data=clinic_form(starts_at="2028-03-17T11:00", trainers="ดวงพร เหนือฟ้า\nประยูร สองแคว")
    )
    assert overlap.status_code == 422
    assert "ดวงพร เหนือฟ้า" in overlap.text and "คลินิกแรก" in overlap.text and 'name="acknowledge"' in overlap.text
    same_day = client.post("/clinics/new", data=clinic_form(starts_at="2028-03-17T13:00", trainers="ดวงพร เหนือฟ้า"))
    assert same_day.status_code == 422 and "ขอนแก่น" in same_day.text  # other province, same day
    saved = client.post(
        "/clinics/new", data=clinic_form(starts_at="2028-03-17T13:00", trainers="ดวงพร เหนือฟ้า", acknowledge="y")
    )
    assert saved.status_code == 302
    unknown = client.post("/clinics/new", data=clinic_form(trainers="ไม่มีตัวตน"))
    assert unknown.status_code == 422 and "ไม่มีตัวตน" in unknown.text
    assert a


def test_register_waitlist_cancel_promotes_in_order_and_notifies(client, app, make_user, login):
    clinic_id = add_clinic(app, capacity=2)
    emails = [make_user(email=f"m{i}@example.org") for i in range(4)]
    for email in emails:
        login(email)
        assert client.post(f"/clinics/{clinic_id}/register").status_code == 303
        client.post("/logout")
    login(emails[3])
    assert "ลำดับที่ 2" in client.get(f"/clinics/{clinic_id}").text
    again = client.post(f"/clinics/{clinic_id}/register", follow_redirects=True)
    assert "รายชื่อสำรอง" in again.text
    client.post("/logout")
    login(emails[0])
    # the cancel button leads to a confirmation: until it is confirmed, the seat stays taken
    confirm = client.get(f"/clinics/{clinic_id}/cancel")
    assert confirm.status_code == 200 and "ลำดับแรกในรายชื่อสำรอง" in confirm.text
    client.post(f"/clinics/{clinic_id}/cancel")  # a POST without the confirmation shows the page again
    with fresh_session(app):
        assert {r.user.email: r.status for r in db.session.scalars(select(Registration))}[emails[0]] == "registered"
    assert notifications_for(app, emails[2]) == []
    client.post(f"/clinics/{clinic_id}/cancel", data={"confirm": "yes"})
    with fresh_session(app):
        statuses = {r.user.email: r.status for r in db.session.scalars(select(Registration))}
        assert statuses == {
            emails[0]: "cancelled",
            emails[1]: "registered",
            emails[2]: "registered",
            emails[3]: "waitlisted",
        }
        assert db.session.get(Clinic, clinic_id).seats_taken == 2
    kinds = [k for k, _t, _u in notifications_for(app, emails[2])]
    assert kinds == ["clinic_promoted"]
    assert notifications_for(app, emails[3]) == []
    # the one who cancelled may come back, at the end of the queue
    client.post(f"/clinics/{clinic_id}/register")
    client.post("/logout")
    login(emails[3])
    client.post(f"/clinics/{clinic_id}/cancel", data={"confirm": "yes"})  # leaving the waitlist frees no seat
    with fresh_session(app):
        waiting = db.session.scalars(select(Registration).where(Registration.status == "waitlisted")).all()
        assert [r.user.email for r in waiting] == [emails[0]]


def test_capacity_cannot_drop_below_registrations_and_raising_it_promotes(client, app, make_user, login):
    clinic_id, _first, second = full_clinic_with_a_waitlist(client, app, make_user, login)
    edit = client.get(f"/clinics/{clinic_id}/edit")
    assert 'value="18/02/2571 09:00"' in edit.text  # shown back in the Buddhist Era
    form = clinic_form(
        title="คลินิกสัญจร เชียงใหม่",
        starts_at="2028-02-18T09:00",
        ends_at="2028-02-18T16:00",
        province="เชียงใหม่",
        capacity="0",
    )
    assert client.post(f"/clinics/{clinic_id}/edit", data=form).status_code == 422
    assert client.post(f"/clinics/{clinic_id}/edit", data={**form, "capacity": "2"}).status_code == 302
    assert [k for k, _t, _u in notifications_for(app, second)] == ["clinic_promoted"]


def test_closed_registration_and_anonymous_register(client, app, make_user, login):
    past = add_clinic(app, "คลินิกที่ผ่านไปแล้ว", starts="2025-01-10T09:00", ends="2025-01-10T16:00")
    assert client.post(f"/clinics/{past}/register").status_code == 302  # to the login page
    login(make_user())
    closed = client.post(f"/clinics/{past}/register", follow_redirects=True)
    assert "ผ่านไปแล้ว" in closed.text
    assert scalar(app, select(Registration)) is None
    assert client.post("/clinics/999/register").status_code == 404


def test_registrants_page_and_csv_for_coordinators_only(client, app, make_user, login):
    clinic_id = add_clinic(app, capacity=1)
    for name in ("สมศรี ใจดี", "=HYPERLINK(1)"):
        email = make_user(name=name, agency="กรมตัวอย่าง")
        login(email)
        client.post(f"/clinics/{clinic_id}/register")
        client.post("/logout")
    login(make_user())
    assert client.get(f"/clinics/{clinic_id}/registrants.csv").status_code == 403
    client.post("/logout")
    login(make_user("coordinator"))
    assert "สมศรี ใจดี" in client.get(f"/clinics/{clinic_id}/registrants").text
    csv_response = client.get(f"/clinics/{clinic_id}/registrants.csv")
    assert csv_response.mimetype == "text/csv"
    rows = csv_response.data.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("สถานะ,ลำดับ,ชื่อ,อีเมล")
    assert rows[1].startswith("ลงทะเบียนแล้ว,1,สมศรี ใจดี") and rows[2].startswith("รายชื่อสำรอง,1,'=HYPERLINK")


def test_list_filters_month_calendar_and_past_clinic_links_its_aar(client, app):
    add_clinic(app, "คลินิกกุมภา", starts="2028-02-18T09:00", ends="2028-02-18T16:00", province="เชียงใหม่")
    add_clinic(app, "คลินิกมีนา", starts="2028-03-17T09:00", ends="2028-03-17T16:00", province="ขอนแก่น", codes=["CS1"])
    past = add_clinic(app, "คลินิกเก่า", starts="2025-01-10T09:00", ends="2025-01-10T16:00")
    assert "คลินิกมีนา" not in client.get("/clinics?month=2028-02").text
    assert "คลินิกกุมภา" in client.get("/clinics?month=2571-02").text  # Buddhist-Era month
    assert "คลินิกกุมภา" not in client.get("/clinics?code=cs-1").text
    assert "คลินิกมีนา" not in client.get("/clinics?province=เชียงใหม่").text
    assert "คลินิกเก่า" not in client.get("/clinics").text
    assert client.get("/clinics?month=13/9999&province=nowhere").status_code == 200
    calendar = client.get("/clinics/calendar?month=2028-02").text
    assert "คลินิกกุมภา" in calendar and "กุมภาพันธ์ 2571" in calendar
    from cop.clinics.links import register_aar_finder

    register_aar_finder(lambda clinic_id: {"title": "AAR คลินิกเก่า", "url": "/aar/7"} if clinic_id == past else None)
    page = client.get(f"/clinics/{past}").text
    assert 'href="/aar/7"' in page
    assert 'href="/aar/7"' in client.get("/clinics/past").text


def test_cancelled_clinic_notifies_and_leaves_search(client, app, make_user, login):
    add_trainer(app, "ดวงพร เหนือฟ้า")
    clinic_id = add_clinic(app, trainers=["ดวงพร เหนือฟ้า"])
    found = client.get("/api/v1/search?q=ดวงพร&type=clinic").get_json()
    assert [r["url"] for r in found["results"]] == [f"/clinics/{clinic_id}"]
    assert client.get("/api/v1/search?type=clinic&province=เชียงใหม่&code=SP5").get_json()["total"] == 1
    member = make_user()
    login(member)
    client.post(f"/clinics/{clinic_id}/register")
    client.post("/logout")
    login(make_user("coordinator"))
    client.post(f"/clinics/{clinic_id}/cancel-clinic", data={"confirm": "yes"})
    assert [k for k, _t, _u in notifications_for(app, member)] == ["clinic_cancelled"]
    assert client.get("/api/v1/search?q=ดวงพร&type=clinic").get_json()["total"] == 0
    assert "ยกเลิก" in client.get(f"/clinics/{clinic_id}").text


def test_reminders_cli_notifies_registrants_once(app, runner, client, make_user, login):
    soon = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT09:00")
    soon_end = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT16:00")
    clinic_id = add_clinic(app, "คลินิกใกล้ถึง", starts=soon, ends=soon_end)
    later = add_clinic(app, "คลินิกอีกนาน", starts="2028-02-18T09:00", ends="2028-02-18T16:00")
    member = make_user()
    login(member)
    client.post(f"/clinics/{clinic_id}/register")
    client.post(f"/clinics/{later}/register")
    result = runner.invoke(args=["clinics", "remind", "--days", "3"])
    assert result.exit_code == 0 and "Sent 1 reminder" in result.output
    notes = notifications_for(app, member)
    assert [n[0] for n in notes] == ["clinic_reminder"] and "คลินิกใกล้ถึง" in notes[0][1]
    assert "เริ่ม" in notes[0][1]
    assert "Sent 0 reminder" in runner.invoke(args=["clinics", "remind", "--days", "3"]).output


def test_api_lists_clinics_with_bangkok_times(client, app):
    add_trainer(app, "ดวงพร เหนือฟ้า")
    clinic_id = add_clinic(app, trainers=["ดวงพร เหนือฟ้า"])
    data = client.get("/api/v1/clinics?province=เชียงใหม่").get_json()
    assert data["total"] == 1
    item = data["results"][0]
    assert item["starts_at"] == "2028-02-18T09:00:00+07:00" and item["seats_left"] == 10
    assert item["trainers"][0]["name"] == "ดวงพร เหนือฟ้า" and "email" not in json.dumps(item)
    assert client.get(f"/api/v1/clinics/{clinic_id}").get_json()["id"] == clinic_id
    assert client.get("/api/v1/clinics?month=bad").status_code == 400
    assert client.get("/api/v1/clinics/999").status_code == 404


def test_hotlines_and_rota(client, app, make_user, login):
    assert client.get("/hotlines").status_code == 200
    login(make_user())
    assert client.post("/hotlines/new", data={"name": "x", "phone": "1"}).status_code == 403
    client.post("/logout")
    login(make_user("coordinator"))
    bad = client.post("/hotlines/new", data={"name": "สายด่วน ก.พ.ร.", "phone": "โทรมา"})
    assert bad.status_code == 422
    assert (
        client.post(
            "/hotlines/new",
            data={
                "name": "สายด่วน ก.พ.ร.",
                "phone": "๐๒ ๖๑๙ ๕๕๐๐",
                "extension": "545",
                "hours": "จันทร์–ศุกร์ 08:30–16:30",
                "agency": "สำนักงาน ก.พ.ร.",
            },
        ).status_code
        == 302
    )
    hotline_id = client.get("/api/v1/hotlines").get_json()["results"][0]["id"]
    assert client.get("/api/v1/hotlines").get_json()["results"][0]["phone"] == "02 619 5500"
    added = client.post(
        f"/hotlines/{hotline_id}/shifts",
        data={"staff_name": "คุณวิไล", "starts_at": "2028-01-05T08:30", "ends_at": "2028-01-05T12:00"},
    )
    assert added.status_code == 303
    page = client.get("/hotlines").text
    assert "คุณวิไล" in page and "5 ม.ค. 2571 08:30 น." in page and "545" in page
    assert (
        client.post(
            f"/hotlines/{hotline_id}/shifts",
            data={"staff_name": "x", "starts_at": "2028-01-05T12:00", "ends_at": "2028-01-05T08:00"},
        ).status_code
        == 422
    )


def test_interchange_round_trip_hotlines_and_clinics(app_ctx, tmp_path):
    document = {
        "format": "cop",
        "version": 1,
        "trainers": [
            {
                "name": "ดวงพร เหนือฟ้า",
                "agency": "",
                "province": "เชียงใหม่",
                "codes": [],
                "phone": "",
                "email": "",
                "bio": "",
            }
        ],
        "hotlines": [
            {
                "name": "สายด่วน ก.พ.ร.",
                "phone": "02 619 5500",
                "extension": "545",
                "hours": "เวลาราชการ",
                "agency": "สำนักงาน ก.พ.ร.",
            }
        ],
        "clinics": [
            {
                "title": "คลินิกสัญจร",
                "starts_at": "2028-02-18T09:00:00+07:00",
                "ends_at": "2028-02-18T16:00",
                "venue": "ศาลากลาง",
                "province": "เชียงใหม่",
                "codes": ["sp 5"],
                "capacity": 40,
                "trainers": ["ดวงพร เหนือฟ้า"],
                "description": "ตัวอย่าง",
            }
        ],
    }
    counts = interchange.import_document(document)
    assert counts["hotlines"] == 1 and counts["clinics"] == 1
    again = interchange.import_document(document)
    assert again["hotlines"] == 0 and again["clinics"] == 0
    first = interchange.export_document()
    assert first["clinics"][0]["starts_at"] == "2028-02-18T09:00:00+07:00"
    assert first["clinics"][0]["ends_at"] == "2028-02-18T16:00:00+07:00" and first["clinics"][0]["codes"] == ["SP5"]
    second = exported_elsewhere(tmp_path / "other", first)
    for section in ("trainers", "hotlines", "clinics"):
        assert second[section] == first[section]
    bad = {"format": "cop", "version": 1, "clinics": [{**document["clinics"][0], "seats": 3}]}
    with pytest.raises(interchange.InterchangeError, match="seats"):
        interchange.import_document(bad)


def test_seed_twice_changes_nothing(app, runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    with fresh_session(app):
        before = interchange.export_document()
    assert len(before["clinics"]) >= 4 and len(before["trainers"]) >= 4 and before["hotlines"]
    runner.invoke(args=["seed"])
    with fresh_session(app):
        assert interchange.export_document() == before
