"""Reports, the moderator queue, hide, lock, move, and the moderation log; role checks."""

import pytest
from sqlalchemy import select

from cop.extensions import db
from cop.threads.models import ModerationLog, Reply

from ..helpers import fresh_session, scalar


def test_report_queue_resolve_and_log(app, client, old_user, login, ask, answer):
    thread_id = ask(old_user(), title="คำถามปกติ")
    reply_id = answer(old_user(), thread_id, "ขายของ ลิงก์สแปม")
    login(old_user())
    client.post(f"/threads/replies/{reply_id}/report", data={"reason": "สแปมโฆษณา"})
    client.post("/logout")
    moderator = old_user(role="moderator", name="ผู้ดูแลวิชัย")
    login(moderator)
    queue = client.get("/threads/moderation").text
    assert "สแปมโฆษณา" in queue and "ขายของ ลิงก์สแปม" in queue
    client.post(f"/threads/replies/{reply_id}/hide", data={"action": "hide"})
    with fresh_session(app):
        from cop.threads.models import Report

        report_id = db.session.scalar(select(Report.id))
    client.post(f"/threads/reports/{report_id}/resolve", data={"resolution": "ซ่อนแล้ว"})
    queue = client.get("/threads/moderation").text
    assert "สแปมโฆษณา" not in queue
    # the log reads as people speak: translated actions and a named, linked post, no raw "hide"/"resolve"
    assert "ผู้ดูแลวิชัย" in queue and ">ซ่อน<" in queue and ">จัดการรายงานแล้ว<" in queue
    assert f'href="/threads/{thread_id}#reply-{reply_id}">คำตอบ #{reply_id} ในกระทู้ “คำถามปกติ”' in queue
    assert ">hide<" not in queue and ">resolve<" not in queue and "report " not in queue
    with fresh_session(app):
        actions = [(e.action, e.target_type, e.actor.name) for e in db.session.scalars(select(ModerationLog))]
    assert ("hide", "reply", "ผู้ดูแลวิชัย") in actions and ("resolve", "reply", "ผู้ดูแลวิชัย") in actions


def test_hidden_reply_shows_a_placeholder_and_leaves_search(app, client, old_user, login, ask, answer):
    thread_id = ask(old_user())
    reply_id = answer(old_user(), thread_id, "ข้อความหยาบคายซ่อนไว้")
    login(old_user(role="moderator"))
    client.post(f"/threads/replies/{reply_id}/hide", data={"action": "hide"})
    assert "ข้อความหยาบคายซ่อนไว้" in client.get(f"/threads/{thread_id}").text  # moderators still see it
    client.post("/logout")
    page = client.get(f"/threads/{thread_id}").text
    assert "ข้อความหยาบคายซ่อนไว้" not in page and "ผู้ดูแลซ่อนคำตอบนี้" in page
    results = client.get("/api/v1/search?q=หยาบคาย").get_json()
    assert results["total"] == 0


def test_locked_thread_refuses_replies_with_a_message(app, client, old_user, login, ask):
    thread_id = ask(old_user())
    login(old_user(role="moderator"))
    client.post(f"/threads/{thread_id}/lock", data={"action": "lock"})
    client.post("/logout")
    login(old_user())
    page = client.get(f"/threads/{thread_id}").text
    assert "กระทู้นี้ถูกล็อก" in page and 'name="body"' not in page
    refused = client.post(f"/threads/{thread_id}/replies", data={"body": "ขอตอบหน่อย"})
    assert refused.status_code == 422 and "กระทู้นี้ถูกล็อก" in refused.text
    assert scalar(app, select(Reply.id)) is None


def test_hidden_thread_is_gone_for_members_and_takes_no_replies(app, client, old_user, login, ask):
    thread_id = ask(old_user(), title="คำถามที่จะถูกซ่อน")
    moderator = old_user(role="moderator")
    login(moderator)
    client.post(f"/threads/{thread_id}/hide", data={"action": "hide"})
    refused = client.post(f"/threads/{thread_id}/replies", data={"body": "ผู้ดูแลลองตอบ"})
    assert refused.status_code == 422 and "ถูกซ่อน" in refused.text
    client.post("/logout")
    assert client.get(f"/threads/{thread_id}").status_code == 404
    assert "คำถามที่จะถูกซ่อน" not in client.get("/threads").text
    login(old_user())
    assert client.post(f"/threads/{thread_id}/replies", data={"body": "ตอบ"}).status_code == 404


def test_move_changes_codes_and_is_logged(app, client, old_user, login, ask):
    thread_id = ask(old_user(), title="ย้ายหมวด", codes=("CS1",))
    login(old_user(role="moderator"))
    assert client.post(f"/threads/{thread_id}/move", data={"codes": "IT 7"}).status_code == 302
    assert "ย้ายหมวด" in client.get("/threads?code=IT7").text
    assert "ย้ายหมวด" not in client.get("/threads?code=CS1").text
    assert client.post(f"/threads/{thread_id}/move", data={"codes": "nope"}).status_code == 422
    with fresh_session(app):
        entry = db.session.scalar(select(ModerationLog).where(ModerationLog.action == "move"))
        assert "CS1" in entry.detail and "IT7" in entry.detail


@pytest.mark.parametrize(
    "role,allowed",
    [("member", False), ("coordinator", False), ("facilitator", False), ("moderator", True), ("admin", True)],
)
def test_moderation_routes_by_role(app, client, old_user, login, ask, answer, role, allowed):
    thread_id = ask(old_user())
    reply_id = answer(old_user(), thread_id)
    login(old_user(role=role))
    assert client.get("/threads/moderation").status_code == (200 if allowed else 403)
    assert client.get(f"/threads/{thread_id}/move").status_code == (200 if allowed else 403)
    for url in (f"/threads/{thread_id}/lock", f"/threads/replies/{reply_id}/hide"):
        assert client.post(url, data={}).status_code == (302 if allowed else 403)


def test_anonymous_is_sent_to_log_in_for_every_mutating_route(client, old_user, ask, answer):
    thread_id = ask(old_user())
    reply_id = answer(old_user(), thread_id)
    for url in (
        "/threads/new",
        f"/threads/{thread_id}/replies",
        f"/threads/{thread_id}/edit",
        f"/threads/replies/{reply_id}/edit",
        f"/threads/replies/{reply_id}/key",
        f"/threads/{thread_id}/report",
        f"/threads/replies/{reply_id}/report",
        f"/threads/{thread_id}/hide",
        f"/threads/{thread_id}/lock",
        f"/threads/{thread_id}/move",
        "/threads/reports/1/resolve",
        "/notifications/read-all",
        "/follows",
    ):
        response = client.post(url, data={"body": "x"})
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
