"""Every trainer can be reached: their contacts (with consent), their own account, or their region's coordinators.
The trainer page says which, and the interchange format carries consent and the linked account."""

import pytest

from cop.extensions import db
from cop.interchange import service as interchange
from cop.trainers.models import Trainer

from ..clinics.helpers import add_trainer, link_account, notifications_for, set_consent
from ..helpers import exported_elsewhere


def test_without_account_the_request_reaches_the_coordinators_of_the_trainers_region(client, app, make_user, login):
    north = make_user("coordinator", email="north@example.org", name="ผู้ประสานเหนือ", province="เชียงราย")
    south = make_user("coordinator", email="south@example.org", name="ผู้ประสานใต้", province="สงขลา")
    trainer_id = add_trainer(app, province="เชียงใหม่")  # ภาคเหนือ, no consent, no account

    anonymous = client.get(f"/trainers/{trainer_id}").text
    assert "ผู้ประสานงานเครือข่ายภาคเหนือ" in anonymous
    assert (
        "ข้อมูลติดต่อที่วิทยากรยินยอม" not in anonymous and "ยินยอมเปิดเผยช่องทางติดต่อแก่สมาชิก" not in anonymous
    )  # no promise of contacts nobody shared
    assert "เข้าสู่ระบบเพื่อขอให้ผู้ประสานงานช่วย" in anonymous

    login(make_user(email="asker@example.org", name="สมศรี ถามมา"))
    page = client.get(f"/trainers/{trainer_id}").text
    assert "ผู้ประสานเหนือ" in page and "ผู้ประสานใต้" not in page
    assert "08-1234-5678" not in page
    sent = client.post(f"/trainers/{trainer_id}/contact", data={"message": "ขอคำแนะนำเรื่อง SP5"}, follow_redirects=True)
    assert sent.status_code == 200 and "ผู้ประสานงานจะช่วยติดต่อ" in sent.text
    notes = notifications_for(app, north)
    assert len(notes) == 1 and notes[0][2] == f"/trainers/{trainer_id}"
    assert "สมศรี ถามมา" in notes[0][1] and "asker@example.org" in notes[0][1] and "ดวงพร เหนือฟ้า" in notes[0][1]
    assert notifications_for(app, south) == []


def test_no_coordinator_in_the_region_falls_back_to_every_coordinator_then_the_trainer_account_wins(
    client, app, make_user, login
):
    central = make_user("coordinator", email="central@example.org", province="กรุงเทพมหานคร")
    trainer_id = add_trainer(app, province="สงขลา")
    login(make_user(email="asker@example.org"))
    assert "ผู้ประสานงานเครือข่ายช่วยติดต่อ" in client.get(f"/trainers/{trainer_id}").text
    client.post(f"/trainers/{trainer_id}/contact", data={"message": "ขอเบอร์วิทยากร"})
    assert len(notifications_for(app, central)) == 1

    own = make_user(email="trainer@example.org")
    link_account(app, trainer_id, own)
    page = client.get(f"/trainers/{trainer_id}").text
    assert "ขอให้วิทยากรติดต่อกลับ" in page
    client.post(f"/trainers/{trainer_id}/contact", data={"message": "อยากเชิญเป็นวิทยากร"})
    assert len(notifications_for(app, own)) == 1 and len(notifications_for(app, central)) == 1


def test_with_consent_anonymous_is_told_to_log_in_and_members_see_details_without_a_form(client, app, make_user, login):
    make_user("coordinator", province="เชียงใหม่")
    trainer_id = add_trainer(app)
    set_consent(app, trainer_id)
    anonymous = client.get(f"/trainers/{trainer_id}").text
    assert "ยินยอมเปิดเผยช่องทางติดต่อ" in anonymous and "08-1234-5678" not in anonymous
    login(make_user())
    page = client.get(f"/trainers/{trainer_id}").text
    assert "08-1234-5678" in page and f'action="/trainers/{trainer_id}/contact"' not in page


