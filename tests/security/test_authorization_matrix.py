"""Every route of the app's URL map x every kind of visitor, against the table below.

A route without an entry fails the test (add it, with what each role should get). Outcomes:
  O  allowed: the view ran (2xx, a redirect elsewhere than the login page, or 400/422 for an empty form)
  L  sent to log in (a redirect to /login, or 401 from the API)
  D  denied (403, or 404 where hiding that the thing exists is the rule)
Columns: anonymous, member, author (a member who wrote the story, thread, reply, AAR and trainer profile
used here, and owns the notification and API token), coordinator, facilitator, moderator, admin.
POSTs go with an empty form (CSRF off), so they stop at validation when allowed; the database is
restored after every state-changing request.
"""

import os
import re

import pytest

from .world import ROLES

#   METHOD path                                                          anon mem auth coor faci mod admin
MATRIX = {
    "GET /": "O O O O O O O",
    "GET /aar": "O O O O O O O",
    "GET /aar/<int:aar_id>": "O O O O O O O",
    "GET /aar/<int:aar_id>/edit": "L D D D D D O",
    "GET /aar/<int:aar_id>/files/<int:attachment_id>": "O O O O O O O",
    "GET /aar/<int:aar_id>/print": "O O O O O O O",
    "GET /aar/actions": "O O O O O O O",
    "GET /aar/new": "L D D D O D O",
    "GET /admin/audit": "L D D D D D O",
    "GET /admin/users": "L D D D D D O",
    "GET /api/v1/aars": "O O O O O O O",
    "GET /api/v1/aars/<int:aar_id>": "O O O O O O O",
    "GET /api/v1/clinics": "O O O O O O O",
    "GET /api/v1/clinics/<int:clinic_id>": "O O O O O O O",
    "GET /api/v1/hotlines": "O O O O O O O",
    "GET /api/v1/search": "O O O O O O O",
    "GET /api/v1/stories": "O O O O O O O",
    "GET /api/v1/stories/<int:story_id>": "O O O O O O O",
    "GET /api/v1/threads": "O O O O O O O",
    "GET /api/v1/threads/<int:thread_id>": "O O O O O O O",
    "GET /api/v1/trainers": "O O O O O O O",
    "GET /api/v1/trainers/<int:trainer_id>": "O O O O O O O",
    "GET /categories": "O O O O O O O",
    "GET /categories/<key>": "O O O O O O O",
    "GET /clinics": "O O O O O O O",
    "GET /clinics.ics": "O O O O O O O",
    "GET /clinics/<int:clinic_id>": "O O O O O O O",
    "GET /clinics/<int:clinic_id>.ics": "O O O O O O O",
    "GET /clinics/<int:clinic_id>/cancel": "L O O O O O O",  # the confirmation page
    "GET /clinics/<int:clinic_id>/cancel-clinic": "L D D O D D O",  # the confirmation page
    "GET /clinics/<int:clinic_id>/edit": "L D D O D D O",
    "GET /clinics/<int:clinic_id>/registrants": "L D D O D D O",
    "GET /clinics/<int:clinic_id>/registrants.csv": "L D D O D D O",
    "GET /clinics/calendar": "O O O O O O O",
    "GET /clinics/code/<code>.ics": "O O O O O O O",
    "GET /clinics/feed/<token>.ics": "O O O O O O O",  # the secret in the URL is the key
    "GET /clinics/mine": "L O O O O O O",
    "GET /clinics/new": "L D D O D D O",
    "GET /clinics/past": "O O O O O O O",
    "GET /clinics/province/<province>.ics": "O O O O O O O",
    "GET /codes/<raw>": "O O O O O O O",
    "GET /favicon.ico": "O O O O O O O",
    "GET /healthz": "O O O O O O O",
    "GET /hotlines": "O O O O O O O",
    "GET /hotlines/<int:hotline_id>/edit": "L D D O D D O",
    "GET /hotlines/new": "L D D O D D O",
    "GET /lang/<code>": "O O O O O O O",
    "GET /login": "O O O O O O O",
    "GET /map": "O O O O O O O",
    "GET /notifications": "L O O O O O O",
    "GET /profile": "L O O O O O O",
    "GET /profile/email": "L O O O O O O",
    "GET /profile/password": "L O O O O O O",
    "GET /register": "O O O O O O O",
    "GET /reset/<token>": "O O O O O O O",  # the signed link is the key
    "GET /search": "O O O O O O O",
    "GET /static/<path:filename>": "O O O O O O O",
    "GET /stats": "L D D O D D O",
    "GET /stories": "O O O O O O O",
    "GET /stories/<int:story_id>": "O O O O O O O",
    "GET /stories/<int:story_id>/<slug>": "O O O O O O O",
    "GET /stories/<int:story_id>/edit": "L D O D D O O",
    "GET /stories/<int:story_id>/history": "O O O O O O O",
    "GET /stories/<int:story_id>/history/<int:number>": "O O O O O O O",
    "GET /stories/feed/category/<key>.atom": "O O O O O O O",
    "GET /stories/feed/code/<code>.atom": "O O O O O O O",
    "GET /stories/new": "L O O O O O O",
    "GET /threads": "O O O O O O O",
    "GET /threads/<int:thread_id>": "O O O O O O O",
    "GET /threads/<int:thread_id>/edit": "L D O D D O O",
    "GET /threads/<int:thread_id>/feed.atom": "O O O O O O O",
    "GET /threads/<int:thread_id>/history": "O O O O O O O",
    "GET /threads/<int:thread_id>/move": "L D D D D O O",
    "GET /threads/codes/<raw>/feed.atom": "O O O O O O O",
    "GET /threads/feed.atom": "O O O O O O O",
    "GET /threads/for-me": "L O O O O O O",
    "GET /threads/moderation": "L D D D D O O",
    "GET /threads/new": "L O O O O O O",
    "GET /threads/replies/<int:reply_id>/edit": "L D O D D O O",
    "GET /trainers": "O O O O O O O",
    "GET /trainers/<int:trainer_id>": "O O O O O O O",
    "GET /trainers/<int:trainer_id>.vcf": "O O O O O O O",
    "GET /trainers/<int:trainer_id>/edit": "L D O O D D O",
    "GET /trainers/new": "L D D O D D O",
    "GET /uploads/<name>": "O O O O O O O",
    "PATCH /api/v1/stories/<int:story_id>": "L D O D D O O",
    "POST /aar/<int:aar_id>/actions": "L D D D D D O",
    "POST /aar/<int:aar_id>/actions/<int:item_id>": "L D D D D D O",
    "POST /aar/<int:aar_id>/actions/<int:item_id>/delete": "L D D D D D O",
    "POST /aar/<int:aar_id>/attachments": "L D D D D D O",
    "POST /aar/<int:aar_id>/delete": "L D D D D D O",
    "POST /aar/<int:aar_id>/edit": "L D D D D D O",
    "POST /aar/<int:aar_id>/files/<int:attachment_id>/delete": "L D D D D D O",
    "POST /aar/<int:aar_id>/publish": "L D D D D D O",
    "POST /aar/<int:aar_id>/unpublish": "L D D D D D O",
    "POST /aar/new": "L D D D O D O",
    "POST /admin/users/<int:user_id>/reset-link": "L D D D D D O",
    "POST /admin/users/<int:user_id>/role": "L D D D D D O",
    "POST /api/v1/stories": "L O O O O O O",
    "POST /api/v1/suggest": "L O O O O O O",
    "POST /api/v1/threads": "L O O O O O O",
    "POST /api/v1/threads/<int:thread_id>/replies": "L O O O O O O",
    "POST /clinics/<int:clinic_id>/cancel": "L O O O O O O",  # cancels one's own registration only
    "POST /clinics/<int:clinic_id>/cancel-clinic": "L D D O D D O",
    "POST /clinics/<int:clinic_id>/edit": "L D D O D D O",
    "POST /clinics/<int:clinic_id>/register": "L O O O O O O",
    "POST /clinics/mine": "L O O O O O O",
    "POST /clinics/new": "L D D O D D O",
    "POST /follows": "L O O O O O O",
    "POST /hotlines/<int:hotline_id>/delete": "L D D O D D O",
    "POST /hotlines/<int:hotline_id>/edit": "L D D O D D O",
    "POST /hotlines/<int:hotline_id>/shifts": "L D D O D D O",
    "POST /hotlines/new": "L D D O D D O",
    "POST /hotlines/shifts/<int:shift_id>/delete": "L D D O D D O",
    "POST /lang/<code>": "O O O O O O O",
    "POST /login": "O O O O O O O",
    "POST /logout": "O O O O O O O",
    "POST /notifications/<int:note_id>/read": "L O O O O O O",  # only the owner's note changes; others' requests touch nothing
    "POST /notifications/read-all": "L O O O O O O",
    "POST /profile": "L O O O O O O",
    "POST /profile/email": "L O O O O O O",
    "POST /profile/password": "L O O O O O O",
    "POST /profile/tokens": "L O O O O O O",
    "POST /profile/tokens/<int:token_id>/revoke": "L D O D D D O",
    "POST /register": "O O O O O O O",
    "POST /reset/<token>": "O O O O O O O",
    "POST /stories/<int:story_id>/attachments": "L D O D D O O",
    "POST /stories/<int:story_id>/attachments/<int:attachment_id>/delete": "L D O D D O O",
    "POST /stories/<int:story_id>/delete": "L D O D D O O",
    "POST /stories/<int:story_id>/edit": "L D O D D O O",
    "POST /stories/<int:story_id>/helpful": "L O O O O O O",
    "POST /stories/<int:story_id>/hide": "L D D D D O O",
    "POST /stories/<int:story_id>/history/<int:number>/restore": "L D O D D O O",
    "POST /stories/<int:story_id>/publish": "L D O D D O O",
    "POST /stories/<int:story_id>/unhide": "L D D D D O O",
    "POST /stories/<int:story_id>/unpublish": "L D O D D O O",
    "POST /stories/new": "L O O O O O O",
    "POST /stories/wordcount": "L O O O O O O",
    "POST /threads/<int:thread_id>/edit": "L D O D D O O",
    "POST /threads/<int:thread_id>/hide": "L D D D D O O",
    "POST /threads/<int:thread_id>/lock": "L D D D D O O",
    "POST /threads/<int:thread_id>/move": "L D D D D O O",
    "POST /threads/<int:thread_id>/replies": "L O O O O O O",
    "POST /threads/<int:thread_id>/report": "L O O O O O O",
    "POST /threads/new": "L O O O O O O",
    "POST /threads/replies/<int:reply_id>/edit": "L D O D D O O",
    "POST /threads/replies/<int:reply_id>/hide": "L D D D D O O",
    "POST /threads/replies/<int:reply_id>/key": "L D O D D O O",
    "POST /threads/replies/<int:reply_id>/report": "L O O O O O O",
    "POST /threads/reports/<int:report_id>/resolve": "L D D D D O O",
    "POST /trainers/<int:trainer_id>/contact": "L O O O O O O",
    "POST /trainers/<int:trainer_id>/edit": "L D O O D D O",
    "POST /trainers/new": "L D D O D D O",
}

