"""vCard 4.0 (RFC 6350) for a trainer; contact lines only when the viewer may see them."""

from __future__ import annotations

from flask import request, url_for

from ..text.plain import markdown_to_text
from .models import Trainer


def _escape(value: str) -> str:
    return (value or "").replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _present(*properties: tuple[str, str | None]) -> list[str]:
    """The properties that have a value, each value escaped into its line."""
    return [line.format(_escape(value)) for line, value in properties if value]


def vcard(trainer: Trainer, with_contact: bool) -> str:
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{_escape(trainer.name)}"]
    lines += _present(
        ("ORG:{}", trainer.agency), ("TITLE:{}", trainer.position), ("ADR;TYPE=work:;;;;{};;TH", trainer.province)
    )
    if with_contact:
        if trainer.phone:
            lines.append(f"TEL;TYPE=work,voice;VALUE=uri:tel:{trainer.phone.replace(' ', '-')}")
        lines += _present(("EMAIL;TYPE=work:{}", trainer.email), ("IMPP:line:{}", trainer.line_id))
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
