import json

from sqlalchemy import select

from cop.extensions import db
from cop.interchange import service as interchange
from cop.search import service as search_service
from cop.trainers.models import Trainer

from ..clinics.helpers import add_trainer, link_account, notifications_for, set_consent
from ..helpers import exported_elsewhere, fresh_session, get, scalar


def test_directory_filters_by_code_category_province_and_region(client, app):
    north = add_trainer(app, "ดวงพร เหนือฟ้า", province="เชียงใหม่", codes=["SP5"])
    east = add_trainer(app, "สมชาย ตะวันออก", province="ชลบุรี", codes=["IT2"], phone="", email="")
    page = client.get("/trainers")
    assert f'href="/trainers/{north}">ดวงพร เหนือฟ้า</a>' in page.text
    assert f'href="/trainers/{east}">สมชาย ตะวันออก</a>' in page.text
    by_code = client.get("/trainers?code=sp 5").text  # any spelling of the code
    assert "ดวงพร" in by_code and "สมชาย ตะวันออก" not in by_code
    by_category = client.get("/trainers?category=4").text  # IT codes belong to category 4
    assert "สมชาย ตะวันออก" in by_category and "ดวงพร" not in by_category
    assert "ดวงพร" not in client.get("/trainers?province=ชลบุรี").text
    by_region = client.get("/trainers?region=north").text
    assert "ดวงพร" in by_region and "สมชาย ตะวันออก" not in by_region
    bad = client.get("/trainers?code=XX9&region=mars")
    assert bad.status_code == 200 and "ไม่เข้าใจตัวกรอง" in bad.text


def test_code_page_lists_its_trainers(client, app):
    add_trainer(app, "ดวงพร เหนือฟ้า", codes=["SP5"])
    page = client.get("/codes/SP5")
    assert "ดวงพร เหนือฟ้า" in page.text


def test_contact_details_hidden_from_anonymous_and_without_consent(client, app, make_user, login):
    trainer_id = add_trainer(app)
    anonymous = client.get(f"/trainers/{trainer_id}").text
    assert "08-1234-5678" not in anonymous and "duangporn@example.org" not in anonymous
    assert "duang.line" not in anonymous
    login(make_user())
    no_consent = client.get(f"/trainers/{trainer_id}").text
    assert "08-1234-5678" not in no_consent and "duangporn@example.org" not in no_consent
    assert "ยังไม่ยินยอม" in no_consent
    set_consent(app, trainer_id)
    member = client.get(f"/trainers/{trainer_id}").text
    assert "08-1234-5678" in member and "duangporn@example.org" in member and "duang.line" in member
    client.post("/logout")
    assert "08-1234-5678" not in client.get(f"/trainers/{trainer_id}").text


def test_vcard_and_api_carry_contacts_only_with_consent_and_login(client, app, make_user, login):
    trainer_id = add_trainer(app)
    set_consent(app, trainer_id)
    card = client.get(f"/trainers/{trainer_id}.vcf")
    assert card.status_code == 200 and card.mimetype == "text/vcard"
    assert "FN:ดวงพร เหนือฟ้า" in card.text and "EMAIL" not in card.text and "TEL" not in card.text
    api = client.get(f"/api/v1/trainers/{trainer_id}").get_json()
    assert api["contact"] is None and api["codes"] == ["LD1", "SP5"]
    listing = client.get("/api/v1/trainers?code=SP5").get_json()
    assert listing["total"] == 1 and "duangporn" not in json.dumps(listing)
    login(make_user())
    assert "EMAIL;TYPE=work:duangporn@example.org" in client.get(f"/trainers/{trainer_id}.vcf").text
    assert client.get(f"/api/v1/trainers/{trainer_id}").get_json()["contact"]["phone"] == "08-1234-5678"
    set_consent(app, trainer_id, False)
    assert client.get(f"/api/v1/trainers/{trainer_id}").get_json()["contact"] is None
    assert client.get("/api/v1/trainers?region=mars").status_code == 400


def test_search_finds_trainers_by_expertise_but_never_indexes_contacts(client, app):
    trainer_id = add_trainer(app)
    set_consent(app, trainer_id)
    found = client.get("/api/v1/search?q=ดวงพร&type=trainer").get_json()
    assert [r["url"] for r in found["results"]] == [f"/trainers/{trainer_id}"]
    assert client.get("/api/v1/search?q=เชียงใหม่&type=trainer").get_json()["total"] == 1
    assert client.get("/api/v1/search?type=trainer&code=SP5").get_json()["total"] == 1
    for secret in ("duangporn", "duangporn@example.org", "1234-5678", "duang.line"):
        assert client.get("/api/v1/search", query_string={"q": secret}).get_json()["total"] == 0
    with fresh_session(app):
        from cop.trainers.search import iter_all

        body = json.dumps([d.__dict__ for d in iter_all()], ensure_ascii=False)
        assert "duangporn" not in body and "1234" not in body and "duang.line" not in body


