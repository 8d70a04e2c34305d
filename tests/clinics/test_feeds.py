"""Calendar feeds parsed back with the icalendar library, as a calendar app would."""

from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from icalendar import Calendar

from .helpers import add_clinic

BKK = timezone(timedelta(hours=7))


def events(response):
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Bangkok"]
    assert calendar.get("X-WR-CALNAME")
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_a_nine_oclock_clinic_is_nine_bangkok_time_in_every_feed(client, app, make_user, login):
    clinic_id = add_clinic(app, starts="2028-02-18T09:00", ends="2028-02-18T16:00", codes=["SP5"])
    login(make_user())
    client.post(f"/clinics/{clinic_id}/register")
    personal = client.get("/clinics/mine")
    feed_url = personal.text.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    assert 'href="webcal://' in personal.text
    client.post("/logout")
    urls = [
        "/clinics.ics",
        "/clinics.ics?province=เชียงใหม่",
        f"/clinics/province/{quote('เชียงใหม่')}.ics",
        "/clinics/code/sp-5.ics",
        f"/clinics/{clinic_id}.ics",
        feed_url.replace("http://localhost", ""),
    ]
    uids = set()
    for url in urls:
        _cal, found = events(client.get(url))
        assert len(found) == 1, url
        ((uid, event),) = found.items()
        uids.add(uid)
        start = event.decoded("DTSTART")
        assert start == datetime(2028, 2, 18, 9, 0, tzinfo=BKK) and start.utcoffset() == timedelta(hours=7), url
        assert event["DTSTART"].params["TZID"] == "Asia/Bangkok"
        assert str(event["SUMMARY"]) == "คลินิกสัญจร เชียงใหม่"
    assert len(uids) == 1  # the same event everywhere
    assert events(client.get("/clinics/code/IT1.ics"))[1] == {}
    assert client.get("/clinics/code/nonsense.ics").status_code == 404


def test_uid_stable_sequence_rises_and_cancel_sets_status(client, app, make_user, login):
    clinic_id = add_clinic(app)
    _cal, before = events(client.get(f"/clinics/{clinic_id}.ics"))
    ((uid, event),) = before.items()
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "TENTATIVE"
    login(make_user("coordinator"))
    form = {
        "title": "คลินิกสัญจร เชียงใหม่",
        "starts_at": "2028-02-18T10:00",
        "ends_at": "2028-02-18T16:00",
        "venue": "ห้องใหม่",
        "province": "เชียงใหม่",
        "codes": "SP5",
        "capacity": "10",
        "status": "confirmed",
    }
    assert client.post(f"/clinics/{clinic_id}/edit", data=form).status_code == 302
    _cal, after = events(client.get(f"/clinics/{clinic_id}.ics"))
    assert list(after) == [uid]
    assert int(after[uid]["SEQUENCE"]) == 1 and str(after[uid]["STATUS"]) == "CONFIRMED"
    assert after[uid].decoded("DTSTART").hour == 10
    client.post(f"/clinics/{clinic_id}/cancel-clinic", data={"confirm": "yes"})
    _cal, cancelled = events(client.get("/clinics.ics"))
    assert str(cancelled[uid]["STATUS"]) == "CANCELLED" and int(cancelled[uid]["SEQUENCE"]) == 2


def test_personal_feed_is_secret_and_can_be_replaced(client, app, make_user, login):
    clinic_id = add_clinic(app)
    login(make_user())
    client.post(f"/clinics/{clinic_id}/register")
    page = client.get("/clinics/mine").text
    old = page.split('id="feed-url" type="text" readonly value="')[1].split('"')[0].replace("http://localhost", "")
    assert client.get(old).headers["Cache-Control"] == "private, no-store"
    assert client.get("/clinics/feed/guess.ics").status_code == 404
    client.post("/clinics/mine")
    assert client.get(old).status_code == 404
    client.post(f"/clinics/{clinic_id}/cancel", data={"confirm": "yes"})
    new = client.get("/clinics/mine").text.split('readonly value="')[1].split('"')[0].replace("http://localhost", "")
    assert events(client.get(new))[1] == {}  # cancelled registrations leave my calendar


def test_list_page_offers_webcal_links(client, app):
    add_clinic(app)
    page = client.get("/clinics?province=เชียงใหม่").text
    assert 'href="webcal://localhost/clinics.ics"' in page
    assert "webcal://localhost/clinics/province/" in page
