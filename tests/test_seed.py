"""The shipped seed and the demo generator, through the CLI as an operator runs them."""
from sqlalchemy import func, select

from cop.extensions import db
from cop.search import service as search_service
from cop.search.base import SearchRequest
from cop.stories.models import Story


def story_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Story.id)))


def test_seed_is_idempotent_searchable_and_demo_adds_stories(app, runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    seeded = story_count(app)
    assert seeded >= 12
    with app.app_context():
        before = search_service.backend().count()
        assert search_service.check().clean
    again = runner.invoke(args=["seed"])
    assert again.exit_code == 0 and story_count(app) == seeded
    with app.app_context():
        assert search_service.backend().count() == before

    demo = runner.invoke(args=["seed", "--demo", "5"])
    assert demo.exit_code == 0, demo.output
    assert "Added 5 demo stories" in demo.output
    assert story_count(app) == seeded + 5
    assert runner.invoke(args=["seed", "--demo", "5"]).exit_code == 0
    assert story_count(app) == seeded + 5  # deterministic: the same five are there already
    with app.app_context():
        results = search_service.backend().search(SearchRequest(text="ตัวอย่าง", types=("story",)))
        assert results.total >= 5
        assert search_service.check().clean