def test_nobody_to_reach_says_so_and_refuses_the_request(client, app, make_user, login):
    trainer_id = add_trainer(app)
    login(make_user())
    page = client.get(f"/trainers/{trainer_id}").text
    assert "ยังไม่มีผู้ส่งต่อข้อความได้" in page and f'action="/trainers/{trainer_id}/contact"' not in page
    refused = client.post(f"/trainers/{trainer_id}/contact", data={"message": "สวัสดี"})
    assert refused.status_code == 422


def test_interchange_carries_consent_and_account_and_round_trips(app_ctx, tmp_path):
    document = {
        "format": "cop",
        "version": 1,
        "users": [
            {"email": "admin@example.org", "name": "แอดมิน", "role": "admin"},
            {"email": "prayoon@example.org", "name": "ประยูร", "role": "member"},
        ],
        "trainers": [
            {
                "name": "ประยูร สองแคว",
                "province": "พิษณุโลก",
                "codes": ["PM1"],
                "phone": "08-0000-0102",
                "email": "prayoon@example.org",
                "account": "prayoon@example.org",
                "contact_consent": {"given_at": "2026-11-20T10:00:00", "recorded_by": "admin@example.org"},
            },
            {"name": "มานพ แม่กลอง", "province": "สมุทรสงคราม", "codes": ["P1"]},
        ],
    }  # an older item
    assert interchange.import_document(document)["trainers"] == 2
    first = interchange.export_document()
    prayoon = db.session.scalar(db.select(Trainer).where(Trainer.name == "ประยูร สองแคว"))
    assert prayoon.contact_consent and prayoon.user.email == "prayoon@example.org"
    exported = {t["name"]: t for t in first["trainers"]}
    assert exported["ประยูร สองแคว"]["contact_consent"] == {
        "given_at": "2026-11-20T10:00:00+07:00",
        "recorded_by": "admin@example.org",
    }
    assert "contact_consent" not in exported["มานพ แม่กลอง"] and "account" not in exported["มานพ แม่กลอง"]
    second = exported_elsewhere(tmp_path / "other", first)
    assert second["trainers"] == first["trainers"]


@pytest.mark.parametrize(
    "consent, account, field",
    [
        ({"given_at": "เมื่อวาน"}, None, "given_at"),
        ({"given_at": "2026-11-20", "by": "x"}, None, "by"),
        (True, None, "contact_consent"),
        ({"given_at": "2026-11-20", "recorded_by": "ghost@example.org"}, None, "ghost@example.org"),
        (None, "ghost@example.org", "account"),
    ],
)
def test_bad_consent_or_account_imports_nothing_and_names_the_field(app_ctx, consent, account, field):
    item = {"name": "ประยูร สองแคว", "province": "พิษณุโลก"}
    if consent is not None:
        item["contact_consent"] = consent
    if account is not None:
        item["account"] = account
    with pytest.raises(interchange.InterchangeError) as exc:
        interchange.import_document({"format": "cop", "version": 1, "trainers": [item]})
    assert field in str(exc.value) and "trainers[0]" in str(exc.value)
    assert db.session.scalar(db.select(db.func.count(Trainer.id))) == 0


def test_a_relayed_request_is_mailed_to_the_coordinator_by_the_digest(
    app, runner, client, make_user, login, smtp_server
):
    port, received = smtp_server
    coordinator = make_user("coordinator", email="isan@example.org", province="ขอนแก่น")
    trainer_id = add_trainer(app, name="วันเพ็ญ โคราชรุ่ง", province="นครราชสีมา")
    login(make_user(email="asker@example.org", name="สมศรี ถามมา"))
    client.post(f"/trainers/{trainer_id}/contact", data={"message": "ขอเชิญเป็นวิทยากรเรื่อง SP7"})
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, BASE_URL="https://cop.example")
    assert "Sent 1" in runner.invoke(args=["notifications", "digest"]).output
    assert received[0]["To"] == coordinator
    text = received[0].get_payload(decode=True).decode("utf-8")
    assert "วันเพ็ญ โคราชรุ่ง" in text and "asker@example.org" in text
    assert f"https://cop.example/trainers/{trainer_id}" in text
