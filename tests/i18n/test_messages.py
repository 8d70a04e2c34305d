"""Library messages (WTForms, Flask-Login, CSRF, error pages), role names and logs in the user's language."""

import pathlib
import re

import pytest
from sqlalchemy import select

from cop.extensions import db

from ..helpers import PASSWORD, fresh_session, make_app
from .visible import english_left, thai_left, visible_chunks

CLINIC = {
    "title": "คลินิกทดสอบ",
    "starts_at": "2028-05-01T09:00",
    "ends_at": "2028-05-01T16:00",
    "province": "ขอนแก่น",
    "capacity": "30",
    "status": "planned",
}


def _as(client, lang):
    client.set_cookie("lang", lang)
    return client


@pytest.mark.parametrize(
    "lang, zero, word, long_title, empty",
    [
        ("th", "ต้องไม่น้อยกว่า 1", "ต้องเป็นตัวเลขจำนวนเต็ม", "ยาวได้ไม่เกิน 300 ตัวอักษร", "กรุณากรอกช่องนี้"),
        (
            "en",
            "Number must be at least 1.",
            "Not a valid integer value.",
            "Field cannot be longer than 300 characters.",
            "This field is required.",
        ),
    ],
)
def test_validator_messages_name_the_real_reason(app, client, make_user, login, lang, zero, word, long_title, empty):
    login(make_user(role="coordinator"))
    _as(client, lang)
    page = client.post("/clinics/new", data={**CLINIC, "capacity": "0"}).text
    assert zero in page and empty not in page  # capacity 0 is too small, not missing
    assert word in client.post("/clinics/new", data={**CLINIC, "capacity": "สิบ"}).text
    assert "Number must be" not in client.post("/clinics/new", data={**CLINIC, "capacity": "สิบ"}).text or lang == "en"
    assert long_title in client.post("/clinics/new", data={**CLINIC, "title": "ก" * 301}).text
    bad_date = client.post("/clinics/new", data={**CLINIC, "starts_at": "พรุ่งนี้"}).text
    assert (
        "เขียนวันและเวลาเป็น วว/ดด/ปปปป ชช:นน" if lang == "th" else "Write the date and time as DD/MM/YYYY HH:MM"
    ) in bad_date  # how to write it, in cop.text.dates
    assert empty not in bad_date  # it was typed, just not readable
    assert empty in client.post("/clinics/new", data={}).text
    with fresh_session(app):
        from cop.clinics.models import Clinic

        assert db.session.scalar(select(Clinic).where(Clinic.title == "คลินิกทดสอบ")) is None


def test_login_prompt_is_translated(client):
    page = client.get("/stories/new", follow_redirects=True).text
    assert "กรุณาเข้าสู่ระบบก่อนใช้หน้านี้" in page and "Please log in" not in page
    page = _as(client, "en").get("/threads/new", follow_redirects=True).text
    assert "Please log in to access this page." in page


