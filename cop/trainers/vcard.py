"""vCard 4.0 (RFC 6350) for a trainer; contact lines only when the viewer may see them."""

from __future__ import annotations

from flask import request, url_for

from ..text.plain import markdown_to_text
from .models import Trainer


def _escape(value: str) -> str:
    return (value or "").replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def vcard(trainer: Trainer, with_contact: bool) -> str:
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{_escape(trainer.name)}"]
    if trainer.agency:
        lines.append(f"ORG:{_escape(trainer.agency)}")
    if trainer.position:
        lines.append(f"TITLE:{_escape(trainer.position)}")
    if trainer.province:
        lines.append(f"ADR;TYPE=work:;;;;{_escape(trainer.province)};;TH")
    if with_contact:
        if trainer.phone:
            lines.append(f"TEL;TYPE=work,voice;VALUE=uri:tel:{trainer.phone.replace(' ', '-')}")
        if trainer.email:
            lines.append(f"EMAIL;TYPE=work:{_escape(trainer.email)}")
        if trainer.line_id:
            lines.append(f"IMPP:line:{_escape(trainer.line_id)}")
    note = markdown_to_text(trainer.bio)
    if note:
        lines.append(f"NOTE:{_escape(note)}")
    lines.append(f"URL:{request.host_url.rstrip('/')}{url_for('trainers.detail', trainer_id=trainer.id)}")
    lines.append("END:VCARD")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _fold(line: str, limit: int = 75) -> str:
    """RFC 6350 3.2: lines longer than 75 octets continue on lines that start with a space."""
    parts, current = [], ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > limit:
            parts.append(current)
            current = " "
        current += ch
    parts.append(current)
    return "\r\n".join(parts)
