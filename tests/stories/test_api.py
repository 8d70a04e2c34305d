"""JSON API /api/v1/stories: filters, token auth, author/moderator edits, 422 on bad input, never 500."""

import pytest

from ..helpers import api_headers


@pytest.fixture
def token_for(app):
    return lambda email: api_headers(app, email)


def test_list_and_get_with_filters(client, make_user, make_story):
    author = make_user()
    a = make_story(author, title="ความเสี่ยง", codes=["SP7"], year=2553)
    make_story(author, title="ลูกค้า", codes=["CS1"], year=2554)
    draft = make_story(author, title="ร่าง", publish=False)
    everything = client.get("/api/v1/stories").json
    assert everything["total"] == 2 and {r["title"] for r in everything["results"]} == {"ความเสี่ยง", "ลูกค้า"}
    filtered = client.get("/api/v1/stories?code=sp 7&year=53").json
    assert [r["id"] for r in filtered["results"]] == [a]
    paged = client.get("/api/v1/stories?per_page=1&page=2").json
    assert paged["page"] == 2 and len(paged["results"]) == 1
    one = client.get(f"/api/v1/stories/{a}").json
    assert one["codes"] == ["SP7"] and "body_html" in one and one["url"] == f"/stories/{a}"
    assert client.get(f"/api/v1/stories/{draft}").status_code == 404
    assert client.get("/api/v1/stories/999").status_code == 404
    for bad in ("?per_page=0", "?page=x", "?code=ZZ9", "?sort=random", "?year=abc"):
        response = client.get("/api/v1/stories" + bad)
        assert response.status_code == 400 and "error" in response.json, bad


def test_create_and_patch_with_token(client, make_user, token_for):
    author, other, moderator = make_user(), make_user(), make_user(role="moderator")
    payload = {"title": "ผ่าน API", "body": "## หัวข้อ\nเนื้อหา", "codes": ["it 7"], "tags": ["KM"]}
    assert client.post("/api/v1/stories", json=payload).status_code == 401
    assert client.post("/api/v1/stories", json=payload, headers={"Authorization": "Bearer nope"}).status_code == 401
    created = client.post("/api/v1/stories", json=dict(payload, status="published"), headers=token_for(author))
    assert created.status_code == 201
    sid, url = created.json["id"], created.json["url"]
    assert url == f"/stories/{sid}"
    story = client.get(f"/api/v1/stories/{sid}").json
    assert story["codes"] == ["IT7"] and story["categories"] == ["4"] and story["status"] == "published"
    assert client.patch(f"/api/v1/stories/{sid}", json={"title": "x"}, headers=token_for(other)).status_code == 403
    patched = client.patch(f"/api/v1/stories/{sid}", json={"title": "แก้แล้ว"}, headers=token_for(moderator))
    assert patched.status_code == 200 and patched.json["title"] == "แก้แล้ว"
    draft = client.patch(f"/api/v1/stories/{sid}", json={"status": "draft"}, headers=token_for(author))
    assert draft.json["status"] == "draft"
    assert client.get(f"/api/v1/stories/{sid}").status_code == 404  # anonymous: drafts are invisible


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"title": "", "body": "x"}, "title"),
        ({"title": "t", "body": "x", "codes": ["ZZ9"]}, "codes"),
        ({"title": "t", "body": "x", "codes": 5}, "codes"),
        ({"title": "t", "body": "x", "categories": {"a": 1}}, "categories"),
        ({"title": "t", "body": "x", "province": "ไม่มีจังหวัดนี้"}, "province"),
        ({"title": "t", "body": "x", "year": "ปีหน้า"}, "year"),
        ({"title": "t", "body": "x", "tags": 7}, "tags"),
        ({"title": "t", "body": "x", "status": "maybe"}, "status"),
        ({"title": "t", "body": "x", "author": "someone@example.org"}, "author"),
        ({"title": ["list"], "body": "x" * 300_000}, "body"),
        ({"title": "t", "body": "x", "template": "nope"}, "template"),
    ],
)
def test_bad_input_is_422_with_fields(client, make_user, token_for, payload, field):
    response = client.post("/api/v1/stories", json=payload, headers=token_for(make_user()))
    assert response.status_code == 422, response.json
    assert field in response.json["fields"]


def test_not_json_is_400(client, make_user, token_for):
    headers = token_for(make_user())
    assert client.post("/api/v1/stories", data="nope", headers=headers).status_code == 400
    assert client.post("/api/v1/stories", json=[1, 2], headers=headers).status_code == 400
