"""iCalendar feeds (RFC 5545) built with the icalendar library: Asia/Bangkok with a VTIMEZONE."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, request, url_for
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone

from ..i18n import to_bangkok
from ..models import utcnow
from ..text.plain import markdown_to_text
from .models import Clinic

PRODID = "-//PMQA CoP//clinics//TH"
ICAL_STATUS = {"planned": "TENTATIVE", "confirmed": "CONFIRMED", "cancelled": "CANCELLED", "done": "CONFIRMED"}


def _event(clinic: Clinic, base: str) -> Event:
    event = Event()
    event.add("uid", clinic.uid)
    event.add("sequence", clinic.sequence)
    event.add("dtstamp", to_bangkok(clinic.updated_at or utcnow()))
    event.add("last-modified", to_bangkok(clinic.updated_at or utcnow()))
    event.add("dtstart", to_bangkok(clinic.starts_at))
    event.add("dtend", to_bangkok(clinic.ends_at))
    event.add("summary", clinic.title)
    location = ", ".join(x for x in (clinic.venue, clinic.province) if x)
    if location:
        event.add("location", location)
    description = markdown_to_text(clinic.description)
    details = [description] if description else []
    if clinic.trainers:
        details.append(_("Trainers: %(names)s", names=", ".join(t.name for t in clinic.trainers)))
    if clinic.codes:
        details.append("PMQA: " + ", ".join(clinic.codes))
    if details:
        event.add("description", "\n\n".join(details))
    if clinic.codes:
        event.add("categories", clinic.codes)
    event.add("status", ICAL_STATUS.get(clinic.status, "TENTATIVE"))
    event.add("url", base + url_for("clinics.detail", clinic_id=clinic.id))
    return event


def calendar(clinics: list[Clinic], name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("x-wr-timezone", "Asia/Bangkok")
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    cal.add_component(Timezone.from_tzid("Asia/Bangkok"))
    base = request.host_url.rstrip("/")
    for clinic in clinics:
        cal.add_component(_event(clinic, base))
    return cal.to_ical()


def ics_response(body: bytes, filename: str, private: bool = False) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    if private:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


def webcal(url: str) -> str:
    """The subscribe form of an absolute http(s) feed URL."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme) :]
    return url
