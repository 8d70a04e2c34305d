"""The shipped seed and the demo generator, through the CLI as an operator runs them."""

import json

import pytest
from sqlalchemy import func, select

from cop import demo
from cop.search import service as search_service
from cop.search.base import SearchRequest
from cop.search.whoosh_backend import WhooshBackend
from cop.stories.models import Story

from .helpers import exported_elsewhere, fresh_session, scalar


def story_count(app):
    return scalar(app, select(func.count(Story.id)))


def test_seed_is_idempotent_searchable_and_demo_adds_stories(app, runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    seeded = story_count(app)
    assert seeded >= 12
    with fresh_session(app):
        before = search_service.backend().count()
        assert search_service.check().clean
    again = runner.invoke(args=["seed"])
    assert again.exit_code == 0 and story_count(app) == seeded
    with fresh_session(app):
        assert search_service.backend().count() == before

    demo = runner.invoke(args=["seed", "--demo", "5"])
    assert demo.exit_code == 0, demo.output
    assert "Added 5 demo stories" in demo.output
    assert story_count(app) == seeded + 5
    assert runner.invoke(args=["seed", "--demo", "5"]).exit_code == 0
    assert story_count(app) == seeded + 5  # deterministic: the same five are there already
    with fresh_session(app):
        results = search_service.backend().search(SearchRequest(text="ตัวอย่าง", types=("story",)))
        assert results.total >= 5
        assert search_service.check().clean


def test_the_whole_seed_round_trips_with_key_lessons_consent_and_accounts(app, runner, tmp_path):
    from cop.interchange import service as interchange

    assert runner.invoke(args=["seed"]).exit_code == 0
    with fresh_session(app):
        first = interchange.export_document()
    trainers = first["trainers"]
    assert sum(1 for t in first["threads"] for r in t["replies"] if r.get("key_lesson")) >= 12
    consenting = {t["province"] for t in trainers if t.get("contact_consent")}
    with fresh_session(app):
        from cop.taxonomy import province_regions, regions

        assert {province_regions()[p] for p in consenting} == {r["key"] for r in regions()}  # every region
    assert any(t["province"] == "ขอนแก่น" and "SP7" in t["codes"] and t.get("contact_consent") for t in trainers)
    assert any(t.get("account") for t in trainers)
    second = exported_elsewhere(tmp_path / "other", first)
    assert second == first


def merged_and_searchable(app, words: str) -> int:
    """After a bulk load: the Whoosh index is one segment and agrees with the database; how many ``words`` finds."""
    with fresh_session(app):
        backend = search_service.backend()
        if not isinstance(backend, WhooshBackend):
            pytest.skip("segments are Whoosh's")
        assert len(backend.ix._segments()) == 1
        assert search_service.check().clean
        return backend.search(SearchRequest(text=words, types=("story",))).total


def test_a_demo_load_in_several_batches_leaves_one_index_segment(app, runner, monkeypatch):
    """Each batch commits a segment; the load ends merged, so searches read one segment, not one per batch."""
    monkeypatch.setattr(demo, "BATCH", 4)
    result = runner.invoke(args=["seed", "--demo", "13"])
    assert result.exit_code == 0, result.output
    assert merged_and_searchable(app, "ตัวอย่าง") >= 13


def test_a_large_import_leaves_one_index_segment(app, runner, tmp_path, monkeypatch):
    """An import indexes in batches too (one segment each) and ends merged."""
    monkeypatch.setattr(search_service, "BATCH", 3)
    document = {
        "format": "cop",
        "version": 1,
        "users": [{"email": "writer@example.org", "name": "ผู้เขียน ทดสอบ", "role": "member"}],
        "stories": [
            {
                "title": f"บันทึกการประชุมกลุ่มย่อยครั้งที่ {n}",
                "body": "ทีมงานสรุปบทเรียนร่วมกัน",
                "author": "writer@example.org",
                "published_at": "2023-05-01T09:00:00",
            }
            for n in range(1, 11)
        ],
    }
    path = tmp_path / "stories.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert merged_and_searchable(app, "กลุ่มย่อย") == 10
