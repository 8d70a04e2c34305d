"""Story rules: normalization, template word limits, revisions and restore, helpful marks."""

import pytest

from cop.extensions import db
from cop.stories import services, story_templates
from cop.stories.models import Story, StoryRevision
from cop.validation import ValidationError

from ..helpers import fresh_session, user_named


def base(**fields):
    data = {"title": "ทดสอบ", "body": "เนื้อหา", "codes": [], "categories": [], "tags": []}
    data.update(fields)
    return data


def test_codes_any_spelling_imply_their_category(app_ctx, make_user):
    email = make_user()
    story = services.create_story(
        user_named(email),
        base(
            codes="sp 7, CS-1 A, SP7",
            categories=["หมวด 1"],
            tags="KM, km ,  การจัดการความรู้",
            year="๕๓",
            province="จ.ขอนแก่น",
        ),
    )
    assert story.codes == ["SP7", "CS1"]
    assert story.categories == ["1", "2", "3"]
    assert story.tags == ["KM", "การจัดการความรู้"]
    assert story.year == 2553 and story.province == "ขอนแก่น"
    assert story.published_at is None  # a draft unless published
    assert "<h2" not in story.body_html and "เนื้อหา" in story.body_html


def test_bad_fields_are_named(app_ctx, make_user):
    email = make_user()
    with pytest.raises(ValidationError) as info:
        services.create_story(
            user_named(email),
            base(title=" ", codes=["XX9"], categories=["9"], province="Atlantis", year="abc", tags=["x" * 60]),
        )
    fields = {f for f, _ in info.value.errors}
    assert fields == {"title", "codes", "categories", "province", "year", "tags"}
    assert db.session.query(Story).count() == 0


def test_award_template_sections_and_limits():
    story_template = story_templates.get_template("award")
    assert len(story_template.headings) == 12
    assert [s.limit for s in story_template.headings] == [700, 700, 1400, 1400, 700, 700, 700, 700, 700, 1400, 700, 700]
    body = story_template.body()
    assert body.startswith("## 1. ปัญหาและสภาพเดิมก่อนปรับปรุง (ไม่เกิน 700 คำ)")
    body = body.replace("ที่มา ปัญหา แนวโน้ม และกลุ่มที่ได้รับผลกระทบ", "ผู้รับบริการรอคิวนาน " * 3)
    counts = {s["key"]: s for s in story_templates.heading_counts(story_template, body)}
    from cop.text.thai import word_count

    assert counts["problem"]["count"] == word_count("ผู้รับบริการรอคิวนาน " * 3) > 3
    assert all(s["present"] for s in counts.values())


def test_award_limit_enforced_with_section_named(app_ctx, make_user):
    email = make_user()
    story_template = story_templates.get_template("award")
    long_text = "การมีส่วนร่วม " * 701
    body = story_template.body().replace("ที่มา ปัญหา แนวโน้ม และกลุ่มที่ได้รับผลกระทบ", long_text)
    with pytest.raises(ValidationError) as info:
        services.create_story(user_named(email), base(body=body, template="award"))
    message = info.value.errors[0][1]
    assert info.value.errors[0][0] == "body"
    assert "1. ปัญหาและสภาพเดิมก่อนปรับปรุง" in message and "701" in message and "700" in message
    # The same text under a 1,400-word section is fine; a heading reworded keeps its number.
    ok = story_template.body().replace("## 3. ความคิดริเริ่ม (ไม่เกิน 1,400 คำ)", "## 3) ความคิดใหม่ของเรา\n" + long_text)
    story = services.create_story(user_named(email), base(body=ok, template="award"))
    assert story.template == "award"
    counts = {s["key"]: s["count"] for s in story_templates.heading_counts(story_template, ok)}
    assert counts["initiative"] > 701


def test_every_edit_keeps_a_revision_and_restore_adds_one(app_ctx, make_user):
    author, moderator = make_user(), make_user(role="moderator")
    story = services.create_story(user_named(author), base(title="ฉบับแรก", body="บรรทัดหนึ่ง\nบรรทัดสอง"))
    assert services.update_story(story, user_named(author), {"title": "ฉบับแรก"}) is None  # nothing changed
    services.update_story(story, user_named(author), {"title": "ฉบับสอง", "codes": "PM 6"})
    services.update_story(story, user_named(moderator), {"body": "บรรทัดหนึ่ง\nบรรทัดที่แก้"})
    db.session.commit()
    numbers = [r.number for r in story.revisions]
    assert numbers == [1, 2, 3]
    first = story.revisions[0]
    services.restore_revision(story, first, user_named(author))
    db.session.commit()
    assert story.title == "ฉบับแรก" and story.body == "บรรทัดหนึ่ง\nบรรทัดสอง" and story.codes == []
    latest = db.session.scalar(
        db.select(StoryRevision).where(StoryRevision.story_id == story.id).order_by(StoryRevision.number.desc())
    )
    assert latest.number == 4 and "1" in latest.note and latest.editor.email == author
    assert story.revisions[2].editor.email == moderator


def test_diff_marks_changed_thai_words():
    from cop.stories.diff import diff_text

    lines = diff_text("ผู้บริหารนำองค์การ\nเดิม", "ผู้บริหารพัฒนาองค์การ\nเดิม")
    change = lines[0]
    assert change.kind == "change"
    assert ("del", "นำ") in change.old and ("add", "พัฒนา") in change.new
    assert ("same", "ผู้บริหาร") in change.old


def test_helpful_is_one_per_member_and_toggles(app_ctx, make_user):
    author, reader, other = make_user(), make_user(), make_user()
    story = services.create_story(user_named(author), base(), publish=True)
    assert services.toggle_helpful(story, user_named(reader)) is True
    assert services.toggle_helpful(story, user_named(other)) is True
    assert story.helpful_count == 2
    assert services.toggle_helpful(story, user_named(reader)) is False
    assert story.helpful_count == 1
    assert services.has_marked_helpful(story, user_named(other))


def test_related_prefers_shared_codes(app_ctx, make_user, make_story):
    email = make_user()
    me = make_story(email, title="ต้นเรื่อง", codes=["SP7", "SP5"], tags=[])
    tag_only = make_story(email, title="แท็กเหมือน", codes=["HR1"], tags=["บริหารความเสี่ยง"])
    both = make_story(email, title="สองรหัส", codes=["SP7", "SP5"], tags=[])
    one = make_story(email, title="หนึ่งรหัส", codes=["SP5"], tags=[])
    draft = make_story(email, title="ร่าง", codes=["SP7", "SP5"], publish=False)
    related = [s.id for s in services.related_stories(db.session.get(Story, me))]
    assert related[:2] == [both, one]
    assert draft not in related and me not in related
    assert tag_only not in related[:2]


def test_related_sees_a_story_published_after_it_was_ranked(app, make_user, make_story):
    email = make_user()
    me = make_story(email, title="ต้นเรื่อง", codes=["SP3"], tags=[])
    with fresh_session(app):  # each request reads the content version once
        assert services.related_stories(db.session.get(Story, me)) == []
    newer = make_story(email, title="เรื่องใหม่รหัสเดียวกัน", codes=["SP3"], tags=[])
    with fresh_session(app):
        assert [s.id for s in services.related_stories(db.session.get(Story, me))] == [newer]