def test_consent_is_recorded_by_admin_or_the_trainer_not_a_coordinator(client, app, make_user, login):
    trainer_id = add_trainer(app)
    form = {
        "name": "ดวงพร เหนือฟ้า",
        "province": "เชียงใหม่",
        "codes": "SP5",
        "phone": "08-1234-5678",
        "email": "duangporn@example.org",
        "contact_consent": "y",
    }
    login(make_user("coordinator"))
    assert client.post(f"/trainers/{trainer_id}/edit", data=form).status_code == 302
    assert get(app, Trainer, trainer_id).contact_consent is False
    client.post("/logout")
    trainer_email = make_user(email="duang@example.org")
    login(make_user("admin"))
    client.post(f"/trainers/{trainer_id}/edit", data={**form, "account_email": trainer_email})
    client.post("/logout")
    login(trainer_email)  # the trainer, through the linked account, withdraws consent
    page = client.get(f"/trainers/{trainer_id}/edit")
    assert page.status_code == 200 and 'name="contact_consent"' in page.text
    client.post(f"/trainers/{trainer_id}/edit", data={k: v for k, v in form.items() if k != "contact_consent"})
    with fresh_session(app):
        trainer = db.session.get(Trainer, trainer_id)
        assert trainer.contact_consent is False and trainer.consent_recorded_at is not None


def test_contact_request_notifies_trainer_without_revealing_email(client, app, make_user, login):
    trainer_email = make_user(email="trainer@example.org", name="ดวงพร")
    trainer_id = add_trainer(app)
    link_account(app, trainer_id, trainer_email)
    login(make_user(email="asker@example.org", name="สมศรี ถามมา"))
    sent = client.post(f"/trainers/{trainer_id}/contact", data={"message": "ขอเชิญเป็นวิทยากร SP5"}, follow_redirects=True)
    assert "ส่งข้อความแล้ว" in sent.text
    assert "duangporn@example.org" not in sent.text and "trainer@example.org" not in sent.text
    notes = notifications_for(app, trainer_email)
    assert notes and "สมศรี ถามมา" in notes[0][1] and "asker@example.org" in notes[0][1]
    empty = client.post(f"/trainers/{trainer_id}/contact", data={"message": ""})
    assert empty.status_code == 422


def test_create_trainer_roles_and_validation(client, app, make_user, login):
    assert client.get("/trainers/new").status_code == 302
    login(make_user())
    assert client.get("/trainers/new").status_code == 403
    client.post("/logout")
    login(make_user("coordinator"))
    bad = client.post("/trainers/new", data={"name": "x", "codes": "ZZ9", "email": "nope", "province": "Atlantis"})
    assert bad.status_code == 422 and "ZZ9" in bad.text
    good = client.post(
        "/trainers/new",
        data={
            "name": "มานพ แม่กลอง",
            "codes": "hr 2, SP-5",
            "province": "ราชบุรี",
            "bio": "<script>alert(1)</script>**ถนัด**",
        },
    )
    assert good.status_code == 302
    page = client.get(good.headers["Location"]).text
    assert "<script>alert(1)" not in page and "<strong>ถนัด</strong>" in page
    assert scalar(app, select(Trainer).where(Trainer.name == "มานพ แม่กลอง")).codes == ["HR2", "SP5"]
    dup = client.post("/trainers/new", data={"name": "มานพ แม่กลอง"})
    assert dup.status_code == 422


def test_interchange_round_trip_hides_imported_contacts(app, tmp_path, client, make_user, login):
    document = {
        "format": "cop",
        "version": 1,
        "trainers": [
            {
                "name": "ประยูร สองแคว",
                "agency": "สพจ. พิษณุโลก",
                "province": "พิษณุโลก",
                "codes": ["pm 1", "PM2"],
                "phone": "08-0000-0102",
                "email": "prayoon@example.org",
                "bio": "ถนัด **กระบวนการ**",
            }
        ],
    }
    with fresh_session(app):
        assert interchange.import_document(document)["trainers"] == 1
        assert interchange.import_document(document)["trainers"] == 0  # idempotent
        search_service.apply_pending()
        first = interchange.export_document()
    assert first["trainers"][0]["codes"] == ["PM1", "PM2"]
    trainer_id = client.get("/api/v1/trainers").get_json()["results"][0]["id"]
    login(make_user())
    assert "08-0000-0102" not in client.get(f"/trainers/{trainer_id}").text  # no consent in the format
    second = exported_elsewhere(tmp_path / "other", first)
    assert second["trainers"] == first["trainers"]
