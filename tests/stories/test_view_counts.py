"""Story views: counted without a write on the read, an author's own loads not counted, cached pages too."""

import pytest

from cop.extensions import db
from cop.stories import view_counts
from cop.stories.models import Story

from ..helpers import fresh_session, rename_table


def _views(app, sid):
    with fresh_session(app):
        db.session.expire_all()
        return db.session.get(Story, sid).views


def test_reads_are_counted_later_and_own_loads_not_at_all(app, make_user, make_story, login):
    author = make_user()
    sid = make_story(author)
    anonymous = app.test_client()
    for _ in range(3):
        assert anonymous.get(f"/stories/{sid}").status_code == 200  # the 2nd and 3rd come from the page cache
    assert _views(app, sid) == 0  # nothing written while reading
    reader = app.test_client()
    reader.post("/login", data={"email": make_user(), "password": "ข้าวเหนียวมะม่วง ตอนบ่าย"})
    reader.get(f"/stories/{sid}")
    login(author)
    own = app.test_client()
    own.post("/login", data={"email": author, "password": "ข้าวเหนียวมะม่วง ตอนบ่าย"})
    for _ in range(2):
        assert own.get(f"/stories/{sid}").status_code == 200
    view_counts.flush(app)
    assert _views(app, sid) == 4
    assert not view_counts._pending[app]


def test_a_failed_flush_keeps_the_views(app, make_user, make_story, monkeypatch):
    sid = make_story(make_user())
    app.test_client().get(f"/stories/{sid}")
    rename_table(app, "stories", "stories_gone")
    with pytest.raises(Exception):  # noqa: B017 - the table is gone on purpose
        view_counts.flush(app)
    assert sum(view_counts._pending[app].values()) == 1
    rename_table(app, "stories_gone", "stories")
    view_counts.flush(app)
    assert _views(app, sid) == 1
