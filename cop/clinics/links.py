"""Small helpers other features call: the AAR archive links a review to the clinic it followed.

The AAR feature registers a finder once (in its ``init_app``)::

    from cop.clinics.links import register_aar_finder
    register_aar_finder(lambda clinic_id: {"title": aar.title, "url": f"/aar/{aar.id}"} or None)

and may use ``past_clinic_choices()`` for a "which clinic was this?" select and ``clinic_link(id)``
to show the clinic on the review's page. A past clinic's page shows what the finder returns.
"""

from __future__ import annotations

from typing import Callable

from ..extensions import db
from ..i18n import to_bangkok
from .models import Clinic
from .services import past_clinics

_aar_finders: list[Callable[[int], dict | None]] = []


def register_aar_finder(finder: Callable[[int], dict | None]) -> None:
    if finder not in _aar_finders:
        _aar_finders.append(finder)


def aar_for(clinic_id: int) -> dict | None:
    for finder in _aar_finders:
        found = finder(clinic_id)
        if found:
            return found
    return None


def clinic_link(clinic_id: int) -> dict | None:
    """{"id", "title", "url", "starts_on"} for a clinic, or None."""
    clinic = db.session.get(Clinic, clinic_id)
    if clinic is None:
        return None
    return {
        "id": clinic.id,
        "title": clinic.title,
        "url": f"/clinics/{clinic.id}",
        "starts_on": to_bangkok(clinic.starts_at).date().isoformat(),
    }


def past_clinic_choices(limit: int = 200) -> list[tuple[int, str]]:
    """(id, "2027-02-18 title") for clinics that have taken place, newest first."""
    return [(c.id, f"{to_bangkok(c.starts_at):%Y-%m-%d} {c.title}") for c in past_clinics(limit)]