DENIAL = re.compile(r"(ไม่มีสิทธิ์|เฉพาะ|only|not allowed|permission)", re.I)
ALLOWED_FAILURE_FREE = {200, 201, 204, 301, 302, 303, 304, 400, 409, 422}


def _rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def _url(world, rule):
    values = dict(world.ids)
    if rule.endpoint.startswith("aar.") and "attachment_id" in rule.arguments:
        values["attachment_id"] = values["aar_attachment_id"]
    if rule.endpoint == "clinics.feed_personal":
        values["token"] = values["calendar_token"]
    built = rule.build({k: v for k, v in values.items() if k in rule.arguments}, append_unknown=False)
    return built[1]


def outcome(response, path, flashes=()):
    status = response.status_code
    if status == 401:
        return "L"
    if status in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        if re.search(r"(^|//[^/]+)/login(\?|$)", location):
            return "L"
        # Some actions refuse in the service and say so in a flashed error: that is a denial too.
        return "D" if any(category == "error" and DENIAL.search(str(message)) for category, message in flashes) else "O"
    if status in (403, 404):
        return "D"
    if status in ALLOWED_FAILURE_FREE or 200 <= status < 300:
        return "O"
    return f"!{status}"


def _request(world, role, method, path):
    client = world.client(role)
    headers = {}
    if path.startswith("/api/") and role != "anonymous":
        client = world.app.test_client()  # the API is used with a token, not a session
        headers["Authorization"] = f"Bearer {world.tokens[role]}"
    if path.startswith("/api/") and method != "GET":
        response = client.open(path, method=method, headers=headers, json={})
    else:
        response = client.open(path, method=method, headers=headers, data={} if method != "GET" else None)
    with client.session_transaction() as sess:
        flashes = list(sess.get("_flashes", []))
    return response, flashes


