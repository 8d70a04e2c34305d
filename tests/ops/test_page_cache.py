"""Shared pages are cached per process and stay correct when content changes in another process."""

import pytest

from cop import create_app
from cop.extensions import db
from cop.stories import services as story_services
from cop.stories.models import Story

from ..helpers import fresh_session


@pytest.fixture
def story_id(app, make_user):
    from cop.accounts import services as account_services
    from cop.search import service as search_service

    email = make_user()
    with fresh_session(app):
        story = story_services.create_story(
            account_services.find_user(email),
            {
                "title": "เรื่องเล่าแคชหน้า",
                "summary": "สรุป",
                "body": "เนื้อหา",
                "agency": "กรมทดสอบ",
                "province": "ขอนแก่น",
                "year": 2566,
                "categories": [],
                "codes": ["SP7"],
                "tags": [],
            },
            publish=True,
        )
        db.session.commit()
        search_service.apply_pending()
        return story.id


def test_a_change_made_by_another_process_shows_at_once(app, story_id):
    client = app.test_client()
    for path in ("/stories", f"/stories/{story_id}", "/", "/map"):
        assert client.get(path).status_code == 200
    assert "เรื่องเล่าแคชหน้า" in client.get("/stories").get_data(as_text=True)
    # a second app on the same database stands for another gunicorn worker
    other = create_app(
        {
            "TESTING": True,
            "DATA_DIR": app.config["DATA_DIR"],
            "SECRET_KEY": "test",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_BACKEND": app.config["SEARCH_BACKEND"],
        }
    )
    with other.app_context():
        story = db.session.get(Story, story_id)
        story.title = "ชื่อใหม่ของเรื่องเล่า"
        db.session.commit()
        db.session.remove()
    assert "ชื่อใหม่ของเรื่องเล่า" in client.get("/stories").get_data(as_text=True)
    assert "ชื่อใหม่ของเรื่องเล่า" in client.get(f"/stories/{story_id}").get_data(as_text=True)


def test_members_are_never_served_a_shared_copy(app, story_id, make_user):
    anonymous = app.test_client()
    assert "/login" in anonymous.get("/").get_data(as_text=True)
    member = app.test_client()
    email = make_user(name="สมศรี สมาชิก")
    member.post("/login", data={"email": email, "password": "ข้าวเหนียวมะม่วง ตอนบ่าย"})
    page = member.get("/").get_data(as_text=True)
    assert "สมศรี สมาชิก" in page
    assert "สมศรี สมาชิก" not in anonymous.get("/").get_data(as_text=True)


def test_language_is_part_of_the_key(app, story_id):
    client = app.test_client()
    thai = client.get("/map").get_data(as_text=True)
    client.set_cookie("lang", "en")
    english = client.get("/map").get_data(as_text=True)
    assert thai != english and 'lang="en"' in english


def test_a_cached_search_is_still_logged_and_logging_keeps_the_cache(app, story_id):
    from cop.core import cache
    from cop.search.searchlog import SearchLogEntry

    client = app.test_client()
    with app.test_request_context():
        before = cache.content_version()
    for _ in range(3):
        assert client.get("/search?q=เรื่องเล่าแคชหน้า").status_code == 200
    with fresh_session(app):
        rows = db.session.scalars(db.select(SearchLogEntry)).all()
        assert [(r.query, r.searches) for r in rows] == [("เรื่องเล่าแคชหน้า", 3)]
    with app.test_request_context():
        assert cache.content_version() == before


def test_a_members_home_blocks_follow_new_content_and_the_readers_role(app, make_user):
    from cop.accounts import services as account_services
    from cop.threads import moderation
    from cop.threads import services as thread_services
    from cop.threads.models import Thread

    member, moderator = app.test_client(), app.test_client()
    member.post("/login", data={"email": make_user(), "password": "ข้าวเหนียวมะม่วง ตอนบ่าย"})
    moderator.post("/login", data={"email": make_user(role="moderator"), "password": "ข้าวเหนียวมะม่วง ตอนบ่าย"})
    assert "คำถามใหม่ของหน้าแรก" not in member.get("/").get_data(as_text=True)  # blocks now cached

    with fresh_session(app):
        asker = account_services.find_user(make_user())
        thread = thread_services.create_thread(asker, title="คำถามใหม่ของหน้าแรก", body="ถามเรื่อง SP7", codes=["SP7"])
        db.session.commit()
        thread_id = thread.id
    assert "คำถามใหม่ของหน้าแรก" in member.get("/").get_data(as_text=True)

    with fresh_session(app):
        actor = account_services.find_user(make_user(role="moderator"))
        moderation.set_hidden(db.session.get(Thread, thread_id), actor)
        db.session.commit()
    assert "คำถามใหม่ของหน้าแรก" not in member.get("/").get_data(as_text=True)
    assert "คำถามใหม่ของหน้าแรก" in moderator.get("/").get_data(as_text=True)  # moderators still see it


def test_cached_pages_stay_within_the_memory_budget(app, story_id, monkeypatch):
    from cop.core import cache

    client = app.test_client()
    store = app.extensions["cop_cache"]
    paths = ("/map", "/stories", f"/stories/{story_id}")
    for path in paths:
        assert client.get(path).status_code == 200
    assert [key[0] for key in store["pages"]] == [p + "?" for p in paths]
    assert store["page_bytes"] == sum(len(entry[1]) for entry in store["pages"].values())

    monkeypatch.setattr(cache, "PAGE_BUDGET_BYTES", store["page_bytes"] - 1)  # one page too many
    assert client.get("/map").status_code == 200  # served from the cache: now the most recently used
    assert client.get("/clinics").status_code == 200
    kept = [key[0] for key in store["pages"]]
    assert "/stories?" not in kept and kept[-2:] == ["/map?", "/clinics?"]
    assert store["page_bytes"] == sum(len(entry[1]) for entry in store["pages"].values()) <= cache.PAGE_BUDGET_BYTES
    assert "เรื่องเล่าแคชหน้า" in client.get("/stories").get_data(as_text=True)  # forgotten, built again
