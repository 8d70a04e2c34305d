"""The JSON API's error messages speak the request's language: Thai by default, English for
`Accept-Language: en` or a session switched to English; the JSON shape and status codes stay the same."""

import re

import pytest

from ..helpers import api_headers

THAI = re.compile(r"[\u0e01-\u0e5b]")


@pytest.fixture
def bearer(app, make_user):
    return api_headers(app, make_user())


# (method, path, keyword arguments, status, English message)
CASES = [
    ("get", "/api/v1/stories/999", {}, 404, "No such story."),
    ("get", "/api/v1/stories?sort=random", {}, 400, "'sort' must be one of: newest, helpful."),
    ("get", "/api/v1/stories?per_page=0", {}, 400, "'per_page' must be between 1 and 100."),
    ("get", "/api/v1/threads?answered=maybe", {}, 400, "'answered' must be yes or no."),
    ("get", "/api/v1/clinics/999", {}, 404, "No such clinic."),
    ("get", "/api/v1/trainers?region=nowhere", {}, 400, "Unknown filter value(s): region."),
    ("post", "/api/v1/stories", {"json": {"title": "t"}}, 401, "Send 'Authorization: Bearer TOKEN'"),
]


@pytest.mark.parametrize("method,path,kwargs,status,english", CASES)
def test_api_errors_are_thai_by_default_and_english_on_request(client, method, path, kwargs, status, english):
    thai = getattr(client, method)(path, **kwargs)
    assert thai.status_code == status and list(thai.json) == ["error"]
    assert THAI.search(thai.json["error"]), thai.json
    assert "Accept-Language" in thai.headers.get("Vary", "")

    asked = getattr(client, method)(path, headers={"Accept-Language": "en-US,en;q=0.9"}, **kwargs)
    assert asked.status_code == status and list(asked.json) == ["error"]
    assert asked.json["error"].startswith(english) and not THAI.search(asked.json["error"])


def test_the_session_language_applies_to_the_api_too(client):
    client.get("/lang/en")
    english = client.get("/api/v1/stories/999")
    assert english.status_code == 404 and english.json == {"error": "No such story."}
    # the language chosen on the site wins over the browser's own header
    assert client.get("/api/v1/stories/999", headers={"Accept-Language": "th"}).json == english.json
    client.get("/lang/th")
    assert THAI.search(client.get("/api/v1/stories/999", headers={"Accept-Language": "en"}).json["error"])


def test_422_fields_keep_their_shape_in_both_languages(client, bearer):
    payload = {"title": "t", "body": "x", "colour": "red"}
    thai = client.post("/api/v1/stories", json=payload, headers=bearer)
    assert thai.status_code == 422 and set(thai.json) == {"error", "fields"}
    assert set(thai.json["fields"]) == {"colour"} and THAI.search(thai.json["fields"]["colour"][0])
    english = client.post("/api/v1/stories", json=payload, headers=dict(bearer, **{"Accept-Language": "en"}))
    assert english.status_code == 422
    assert english.json == {"error": "Some of the input is not valid.", "fields": {"colour": ["Unknown field."]}}
    bad_status = client.post(
        "/api/v1/stories",
        json={"title": "t", "body": "x", "status": "maybe"},
        headers=dict(bearer, **{"Accept-Language": "en"}),
    )
    assert bad_status.json["fields"] == {"status": ["Use 'draft' or 'published'."]}
    # a service's own rule (an empty title) answers in the same language through the same shape
    empty = client.post("/api/v1/stories", json={"title": "", "body": "x"}, headers=bearer)
    assert empty.status_code == 422 and THAI.search(empty.json["error"]) and "title" in empty.json["fields"]


def test_pages_keep_thai_by_default_whatever_the_browser_sends(client):
    """Pages have a language switch; a browser's English header must not turn a Thai site English."""
    page = client.get("/stories", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="th">' in page.text


def test_search_api_refusals_follow_the_language_too(client):
    unclosed = client.get('/api/v1/search?q="ตัวชี้วัด')
    assert unclosed.status_code == 400 and THAI.search(unclosed.json["error"])
    english = client.get('/api/v1/search?q="ตัวชี้วัด', headers={"Accept-Language": "en"})
    assert english.json == {"error": "A quotation mark is not closed."}
    unknown = client.get("/api/v1/search?q=x&province=Atlantis", headers={"Accept-Language": "en"})
    assert unknown.status_code == 400 and unknown.json == {"error": "Unknown province: Atlantis"}
    assert THAI.search(client.get("/api/v1/search?q=x&province=Atlantis").json["error"])
