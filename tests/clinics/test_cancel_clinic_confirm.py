"""A coordinator confirms before cancelling a whole clinic; the .ics speaks the interface language."""

import re

from icalendar import Calendar

from .helpers import add_clinic, add_trainer, full_clinic_with_a_waitlist, notifications_for


def _status(client, clinic_id):
    event = next(iter(Calendar.from_ical(client.get(f"/clinics/{clinic_id}.ics").data).walk("VEVENT")))
    return str(event["STATUS"])


def _hidden_fields(page: str, action: str) -> dict:
    form = page.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_cancel_clinic_asks_first_and_says_what_happens(client, app, make_user, login):
    clinic_id, first, second = full_clinic_with_a_waitlist(client, app, make_user, login)
    detail = client.get(f"/clinics/{clinic_id}").text
    action = f"/clinics/{clinic_id}/cancel-clinic"
    assert f'href="{action}"' in detail and f'action="{action}"' not in detail  # a link to a page, not a button

    page = client.get(action)
    assert page.status_code == 200
    text = page.text
    assert "ยกเลิกคลินิกนี้ทั้งหมดหรือไม่" in text
    assert text.count("(1 คน)") == 2  # one registered, one on the waitlist: both are told
    assert "CANCELLED" in text and ".ics" in text

    # A press without the confirmation field (an old bookmarked form) only shows the question again
    assert client.post(action).status_code == 200
    assert _status(client, clinic_id) != "CANCELLED"
    assert "clinic_cancelled" not in [kind for kind, _t, _u in notifications_for(app, first)]

    # The real form, as the page sends it
    done = client.post(action, data=_hidden_fields(text, action))
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/clinics/{clinic_id}")
    assert _status(client, clinic_id) == "CANCELLED"
    for email in (first, second):
        assert notifications_for(app, email)[-1][0] == "clinic_cancelled"
    again = client.get(action, follow_redirects=True)
    assert "ยกเลิกไปแล้ว" in again.text and "ยกเลิกคลินิกนี้ทั้งหมดหรือไม่" not in again.text


def test_members_cannot_reach_the_cancel_clinic_page(client, app, make_user, login):
    clinic_id = add_clinic(app)
    login(make_user())
    assert client.get(f"/clinics/{clinic_id}/cancel-clinic").status_code == 403
    assert client.post(f"/clinics/{clinic_id}/cancel-clinic", data={"confirm": "yes"}).status_code == 403
    assert _status(client, clinic_id) != "CANCELLED"


def test_ics_trainer_label_follows_the_interface_language(client, app):
    add_trainer(app, "ดวงพร เหนือฟ้า")
    clinic_id = add_clinic(app, trainers=["ดวงพร เหนือฟ้า"])

    def description():
        event = next(iter(Calendar.from_ical(client.get(f"/clinics/{clinic_id}.ics").data).walk("VEVENT")))
        return str(event["DESCRIPTION"])

    assert "วิทยากร: ดวงพร เหนือฟ้า" in description()
    client.get("/lang/en")
    english = description()
    assert "Trainers: ดวงพร เหนือฟ้า" in english and "วิทยากร" not in english
