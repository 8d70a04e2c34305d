"""Story rules: writing, revisions, publishing, helpful marks and queries (field validation: fields.py).

Functions flush but never commit: the caller (a view, the API, the importer) owns the transaction.
Whenever searchable content changes, the change is recorded in the search outbox in the same
transaction.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime
from operator import itemgetter
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import User
from ..accounts.services import find_user
from ..core.cache import shared
from ..extensions import db
from ..listing import Filters, Page, contains_pattern, paginate
from ..models import utcnow
from ..search import service as search_service
from ..search.base import SearchRequest
from ..search.outbox import record_change
from ..text.clean import clean_text
from ..text.thai import segment
from .fields import BODY_MAX as BODY_MAX  # the story page cuts a preview body to it
from .fields import clean_fields
from .models import Story, StoryHelpful, StoryRevision, StoryTerm

META_KEYS = ("agency", "province", "year", "categories", "codes", "tags")


# --------------------------------------------------------------------------- writing


def _write_fields(story: Story, fields: dict) -> None:
    for key in ("title", "summary", "body", "body_html", "agency", "province", "year", "template"):
        setattr(story, key, fields[key])
    story.categories, story.codes, story.tags = list(fields["categories"]), list(fields["codes"]), list(fields["tags"])
    wanted = (
        {("category", c) for c in story.categories}
        | {("code", c) for c in story.codes}
        | {("tag", t.lower()[:100]) for t in story.tags}
    )
    for term in list(story.terms):
        if (term.kind, term.value) not in wanted:
            story.terms.remove(term)
        else:
            wanted.discard((term.kind, term.value))
    for kind, value in sorted(wanted):
        story.terms.append(StoryTerm(kind=kind, value=value))


def _snapshot(story: Story) -> dict:
    return {
        "title": story.title,
        "summary": story.summary,
        "body": story.body,
        "meta": {k: getattr(story, k) for k in META_KEYS},
    }


def _add_revision(story: Story, editor: User | None, note: str = "", when: datetime | None = None) -> StoryRevision:
    number = (
        db.session.scalar(select(func.max(StoryRevision.number)).where(StoryRevision.story_id == story.id)) or 0
    ) + 1
    snap = _snapshot(story)
    revision = StoryRevision(
        story_id=story.id,
        number=number,
        title=snap["title"],
        summary=snap["summary"],
        body=snap["body"],
        meta=snap["meta"],
        note=note[:200],
        editor_id=editor.id if editor else None,
        created_at=when or utcnow(),
    )
    db.session.add(revision)
    return revision


def create_story(author: User, data: dict, *, publish: bool = False, published_at: datetime | None = None) -> Story:
    fields = clean_fields(data)
    now = utcnow()
    story = Story(author=author, created_at=now, updated_at=now)
    _write_fields(story, fields)
    if publish or published_at:
        story.published_at = published_at or now
    db.session.add(story)
    db.session.flush()
    _add_revision(story, author, when=now)
    record_change("story", story.id)
    db.session.flush()
    return story


def revision_of(story: Story, number: int) -> StoryRevision | None:
    return db.session.scalar(
        select(StoryRevision).where(StoryRevision.story_id == story.id, StoryRevision.number == number)
    )


def update_story(
    story: Story, editor: User, data: dict, *, note: str = "", publish: bool | None = None
) -> StoryRevision | None:
    """Apply an edit; returns the new revision (None when nothing changed). ``publish``: True
    publishes a draft, False turns the story back into a draft, None keeps the state."""
    note = " ".join(clean_text(note).split())  # one tidy line in the history table
    edited = {k: getattr(story, k) for k in ("title", "summary", "body", "template") + META_KEYS}
    edited.update({k: v for k, v in data.items() if k in edited})
    fields = clean_fields(edited)
    before = _snapshot(story)
    _write_fields(story, fields)
    revision = None
    if _snapshot(story) != before:
        story.updated_at = utcnow()
        revision = _add_revision(story, editor, note)
    if publish is True and story.published_at is None:
        story.published_at = utcnow()
    elif publish is False:
        story.published_at = None
    record_change("story", story.id)
    db.session.flush()
    return revision


def restore_revision(story: Story, revision: StoryRevision, editor: User) -> StoryRevision | None:
    data = {"title": revision.title, "summary": revision.summary, "body": revision.body, **(revision.meta or {})}
    return update_story(story, editor, data, note=_("Restored from revision %(n)d", n=revision.number))


def _stamp(story: Story, attr: str, on: bool) -> None:
    """Set a moment column (kept when already set) or clear it, and tell search."""
    if not on:
        setattr(story, attr, None)
    elif getattr(story, attr) is None:
        setattr(story, attr, utcnow())
    record_change("story", story.id)


def publish(story: Story) -> None:
    _stamp(story, "published_at", True)


def unpublish(story: Story) -> None:
    _stamp(story, "published_at", False)


def hide(story: Story) -> None:
    _stamp(story, "hidden_at", True)


def unhide(story: Story) -> None:
    _stamp(story, "hidden_at", False)


def delete_story(story: Story) -> list[str]:
    """Delete a story; returns the stored attachment names for the caller to remove after commit."""
    names = [a.stored_name for a in story.attachments]
    record_change("story", story.id)
    db.session.delete(story)
    db.session.flush()
    return names


def toggle_helpful(story: Story, user: User) -> bool:
    """Mark or unmark a story as helpful; returns True when it is now marked."""
    mark = db.session.scalar(
        select(StoryHelpful).where(StoryHelpful.story_id == story.id, StoryHelpful.user_id == user.id)
    )
    if mark is None:
        db.session.add(StoryHelpful(story_id=story.id, user_id=user.id))
        marked = True
    else:
        db.session.delete(mark)
        marked = False
    db.session.flush()
    story.helpful_count = db.session.scalar(
        select(func.count(StoryHelpful.id)).where(StoryHelpful.story_id == story.id)
    )
    return marked


def has_marked_helpful(story: Story, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(StoryHelpful.id).where(StoryHelpful.story_id == story.id, StoryHelpful.user_id == user.id)
        )
        is not None
    )


def count_view(story: Story, viewer=None) -> None:
    """Note a page view of a public story; an author's own page loads are not views."""
    if not story.is_public:
        return
    if getattr(viewer, "is_authenticated", False) and viewer.id == story.author_id:
        return
    from . import view_counts

    view_counts.note(story.id)


