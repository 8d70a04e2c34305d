"""Atom feeds of published stories per PMQA category and per activity code (xml.etree escapes)."""
from __future__ import annotations

import xml.etree.ElementTree as ET  # nosec B405  # used only to build feeds, never to parse input

from flask import url_for

from ..models import utcnow
from ..text.plain import markdown_to_text

ATOM = "http://www.w3.org/2005/Atom"


def _iso(value) -> str:
    return (value or utcnow()).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(title: str, self_url: str, alternate_url: str, stories) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _iso(max((s.updated_at for s in stories), default=None))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=alternate_url, type="text/html")
    for story in stories:
        url = url_for("stories.show", story_id=story.id, _external=True)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = url
        ET.SubElement(entry, f"{{{ATOM}}}title").text = story.title
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=url, type="text/html")
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _iso(story.published_at)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _iso(story.updated_at)
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = story.author.name
        for code in story.codes or []:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=code)
        if story.summary:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = markdown_to_text(story.summary)
        # The sanitized HTML, as escaped text inside type="html": readers render it, XML stays well-formed.
        ET.SubElement(entry, f"{{{ATOM}}}content", type="html").text = story.body_html or ""
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
