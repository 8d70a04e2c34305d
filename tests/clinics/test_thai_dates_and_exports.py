"""Clinic dates typed the Thai way (Buddhist Era, Thai digits, 9.00 น.), sane windows, and the exports a
Thai office opens: the registrant CSV in Excel, the .ics and the trainer vCard as plain text."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from cop.clinics.models import Clinic
from cop.extensions import db
from cop.interchange import service as interchange

from ..helpers import fresh_session, get, scalar
from .helpers import add_clinic, add_trainer

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def ahead(days: int) -> date:
    return date.today() + timedelta(days=days)


def be(day: date, sep="/") -> str:
    """20/01/2570 (sep '/') or 2570-01-20 (sep '-')."""
    if sep == "/":
        return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"
    return f"{day.year + 543}-{day.month:02d}-{day.day:02d}"


def form(**changes):
    data = {
        "title": "คลินิกสัญจร ลำปาง",
        "starts_at": "",
        "ends_at": "",
        "venue": "ศาลากลางจังหวัดลำปาง",
        "province": "ลำปาง",
        "codes": "SP5",
        "capacity": "20",
        "trainers": "",
        "status": "planned",
        "description": "## กำหนดการ\n\n- 09.00 น. **ลงทะเบียน**\n- 09.30 น. [คู่มือ](https://example.org/k)",
    }
    data.update(changes)
    return data


def clinic_count(app) -> int:
    return scalar(app, select(func.count()).select_from(Clinic))


def test_buddhist_era_gregorian_and_thai_digits_are_the_same_instant(client, app, make_user, login):
    login(make_user("coordinator"))
    day = ahead(60)
    typed = [
        (be(day, "-") + "T09:00", be(day, "-") + "T16:00"),  # 2570-01-20T09:00
        (be(day) + " 9.00 น.", be(day) + " 16.00 น."),  # 20/01/2570 9.00 น.
        (f"{day.isoformat()} 09:00", f"{day.isoformat()} 16:00"),  # Gregorian
        ((be(day) + " 09:00").translate(THAI_DIGITS), (be(day) + " 16:00").translate(THAI_DIGITS)),
    ]
    ids = []
    for index, (starts, ends) in enumerate(typed):
        made = client.post("/clinics/new", data=form(title=f"คลินิกสัญจร ลำปาง {index}", starts_at=starts, ends_at=ends))
        assert made.status_code == 302, (starts, made.text[:3000])
        ids.append(int(made.headers["Location"].rstrip("/").split("/")[-1]))
    starts = {get(app, Clinic, i).starts_at for i in ids}
    assert starts == {datetime(day.year, day.month, day.day, 2, 0)}  # 09:00 Bangkok = 02:00 UTC, the same day
    page = client.get(f"/clinics/{ids[0]}").text
    assert f" {day.year + 543} 09:00" in page and str(day.year + 543 + 543) not in page
    ics = Calendar.from_ical(client.get(f"/clinics/{ids[0]}.ics").data)
    event = ics.walk("VEVENT")[0]
    assert event.decoded("dtstart").date() == day
    edit = client.get(f"/clinics/{ids[0]}/edit").text
    assert f'value="{be(day)} 09:00"' in edit and 'placeholder="วว/ดด/ปปปป ชช:นน' in edit
    assert 'type="datetime-local"' not in edit and 'type="date"' not in edit
    client.get("/lang/en")
    english = client.get(f"/clinics/{ids[0]}/edit").text
    assert f'value="{day.day:02d}/{day.month:02d}/{day.year} 09:00"' in english  # Gregorian in English
    client.get("/lang/th")


def test_registration_deadline_in_buddhist_era(client, app, make_user, login):
    login(make_user("coordinator"))
    day, closes = ahead(60), ahead(50)
    made = client.post(
        "/clinics/new",
        data=form(
            starts_at=be(day) + " 09:00", ends_at=be(day) + " 16:00", registration_deadline=be(closes) + " 17.00 น."
        ),
    )
    assert made.status_code == 302
    with fresh_session(app):
        assert db.session.scalar(select(Clinic.registration_deadline)) == datetime(
            closes.year, closes.month, closes.day, 10, 0
        )
    late = client.post(
        "/clinics/new",
        data=form(
            title="ปิดรับหลังเริ่ม",
            starts_at=be(day) + " 09:00",
            ends_at=be(day) + " 16:00",
            registration_deadline=be(ahead(70)) + " 17:00",
        ),
    )
    assert late.status_code == 422 and "ต้องปิดรับลงทะเบียนก่อนคลินิกเริ่ม" in late.text


def test_absurd_clinic_dates_are_refused_with_the_reason(client, app, make_user, login):
    login(make_user("coordinator"))
    far = ahead(365 * 5)
    cases = [
        (be(far) + " 09:00", be(far) + " 16:00", "ล่วงหน้าเกิน 3 ปี"),
        ("20/01/2540 09:00", "20/01/2540 16:00", "ย้อนหลังเกิน 3 ปี"),
        ("20/01/3113 09:00", "20/01/3113 16:00", "ล่วงหน้าเกิน 3 ปี"),  # a BE year counted twice
        (be(ahead(30)) + " 16:00", be(ahead(30)) + " 09:00", "เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"),
        ("31/02/2570 09:00", be(ahead(30)) + " 16:00", "ไม่มีวันที่ 31/2/2570"),
        ("พรุ่งนี้", be(ahead(30)) + " 16:00", "วว/ดด/ปปปป ชช:นน"),
        (be(ahead(30)) + " 25.00 น.", be(ahead(30)) + " 16:00", "ไม่มีเวลา 25.00 น."),
    ]
    for starts, ends, message in cases:
        response = client.post("/clinics/new", data=form(starts_at=starts, ends_at=ends))
        assert response.status_code == 422, starts
        assert message in response.text, (starts, message)
        assert f'value="{starts}"' in response.text  # what was typed stays in the field
    assert clinic_count(app) == 0


def test_importer_and_shift_rota_read_buddhist_era_years(client, app, make_user, login):
    day = ahead(90)
    document = {
        "format": "cop",
        "version": 1,
        "clinics": [
            {
                "title": "คลินิกนำเข้า",
                "starts_at": be(day, "-") + "T09:00:00+07:00",
                "ends_at": be(day, "-") + "T12:00",
                "capacity": 5,
                "province": "ลำปาง",
            }
        ],
    }
    with fresh_session(app):
        assert interchange.import_document(document)["clinics"] == 1
        clinic = db.session.scalar(select(Clinic))
        assert clinic.starts_at == datetime(day.year, day.month, day.day, 2, 0)
    far = {
        "format": "cop",
        "version": 1,
        "clinics": [
            {"title": "คลินิกไกลเกิน", "starts_at": "2600-01-20T09:00", "ends_at": "2600-01-20T12:00", "capacity": 5}
        ],
    }
    with fresh_session(app), pytest.raises(interchange.InterchangeError) as refused:
        interchange.import_document(far)  # a clinic 30 years ahead
    assert "clinics[0]" in str(refused.value) and "3 years ahead" in str(refused.value)
    assert clinic_count(app) == 1

    login(make_user("coordinator"))
    client.post("/hotlines/new", data={"name": "สายด่วน PMQA", "phone": "0 2000 0000"})
    shift = client.post(
        "/hotlines/1/shifts",
        data={"staff_name": "คุณวิไล", "starts_at": be(day) + " 8.30 น.", "ends_at": be(day) + " 12.00 น."},
    )
    assert shift.status_code in (302, 303)
    assert f"{day.day} " in client.get("/hotlines").text and str(day.year + 543) in client.get("/hotlines").text


def test_registrant_csv_for_excel_in_thai_and_english(client, app, make_user, login):
    clinic_id = add_clinic(
        app, capacity=1, starts=f"{ahead(40).isoformat()}T09:00", ends=f"{ahead(40).isoformat()}T16:00"
    )
    for name in ("สมศรี ใจดี", "สมชาย รอคิว"):
        login(make_user(name=name))
        client.post(f"/clinics/{clinic_id}/register")
        client.post("/logout")
    login(make_user("coordinator"))
    body = client.get(f"/clinics/{clinic_id}/registrants.csv").data
    assert body.startswith("\ufeff".encode("utf-8"))  # Excel reads UTF-8 Thai with the BOM
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["สถานะ", "ลำดับ", "ชื่อ", "อีเมล", "หน่วยงาน", "จังหวัด", "ลงทะเบียนเมื่อ (เวลาประเทศไทย)"]
    assert [r[0] for r in rows[1:]] == ["ลงทะเบียนแล้ว", "รายชื่อสำรอง"]
    today_be = date.today().year + 543
    assert rows[1][6].split(" ")[0].endswith(f"/{today_be}") or rows[1][6].split(" ")[0].endswith(f"/{today_be + 1}")
    client.get("/lang/en")
    english = list(
        csv.reader(io.StringIO(client.get(f"/clinics/{clinic_id}/registrants.csv").data.decode("utf-8-sig")))
    )
    assert english[0][0] == "Status" and [r[0] for r in english[1:]] == ["Registered", "Waiting list"]
    assert english[1][6].split(" ")[0].endswith(f"/{date.today().year}") or english[1][6].split(" ")[0].endswith(
        f"/{date.today().year + 1}"
    )


def test_ics_description_and_vcard_note_are_plain_text(client, app, make_user, login):
    trainer_id = add_trainer(app, bio="## ประสบการณ์\n\n- วิทยากร **PMQA** มา 10 ปี\n- [ผลงาน](https://example.org/w)")
    clinic_id = add_clinic(
        app,
        starts=f"{ahead(20).isoformat()}T09:00",
        ends=f"{ahead(20).isoformat()}T16:00",
        description="## กำหนดการ\n\n- 09.00 น. **ลงทะเบียน**\n- 09.30 น. *บรรยาย*",
    )
    ics = Calendar.from_ical(client.get(f"/clinics/{clinic_id}.ics").data)
    description = str(ics.walk("VEVENT")[0]["description"])
    assert "กำหนดการ\n\n• 09.00 น. ลงทะเบียน\n• 09.30 น. บรรยาย" in description
    assert "##" not in description and "**" not in description and "<" not in description
    card = client.get(f"/trainers/{trainer_id}.vcf").data.decode("utf-8")
    unfolded = card.replace("\r\n ", "")
    note = next(line for line in unfolded.split("\r\n") if line.startswith("NOTE:"))
    assert "ประสบการณ์" in note and "วิทยากร PMQA มา 10 ปี" in note and "https://example.org/w" in note
    assert "##" not in note and "**" not in note and "](" not in note
    assert all(len(line.encode("utf-8")) <= 75 for line in card.split("\r\n"))  # folded as RFC 6350 asks


def test_month_filter_is_typed_and_shown_in_the_buddhist_era(client, app):
    day = ahead(70)
    add_clinic(app, "คลินิกเดือนนี้", starts=f"{day.isoformat()}T09:00", ends=f"{day.isoformat()}T16:00")
    for typed in (
        f"{day.month:02d}/{day.year + 543}",
        f"{day.year}-{day.month:02d}",
        f"{day.month:02d}/{day.year + 543}".translate(THAI_DIGITS),
    ):
        page = client.get("/clinics", query_string={"month": typed}).text
        assert "คลินิกเดือนนี้" in page, typed
        assert f'value="{day.month:02d}/{day.year + 543}"' in page and 'type="month"' not in page