# --------------------------------------------------------------------------- queries

SORTS = ("newest", "helpful")


def public_query():
    return select(Story).where(Story.published_at.is_not(None), Story.hidden_at.is_(None))


def _has_term(kind: str, value: str):
    return Story.id.in_(select(StoryTerm.story_id).where(StoryTerm.kind == kind, StoryTerm.value == value))


def filtered_query(filters: Filters, codes: list[str] | None = None, categories: list[str] | None = None):
    query = public_query()
    for category in categories or ([filters.category] if filters.category else []):
        query = query.where(_has_term("category", category))
    for code in codes or ([filters.code] if filters.code else []):
        query = query.where(_has_term("code", code))
    if filters.province:
        query = query.where(Story.province == filters.province)
    if filters.year:
        query = query.where(Story.year == filters.year)
    agency = filters.extra.get("agency")
    if agency:
        query = query.where(Story.agency.ilike(contains_pattern(agency), escape="\\"))
    tag = filters.extra.get("tag")
    if tag:
        query = query.where(_has_term("tag", re.sub(r"\s+", " ", tag).strip().lstrip("#").lower()[:100]))
    return query


def list_stories(filters: Filters, sort: str = "newest", per_page: int = 20, **kwargs) -> Page:
    query = filtered_query(filters, **kwargs)
    if sort == "helpful":
        query = query.order_by(Story.helpful_count.desc(), Story.published_at.desc(), Story.id.desc())
    else:
        query = query.order_by(Story.published_at.desc(), Story.id.desc())
    return paginate(query, filters.page, per_page, clamp=True)


