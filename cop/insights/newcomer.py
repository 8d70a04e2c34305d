"""What the home page shows a newcomer: one PMQA category or code (or everything), seen together.

Built from the features' own service functions: stories.services.list_stories (most helpful first;
latest() when nothing is picked),
threads.services.key_lessons / list_threads / reply_counts, trainers.services.list_trainers and
clinics.services.list_clinics and aar.services.list_published. Only the ordering of trainers by closeness is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from ..aar import services as aar_services
from ..clinics import services as clinic_services
from ..listing import Filters
from ..stories import services as story_services
from ..taxonomy import (
    Category,
    Code,
    category_map,
    code_map,
    get_category,
    normalize_code,
    normalize_province,
    province_regions,
)
from ..text.markup import plain_text
from ..threads import services as thread_services
from ..trainers import services as trainer_services

LIMIT = 5


@dataclass
class Topic:
    category: Category | None = None
    code: Code | None = None

    @property
    def chosen(self) -> bool:
        return self.category is not None or self.code is not None

    @property
    def args(self) -> dict:
        if self.code:
            return {"code": self.code.code}
        if self.category:
            return {"category": self.category.key}
        return {}

    @property
    def value(self) -> str:
        """The value of the topic picker's option for this topic."""
        return self.code.code if self.code else (self.category.key if self.category else "")


@dataclass
class Lesson:
    title: str
    url: str
    lesson: str
    author: str


@dataclass
class Question:
    title: str
    url: str
    replies: int


@dataclass
class NearbyTrainer:
    trainer: object
    closeness: str  # "province", "region" or ""


@dataclass
class Together:
    topic: Topic
    province: str | None
    stories: list = field(default_factory=list)
    stories_total: int | None = None  # None: not counted (the unfiltered home page)
    lessons: list[Lesson] = field(default_factory=list)
    open_questions: list[Question] = field(default_factory=list)
    open_total: int = 0
    recent_questions: list[Question] = field(default_factory=list)  # when every question has an answer
    trainers: list[NearbyTrainer] = field(default_factory=list)
    trainers_total: int = 0
    clinics: list = field(default_factory=list)
    clinics_total: int = 0
    aars: list = field(default_factory=list)
    aars_total: int = 0

    def more(self, endpoint: str, **extra) -> str:
        return url_for(endpoint, **self.topic.args, **extra)


def parse_topic(args) -> Topic:
    """`topic` (the picker: a code or a category key), or `code` / `category` as in list pages."""
    raw = (args.get("topic") or args.get("code") or "").strip()
    code = normalize_code(raw) if raw else None
    if code:
        found = code_map()[code]
        return Topic(category=category_map()[found.category], code=found)
    raw_category = (args.get("topic") or args.get("category") or "").strip()
    category = get_category(raw_category) if raw_category else None
    return Topic(category=category)


def home_province(args, user) -> str | None:
    """A province picked in the form wins; otherwise the logged-in member's own."""
    picked = normalize_province(args.get("province"))
    if picked:
        return picked
    if getattr(user, "is_authenticated", False):
        return normalize_province(getattr(user, "province", None))
    return None


def _short(html: str, limit: int = 220) -> str:
    text = " ".join(plain_text(html).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _questions(threads) -> list[Question]:
    counts = thread_services.reply_counts([t.id for t in threads])
    return [Question(t.title, t.url, counts.get(t.id, 0)) for t in threads]


def nearby_trainers(trainers, province: str | None) -> list[NearbyTrainer]:
    """Same province first, then the same region, then everyone else (each in directory order)."""
    region = province_regions().get(province or "")
    ranked = []
    for index, trainer in enumerate(trainers):
        if province and trainer.province == province:
            closeness, rank = "province", 0
        elif region and province_regions().get(trainer.province or "") == region:
            closeness, rank = "region", 1
        else:
            closeness, rank = "", 2
        ranked.append((rank, index, NearbyTrainer(trainer, closeness)))
    return [item for _rank, _index, item in sorted(ranked, key=lambda r: (r[0], r[1]))]


def together(topic: Topic, province: str | None, viewer=None) -> Together:
    code = topic.code.code if topic.code else None
    category = None if code else (topic.category.key if topic.category else None)
    result = Together(topic, province)

    if topic.chosen:  # a topic's best stories: most helpful first
        page = story_services.list_stories(Filters(category=category, code=code), sort="helpful", per_page=LIMIT)
        result.stories, result.stories_total = page.items, page.total
    else:  # no topic yet: the newest across everything (and no count over the whole table)
        result.stories = story_services.latest(limit=LIMIT)

    result.lessons = [
        Lesson(t.title, r.url, _short(r.body_html), r.author.name)
        for t, r in thread_services.key_lessons(code=code, category=category, limit=4)
    ]

    found = thread_services.list_threads(category=category, code=code, answered=False, viewer=viewer, per_page=LIMIT)
    threads, result.open_total = found.items, found.total
    result.open_questions = _questions(threads)
    if not threads:
        recent = thread_services.list_threads(category=category, code=code, viewer=viewer, per_page=3).items
        result.recent_questions = _questions(recent)

    trainers = trainer_services.list_trainers(code=code, category=category)
    result.trainers_total = len(trainers)
    result.trainers = nearby_trainers(trainers, province)[:LIMIT]

    clinics = clinic_services.list_clinics(code=code, category=category, include_cancelled=False)
    result.clinics_total = len(clinics)
    result.clinics = clinics[:LIMIT]

    found = aar_services.list_published(per_page=3, category=category, code=code)
    result.aars, result.aars_total = found.items, found.total
    return result