def _cases():
    # The cases are known before the app exists: build a throwaway app to read its URL map.
    import tempfile

    from ..helpers import make_app

    app = make_app(__import__("pathlib").Path(tempfile.mkdtemp()))
    return [f"{method} {rule.rule}" for method, rule in _rules(app)]


CASES = _cases()


def test_every_route_has_an_entry_and_no_entry_is_stale():
    missing = [case for case in CASES if case not in MATRIX]
    stale = [case for case in MATRIX if case not in CASES]
    assert not missing, "routes without an authorization entry:\n" + "\n".join(missing)
    assert not stale, "entries for routes that no longer exist:\n" + "\n".join(stale)
    print(
        f"\nauthorization matrix: {len(CASES)} method+route pairs x {len(ROLES)} roles = {len(CASES) * len(ROLES)} checks"
    )


@pytest.mark.parametrize("case", CASES)
def test_route_answers_each_role_as_the_table_says(world, case):
    method, path_rule = case.split(" ", 1)
    rule = next(r for m, r in _rules(world.app) if m == method and r.rule == path_rule)
    path = _url(world, rule)
    got = []
    for role in ROLES:
        if world.dirty:
            world.restore()
        response, flashes = _request(world, role, method, path)
        if method != "GET":
            world.dirty = True
        got.append(outcome(response, path, flashes))
    observed = " ".join(got)
    if os.environ.get("COP_MATRIX_DUMP"):
        print(f"\nMATRIX {case!r}: {observed!r},")
    assert not any(o.startswith("!") for o in got), f"{case} {path}: {observed}"
    expected = MATRIX.get(case)
    assert expected is not None, f"{case} has no entry in MATRIX"
    assert observed == expected, (
        f"{case} ({path}) roles {' '.join(r[:4] for r in ROLES)}: expected {expected}, got {observed}"
    )