def drafts_of(user) -> list[Story]:
    if not getattr(user, "is_authenticated", False):
        return []
    return db.session.scalars(
        select(Story)
        .where(Story.author_id == user.id, Story.published_at.is_(None))
        .order_by(Story.updated_at.desc())
        .limit(20)
    ).all()


def get_story(story_id: int) -> Story | None:
    return db.session.get(Story, story_id)


def latest(category: str | None = None, code: str | None = None, limit: int = 5) -> list[Story]:
    query = public_query()
    if category:
        query = query.where(_has_term("category", category))
    if code:
        query = query.where(_has_term("code", code))
    return db.session.scalars(query.order_by(Story.published_at.desc(), Story.id.desc()).limit(limit)).all()


class RelatedStory(NamedTuple):
    id: int
    title: str
    codes: tuple[str, ...]


def related_stories(story: Story, limit: int = 5) -> list[RelatedStory]:
    """Shared activity codes first, then shared tags, then the same category, then a search on the title.

    The list is the same for every reader: it is kept per content version (core.cache.shared)."""
    return shared(f"related-stories:{story.id}:{limit}", lambda: _visible_related(story, limit))


class _RelatedIndex(NamedTuple):
    terms: dict[tuple[str, str], tuple[int, ...]]  # (kind, value) → ids of the stories with that term
    public: dict[int, RelatedStory]  # every public story, as a related list shows it


def _related_index() -> _RelatedIndex:
    """Every story's terms and every public story's title and codes, read once per content version and
    kept in memory: a grouped query per story summed thousands of term rows (a tag or category most
    stories share), and a query for the listed titles cost as much again."""
    terms: dict[tuple[str, str], list[int]] = defaultdict(list)
    for sid, kind, value in db.session.execute(select(StoryTerm.story_id, StoryTerm.kind, StoryTerm.value)):
        terms[(kind, value)].append(sid)
    listed = public_query().with_only_columns(Story.id, Story.title, Story.codes)
    public = {sid: RelatedStory(sid, title, tuple(codes or ())) for sid, title, codes in db.session.execute(listed)}
    return _RelatedIndex({key: tuple(ids) for key, ids in terms.items()}, public)


def _visible_related(story: Story, limit: int) -> list[RelatedStory]:
    """Public stories sharing the most with ``story``: a shared activity code counts 100, a tag 10, a
    category 1 (highest id first among equals); a search on the title fills a short list."""
    index = shared("story-related-index", _related_index)
    scores: Counter[int] = Counter()
    for category in set(story.categories or ()):
        scores.update(index.terms.get(("category", category), ()))  # counted in C: categories are large
    for kind, values, weight in (("code", story.codes, 100), ("tag", [t.lower()[:100] for t in story.tags], 10)):
        for value in set(values or ()):
            for sid in index.terms.get((kind, value), ()):
                scores[sid] += weight
    own_id, ranked = story.id, []
    for sid, _score in sorted(scores.items(), key=itemgetter(1, 0), reverse=True):
        if sid in index.public and sid != own_id:
            ranked.append(sid)
            if len(ranked) == limit:
                break
    if len(ranked) < limit:
        ranked += [
            sid
            for sid in _search_similar(story, limit * 2)
            if sid in index.public and sid not in ranked and sid != own_id
        ]
    return [index.public[sid] for sid in ranked[:limit]]


def _search_similar(story: Story, limit: int) -> list[int]:
    try:
        tokens = [t for t in dict.fromkeys(segment(story.title)) if len(t) >= 3][:8]
        words = " OR ".join(tokens)
        if not words:
            return []
        results = search_service.backend().search(
            SearchRequest(text=words, types=("story",), per_page=limit, facets=False)
        )
        return [hit.id for hit in results.hits]
    except Exception:  # related stories are a nicety; a search problem must not break the page
        return []


def author_by_email(email: str) -> User | None:
    return find_user(email or "")
