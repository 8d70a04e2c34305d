"""The one Atom builder: every feed on the site is a title, two links and a list of entries.

Built with ElementTree so every text is escaped; entry content is the already sanitized HTML, sent as
escaped text inside ``type="html"`` so readers render it and the XML stays well-formed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # nosec B405  # used only to build feeds, never to parse input
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import Response

from .models import utcnow

ATOM = "http://www.w3.org/2005/Atom"


@dataclass
class Entry:
    id: str
    title: str
    url: str
    author: str
    updated: datetime | None
    html: str = ""
    published: datetime | None = None
    summary: str = ""
    categories: Sequence[str] = ()


def _iso(value: datetime | None) -> str:
    return (value or utcnow()).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent, tag: str, text: str | None = None, **attributes):
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", **attributes)
    if text is not None:
        element.text = text
    return element


def atom(
    title: str,
    self_url: str,
    alternate_url: str,
    entries: Iterable[Entry],
    feed_id: str | None = None,
    updated: datetime | None = None,
) -> bytes:
    entries = list(entries)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", feed_id or self_url)
    _add(feed, "title", title)
    _add(feed, "updated", _iso(updated or max((e.updated for e in entries if e.updated), default=None)))
    _add(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _add(feed, "link", rel="alternate", href=alternate_url, type="text/html")
    for item in entries:
        entry = _add(feed, "entry")
        _add(entry, "id", item.id)
        _add(entry, "title", item.title)
        _add(entry, "link", rel="alternate", href=item.url, type="text/html")
        if item.published:
            _add(entry, "published", _iso(item.published))
        _add(entry, "updated", _iso(item.updated))
        _add(_add(entry, "author"), "name", item.author)
        for term in item.categories:
            _add(entry, "category", term=term)
        if item.summary:
            _add(entry, "summary", item.summary)
        _add(entry, "content", item.html or "", type="html")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def atom_response(*args, **kwargs) -> Response:
    return Response(atom(*args, **kwargs), mimetype="application/atom+xml")
