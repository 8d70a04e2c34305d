from types import SimpleNamespace

import pytest

from cop.extensions import db
from cop.search import service as search_service
from cop.stories import services
from cop.stories.models import Story

from ..helpers import fresh_session, user_named


@pytest.fixture
def make_story(app):
    """Create a story through the services (as a view would), commit and apply the search outbox."""

    def make(author_email, publish=True, **fields):
        data = {
            "title": "เรื่องเล่าทดสอบ",
            "summary": "สรุปสั้น",
            "body": "## ขั้นตอน\nเนื้อหาเรื่องเล่า",
            "agency": "กรมทดสอบ",
            "province": "ขอนแก่น",
            "year": 2553,
            "categories": [],
            "codes": ["SP7"],
            "tags": ["บริหารความเสี่ยง"],
        }
        data.update(fields)
        with fresh_session(app):
            story = services.create_story(user_named(author_email), data, publish=publish)
            db.session.commit()
            search_service.apply_pending()
            return story.id

    return make


@pytest.fixture
def get_story(app):
    def get(story_id):
        with fresh_session(app):
            story = db.session.get(Story, story_id)
            if story is None:
                return None
            values = {c.key: getattr(story, c.key) for c in Story.__table__.columns}
            values["revisions"] = len(story.revisions)
            values["attachments"] = [a.stored_name for a in story.attachments]
            return SimpleNamespace(**values)

    return get
