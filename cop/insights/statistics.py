"""Figures for coordinators: content per category and per fiscal year, clinics and registrations per region."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..aar.models import Aar
from ..accounts.models import User
from ..clinics.models import Clinic, Registration
from ..extensions import db
from ..i18n import fiscal_year_be, to_bangkok
from ..models import utcnow
from ..stories.models import Story
from ..taxonomy import categories, province_regions, regions
from ..threads.models import Thread
from .counts import Tally, content_counts


@dataclass
class YearRow:
    year: int | None  # Buddhist-Era fiscal year; None: stories that give no year
    stories: int = 0
    threads: int = 0
    aars: int = 0
    clinics: int = 0
    members: int = 0


@dataclass
class RegionRow:
    key: str
    name_th: str
    name_en: str
    upcoming: int = 0
    past: int = 0
    registered: int = 0
    waitlisted: int = 0
    cancelled: int = 0

    @property
    def clinics(self) -> int:
        return self.upcoming + self.past


@dataclass
class Statistics:
    per_category: list[tuple[object, Tally]]
    per_year: list[YearRow]
    per_region: list[RegionRow]
    totals: dict = field(default_factory=dict)


def _per_year() -> list[YearRow]:
    rows: dict[int | None, YearRow] = {}

    def row(year):
        return rows.setdefault(year, YearRow(year))

    # a story's year is the fiscal year its writer gives (Buddhist Era)
    for year, n in db.session.execute(
        select(Story.year, func.count(Story.id))
        .where(Story.published_at.is_not(None), Story.hidden_at.is_(None))
        .group_by(Story.year)
    ):
        row(year).stories = n
    # the others fall in the fiscal year of their date (1 Oct – 30 Sep, Bangkok time)
    dated = (
        ("threads", select(Thread.created_at).where(Thread.hidden.is_(False))),
        ("aars", select(Aar.held_on).where(Aar.status == "published")),
        ("clinics", select(Clinic.starts_at).where(Clinic.status != "cancelled")),
        ("members", select(User.created_at)),
    )
    for attr, query in dated:
        tally = Counter(
            fiscal_year_be(to_bangkok(v).date() if hasattr(v, "hour") else v) for v in db.session.scalars(query)
        )
        for year, n in tally.items():
            setattr(row(year), attr, n)
    return sorted(rows.values(), key=lambda r: (r.year is None, r.year or 0))


def _per_region() -> list[RegionRow]:
    by_key = {r["key"]: RegionRow(r["key"], r["name_th"], r["name_en"]) for r in regions()}
    unknown = RegionRow("", "ไม่ระบุจังหวัด", "No province")
    where = province_regions()
    now = utcnow()
    for province, ends_at in db.session.execute(
        select(Clinic.province, Clinic.ends_at).where(Clinic.status != "cancelled")
    ):
        target = by_key.get(where.get(province or ""), unknown)
        if ends_at >= now:
            target.upcoming += 1
        else:
            target.past += 1
    for province, status, n in db.session.execute(
        select(Clinic.province, Registration.status, func.count(Registration.id))
        .join(Clinic, Clinic.id == Registration.clinic_id)
        .group_by(Clinic.province, Registration.status)
    ):
        target = by_key.get(where.get(province or ""), unknown)
        if status in ("registered", "waitlisted", "cancelled"):
            setattr(target, status, getattr(target, status) + n)
    rows = list(by_key.values())
    if unknown.clinics or unknown.registered or unknown.waitlisted or unknown.cancelled:
        rows.append(unknown)
    return rows


def gather() -> Statistics:
    counts = content_counts()
    per_category = [(c, counts.by_category[c.key]) for c in categories()]
    per_region = _per_region()
    totals = {
        "stories": db.session.scalar(
            select(func.count(Story.id)).where(Story.published_at.is_not(None), Story.hidden_at.is_(None))
        )
        or 0,
        "threads": db.session.scalar(select(func.count(Thread.id)).where(Thread.hidden.is_(False))) or 0,
        "aars": db.session.scalar(select(func.count(Aar.id)).where(Aar.status == "published")) or 0,
        "clinics": sum(r.clinics for r in per_region),
        "registered": sum(r.registered for r in per_region),
        "members": db.session.scalar(select(func.count(User.id))) or 0,
    }
    return Statistics(per_category, _per_year(), per_region, totals)
