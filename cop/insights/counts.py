"""How much public content each PMQA code and category has — read-only queries over the features' tables.

The features' services list and filter items but offer no per-code counts, so these few GROUP BY queries
live here. Each counts only what everyone may see: published, unhidden stories; visible threads;
published AARs; every trainer profile.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..aar.models import Aar, AarTag
from ..extensions import db
from ..stories.models import Story, StoryTerm
from ..threads.models import Thread, ThreadTag
from ..trainers.models import Trainer, TrainerCode
from ..taxonomy import categories

KINDS = ("stories", "threads", "trainers", "aars")


@dataclass
class Tally:
    stories: int = 0
    threads: int = 0
    trainers: int = 0
    aars: int = 0

    @property
    def total(self) -> int:
        return self.stories + self.threads + self.trainers + self.aars


@dataclass
class Counts:
    by_code: dict[str, Tally] = field(default_factory=dict)
    by_category: dict[str, Tally] = field(default_factory=dict)


def _rows(kind: str, tag_kind: str):
    """(value, count) pairs for one content kind and one tag kind ("code" or "category")."""
    if kind == "stories":
        query = (select(StoryTerm.value, func.count(func.distinct(StoryTerm.story_id)))
                 .join(Story, Story.id == StoryTerm.story_id)
                 .where(StoryTerm.kind == tag_kind, Story.published_at.is_not(None), Story.hidden_at.is_(None))
                 .group_by(StoryTerm.value))
    elif kind == "threads":
        query = (select(ThreadTag.value, func.count(func.distinct(ThreadTag.thread_id)))
                 .join(Thread, Thread.id == ThreadTag.thread_id)
                 .where(ThreadTag.kind == tag_kind, Thread.hidden.is_(False))
                 .group_by(ThreadTag.value))
    elif kind == "aars":
        query = (select(AarTag.value, func.count(func.distinct(AarTag.aar_id)))
                 .join(Aar, Aar.id == AarTag.aar_id)
                 .where(AarTag.kind == tag_kind, Aar.status == "published")
                 .group_by(AarTag.value))
    elif tag_kind == "code":  # trainers are filed by code only
        query = (select(TrainerCode.code, func.count(func.distinct(TrainerCode.trainer_id)))
                 .join(Trainer, Trainer.id == TrainerCode.trainer_id).group_by(TrainerCode.code))
    else:
        return []
    return db.session.execute(query).all()


def _trainers_per_category() -> dict[str, int]:
    """A trainer counts once under each category one of their codes belongs to."""
    owner = {code.code: c.key for c in categories() for code in c.codes}
    seen: dict[str, set[int]] = {}
    for trainer_id, code in db.session.execute(select(TrainerCode.trainer_id, TrainerCode.code)):
        if code in owner:
            seen.setdefault(owner[code], set()).add(trainer_id)
    return {key: len(ids) for key, ids in seen.items()}


def content_counts() -> Counts:
    counts = Counts(by_code={code.code: Tally() for c in categories() for code in c.codes},
                    by_category={c.key: Tally() for c in categories()})
    for kind in KINDS:
        for value, n in _rows(kind, "code"):
            if value in counts.by_code:
                setattr(counts.by_code[value], kind, n)
        if kind == "trainers":
            rows = _trainers_per_category().items()
        else:
            rows = _rows(kind, "category")
        for value, n in rows:
            if value in counts.by_category:
                setattr(counts.by_category[value], kind, n)
    return counts
