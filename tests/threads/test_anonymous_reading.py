"""Reading a question or a trainer page without an account: no cookie is handed out, and the shared copy of the page
(kept per content version) shows a new reply at once."""

import pytest

from ..clinics.helpers import add_trainer
from ..helpers import PASSWORD


@pytest.fixture
def app(csrf_app):
    """A form built for an anonymous reader would mint a CSRF token (and a cookie) only with CSRF on."""
    return csrf_app


def test_reading_a_thread_sets_no_cookie_and_shows_new_replies(app, old_user, ask, answer):
    asker, helper = old_user(), old_user()
    thread_id = ask(asker)
    reader = app.test_client()
    first = reader.get(f"/threads/{thread_id}")
    assert first.status_code == 200
    assert not first.headers.getlist("Set-Cookie")
    assert 'name="csrf_token"' not in first.get_data(as_text=True)
    assert "เข้าสู่ระบบเพื่อตอบ" in first.get_data(as_text=True)  # "Log in to reply"
    answer(helper, thread_id, body="เราแบ่งทีมย่อยตามหมวดแล้วประชุมทุกสัปดาห์")
    again = reader.get(f"/threads/{thread_id}")
    assert "เราแบ่งทีมย่อยตามหมวดแล้วประชุมทุกสัปดาห์" in again.get_data(as_text=True)
    assert not again.headers.getlist("Set-Cookie")


def test_a_member_still_gets_the_reply_form(client, old_user, ask):
    asker, member = old_user(), old_user()
    thread_id = ask(asker)
    login_page = client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"email": member, "password": PASSWORD, "csrf_token": token})
    page = client.get(f"/threads/{thread_id}").get_data(as_text=True)
    assert 'action="/threads/%d/replies"' % thread_id in page and 'name="csrf_token"' in page


def test_reading_a_trainer_page_sets_no_cookie(client):
    trainer_id = add_trainer(client.application, province="เชียงใหม่")
    for _ in range(2):  # built, then served from the shared copy
        page = client.get(f"/trainers/{trainer_id}")
        assert page.status_code == 200 and not page.headers.getlist("Set-Cookie")
        assert "ดวงพร เหนือฟ้า" in page.text