def test_csrf_failure_reshows_the_form_with_what_was_typed(tmp_path, make_user):
    app = make_app(tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with fresh_session(app):
        from cop.accounts import services

        services.create_user(email="csrf@example.org", name="ทดสอบ", password=PASSWORD, role="member")
        db.session.commit()
    login_page = client.get("/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": "csrf@example.org", "password": PASSWORD, "csrf_token": token})
    response = client.post(
        "/threads/new", data={"title": "คำถามที่พิมพ์ไว้ยาว", "body": "รายละเอียดที่ไม่อยากพิมพ์ใหม่", "csrf_token": "stale"}
    )
    assert response.status_code == 400
    page = response.text
    assert "ระบบจึงยังไม่ได้บันทึกข้อมูล" in page
    assert 'value="คำถามที่พิมพ์ไว้ยาว"' in page and "รายละเอียดที่ไม่อยากพิมพ์ใหม่" in page  # the form, as typed
    with fresh_session(app):
        from cop.threads.models import Thread

        assert db.session.scalar(select(Thread).where(Thread.title == "คำถามที่พิมพ์ไว้ยาว")) is None
    # a POST-only action (no form page at its address) goes back where it came from, with the message
    response = client.post("/logout", data={}, headers={"Referer": "http://localhost/stories"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/stories")
    assert "ระบบจึงยังไม่ได้บันทึกข้อมูล" in client.get("/stories").text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_error_pages_speak_the_interface_language(app, client, lang):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    _as(client, lang)
    pages = {
        404: client.get("/no-such-page"),
        405: client.put("/stories"),
        413: client.post("/login", data={"email": "x" * 2000}),
    }
    for code, response in pages.items():
        assert response.status_code == code
        for chunk in visible_chunks(response.text, lang):
            assert not (english_left(chunk) if lang == "th" else thai_left(chunk, "")), (code, chunk)
    assert ("ไม่พบหน้านี้" if lang == "th" else "Page not found") in pages[404].text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_forbidden_and_server_error_pages(app, client, make_user, login, lang):
    @app.route("/boom")
    def boom():
        raise RuntimeError("a bug")

    _as(client, lang)
    login(make_user())
    forbidden, broken = client.get("/admin/users"), client.get("/boom")
    assert forbidden.status_code == 403 and broken.status_code == 500
    for response in (forbidden, broken):
        for chunk in visible_chunks(response.text, lang):
            assert not (english_left(chunk) if lang == "th" else thai_left(chunk, "สมชาย ทดสอบ")), chunk
    assert ("ไม่มีสิทธิ์" if lang == "th" else "Not allowed") in forbidden.text


def test_rate_limit_page_is_translated(tmp_path):
    app = make_app(
        tmp_path / "rl", RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="1 per minute", RATELIMIT_STORAGE_URI="memory://"
    )
    client = app.test_client()
    statuses = [client.post("/login", data={"email": "a@example.org", "password": "x"}) for _ in range(4)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited, [r.status_code for r in statuses]
    assert "ลองหลายครั้งเกินไป" in limited[0].text and "Too Many Requests" not in limited[0].text


def test_roles_and_logs_read_as_people_speak(app, client, make_user, login):
    admin = make_user(role="admin", name="ผู้ดูแลสมศรี")
    member = make_user(name="สมาชิกสมหมาย")
    login(admin)
    page = client.get("/admin/users").text
    assert ">ผู้ประสานงาน</option>" in page and ">coordinator</option>" not in page
    with fresh_session(app):
        from cop.accounts.models import User

        uid = db.session.scalar(select(User.id).where(User.email == member))
    page = client.post(
        f"/admin/users/{uid}/role", data={"role": "coordinator", "confirm": "yes"}, follow_redirects=True
    ).text
    assert "สมาชิกสมหมาย" in page and "ผู้ประสานงาน" in page and "is now" not in page
    audit = client.get("/admin/audit").text
    assert "สมาชิก → ผู้ประสานงาน" in audit and "member -&gt; coordinator" not in audit and "เปลี่ยนบทบาท" in audit
    _as(client, "en")
    assert "Member → Coordinator" in client.get("/admin/audit").text


def test_english_mode_names_categories_and_years_in_english(app, client):
    _as(client, "en")
    trainers = client.get("/trainers").text
    assert "Organizational profile" in trainers and "ลักษณะสำคัญขององค์การ" not in trainers
    stories = client.get("/stories").text
    assert "FY 25" not in stories  # no Buddhist-Era fiscal years beside Gregorian dates
    from cop.i18n import fiscal_year

    with app.test_request_context():
        assert fiscal_year(2567, "en") == "FY 2024" and fiscal_year(2567, "th") == "ปีงบประมาณ 2567"


def test_checker_catches_library_english():
    assert english_left("This field is required.")
    assert english_left("Field cannot be longer than 200 characters.")
    assert english_left("member")
    assert not english_left("รหัส SP5, CS 1 A และไฟล์ PDF ส่งถึง someone@example.org ที่ https://example.org/x")
    assert thai_left("Category 1 · การนำองค์การ", "")
    assert thai_left("1 Dec 2026 · FY 2567", "") and not thai_left("1 Dec 2026 · FY 2024", "")
    assert not thai_left("By สมชาย", "สมชาย")


def test_no_break_all_in_stylesheets():
    css = pathlib.Path(__file__).resolve().parents[2] / "cop" / "static" / "css"
    offenders = [p.name for p in css.glob("*.css") if "break-all" in p.read_text()]
    assert not offenders  # it cuts Thai mid-syllable; overflow-wrap: anywhere wraps long URLs instead


def test_every_form_uses_the_catalog():
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import cop
    from cop.forms import BaseForm

    for module in pkgutil.walk_packages(cop.__path__, "cop."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    todo, seen = list(FlaskForm.__subclasses__()), []
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo += cls.__subclasses__()
    strays = [
        f"{c.__module__}.{c.__name__}" for c in seen if c.__module__.startswith("cop.") and not issubclass(c, BaseForm)
    ]
    assert not strays
    assert len([c for c in seen if c.__module__.startswith("cop.")]) >= 25


def test_notifications_speak_their_readers_language(app, client, make_user, login):
    from datetime import datetime, timezone

    from cop.accounts.models import User
    from cop.notifications import services as notifications

    email = make_user()
    with fresh_session(app):
        uid = db.session.scalar(select(User.id).where(User.email == email))
        notifications.notify(
            uid,
            "thread.reply",
            notifications.message(notifications.N_("%(name)s replied to “%(title)s”"), name="สมศรี", title="เรื่องตัวชี้วัด"),
            "/threads/1",
        )
        notifications.notify(
            uid,
            "clinic_reminder",
            notifications.message(
                notifications.N_("Reminder: “%(title)s” starts %(when)s at %(venue)s."),
                title="คลินิก",
                venue="ศาลากลาง",
                when=datetime(2031, 5, 1, 2, 0, tzinfo=timezone.utc),
            ),
            "/clinics/1",
        )
        db.session.commit()
        from cop.notifications.models import Notification

        stored = db.session.scalars(select(Notification.text)).all()
    assert "สมศรี ตอบกระทู้ “เรื่องตัวชี้วัด”" in stored or any("สมศรี" in t and "replied" not in t for t in stored)
    login(email)
    thai = client.get("/notifications").text
    assert "replied" not in thai and "1 พ.ค. 2574 09:00 น." in thai
    english = _as(client, "en").get("/notifications").text
    assert "สมศรี replied to “เรื่องตัวชี้วัด”" in english and "1 May 2031 09:00" in english


def test_file_sizes_read_as_people_say_them(app):
    from flask_babel import force_locale

    from cop.i18n import file_size

    with app.test_request_context():
        with force_locale("th"):
            assert [file_size(n) for n in (15, 4200, 5_500_000)] == ["15 ไบต์", "4 KB", "5.2 MB"]
        with force_locale("en"):
            assert file_size(15) == "15 bytes"  # a tiny file is not "0 KB"
