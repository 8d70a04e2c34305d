"""The "aars" section of the interchange format (README, "Interchange format"): exactly its keys, nothing more.

Province, agencies, extra categories, links and action items are kept in the UI only; categories
follow from the codes. On import the province is read from the venue and action items written in
the notes' "รายการติดตาม" section become tracked items (the body itself is kept as written).
An imported AAR with all four answers is published; otherwise it stays a draft.
"""

import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.services import find_user
from ..extensions import db
from ..interchange.sections import Section, register_section
from ..taxonomy import provinces
from . import services
from .models import ANSWERS, Aar

KEYS = (
    "title",
    "held_on",
    "venue",
    "facilitators",
    "participants",
    "codes",
    "expected",
    "actual",
    "why",
    "next_time",
    "body",
)


def _exists(item: dict) -> bool:
    return services.find_by_key(str(item.get("title", "")), item.get("held_on")) is not None


def _province_in(venue: str) -> str | None:
    """The province a venue names ("… จังหวัดขอนแก่น"), so imported AARs can be filtered by province."""
    for name in sorted(provinces(), key=len, reverse=True):
        if f"จังหวัด{name}" in venue or f"จ.{name}" in venue or (name == "กรุงเทพมหานคร" and name in venue):
            return name
    return None


# "- what — ผู้รับผิดชอบ: owner — กำหนดเสร็จ: 2010-12-31 — สถานะ: เสร็จแล้ว" under a "## รายการติดตาม" heading
_ACTION_RE = re.compile(
    r"^[-*]\s+(?P<what>.+?)\s+[—–-]\s+ผู้รับผิดชอบ:\s*(?P<owner>.+?)"
    r"(?:\s+[—–-]\s+กำหนดเสร็จ:\s*(?P<due>\d{4}-\d{2}-\d{2}))?"
    r"(?:\s+[—–-]\s+สถานะ:\s*(?P<state>.+?))?\s*$"
)
_DONE = ("เสร็จแล้ว", "เสร็จ", "done")
_DROPPED = ("ยกเลิก", "dropped")


def actions_in(body: str) -> list[dict]:
    """Action items written in the notes' "รายการติดตาม" section (the seeds' shape), to track them."""
    found, inside = [], False
    for line in (body or "").splitlines():
        if line.startswith("#"):
            inside = "รายการติดตาม" in line
            continue
        match = _ACTION_RE.match(line.strip()) if inside else None
        if match:
            state = (match["state"] or "").strip()
            found.append(
                {
                    "what": match["what"][:500],
                    "owner": match["owner"][:200],
                    "due_on": match["due"],
                    "state": "done" if state in _DONE else "dropped" if state in _DROPPED else "open",
                    "reason": state if state in _DROPPED else "",
                }
            )
    return found


def _import(item: dict) -> Aar:
    facilitators = item.get("facilitators") or []
    if isinstance(facilitators, str):
        facilitators = [facilitators]
    author = find_user(str(facilitators[0])) if facilitators else None
    complete = all(str(item.get(name) or "").strip() for name in ANSWERS)
    venue = str(item.get("venue") or "")
    aar = services.create_aar(
        author,
        publish=complete,
        title=item.get("title"),
        held_on=item.get("held_on"),
        venue=venue,
        province=_province_in(venue),
        participants=item.get("participants"),
        facilitators=facilitators,
        codes=item.get("codes") or [],
        expected=item.get("expected"),
        actual=item.get("actual"),
        why=item.get("why"),
        next_time=item.get("next_time"),
        body=item.get("body"),
    )
    for action in actions_in(aar.body):
        services.add_action(aar, **action)
    return aar


def _export() -> list[dict]:
    rows = db.session.scalars(
        select(Aar)
        .options(selectinload(Aar.tags), selectinload(Aar.facilitator_links))
        .order_by(Aar.held_on, Aar.title, Aar.id)
    ).all()
    return [
        {
            "title": a.title,
            "held_on": a.held_on.isoformat(),
            "venue": a.venue,
            "facilitators": [u.email for u in a.facilitators],
            "participants": a.participants,
            "codes": a.codes,
            "expected": a.expected,
            "actual": a.actual,
            "why": a.why,
            "next_time": a.next_time,
            "body": a.body,
        }
        for a in rows
    ]


def register() -> None:
    register_section(Section("aars", KEYS, ("title", "held_on"), _exists, _import, _export, order=60))
