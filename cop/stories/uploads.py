"""Attachments: type checked from the content (never the name), size-limited, stored under generated names.

A refused upload writes nothing: the checks run on the bytes in memory before any file or row exists.
"""
from __future__ import annotations

import io
import os
import secrets
import unicodedata
import zipfile
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..validation import ValidationError
from .models import Story, StoryAttachment

# detected type → (stored extension, MIME type we serve)
ALLOWED = {
    "application/pdf": ("pdf", "application/pdf"),
    "image/png": ("png", "image/png"),
    "image/apng": ("png", "image/png"),
    "image/jpeg": ("jpg", "image/jpeg"),
    "image/gif": ("gif", "image/gif"),
    "image/webp": ("webp", "image/webp"),
}
OFFICE = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
MAX_PER_STORY = 30


def max_bytes() -> int:
    return int(current_app.config.get("MAX_UPLOAD_MB", 20)) * 1024 * 1024


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _office_kind(data: bytes, detected: str | None) -> tuple[str, str] | None:
    """The Office type of a zip, verified from its parts: [Content_Types].xml plus word/, ppt/ or xl/."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    kinds = [kind for prefix, kind in OFFICE.items() if any(n.startswith(prefix) for n in names)]
    if len(kinds) != 1:
        return None
    if detected and detected not in ("application/zip",) and detected != kinds[0][1]:
        return None  # the signature says one Office type, the parts another
    return kinds[0]


def detect(data: bytes) -> tuple[str, str] | None:
    """(extension, MIME type) for an allowed file, from its bytes; None when not allowed."""
    guess = filetype.guess(data)
    mime = guess.mime if guess else None
    if mime in ALLOWED:
        return ALLOWED[mime]
    if mime in ("application/zip",) or (mime or "").startswith("application/vnd.openxmlformats"):
        return _office_kind(data, mime)
    return None


def clean_filename(name: str | None, ext: str) -> str:
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>:|?*').strip(" .")
    if not name:
        name = "attachment"
    stem, dot, old_ext = name.rpartition(".")
    if not dot:
        stem = name
    # Downloads carry the extension of what the file really is.
    return f"{stem[:200]}.{ext}"


def add_attachment(story: Story, uploader, storage) -> StoryAttachment:
    """Check and store one uploaded file (a werkzeug FileStorage); flushes the row."""
    if storage is None or not getattr(storage, "filename", None):
        raise ValidationError(_("Choose a file to attach."), "file")
    limit = max_bytes()
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)), "file")
    if not data:
        raise ValidationError(_("The file is empty."), "file")
    kind = detect(data)
    if kind is None:
        raise ValidationError(_("This type of file cannot be attached. Attach PDF, Word, PowerPoint or Excel "
                                "files, or PNG, JPEG, GIF or WebP images."), "file")
    if len(story.attachments) >= MAX_PER_STORY:
        raise ValidationError(_("A story may have at most %(n)d attachments.", n=MAX_PER_STORY), "file")
    ext, mime = kind
    stored = f"{secrets.token_hex(16)}.{ext}"
    attachment = StoryAttachment(story_id=story.id, stored_name=stored,
                                 original_name=clean_filename(storage.filename, ext),
                                 content_type=mime, size=len(data), uploader_id=uploader.id)
    directory = upload_dir()
    tmp = directory / f".{stored}.part"
    tmp.write_bytes(data)
    try:
        db.session.add(attachment)
        story.attachments.append(attachment)
        db.session.flush()
        os.replace(tmp, directory / stored)
    except BaseException:
        tmp.unlink(missing_ok=True)
        (directory / stored).unlink(missing_ok=True)
        raise
    return attachment


def remove_files(names: list[str]) -> None:
    """Delete stored files (after the rows are gone and committed)."""
    directory = Path(current_app.config["UPLOAD_DIR"])
    for name in names:
        if name and "/" not in name and not name.startswith("."):
            (directory / name).unlink(missing_ok=True)


def find(stored_name: str) -> StoryAttachment | None:
    from sqlalchemy import select

    return db.session.scalar(select(StoryAttachment).where(StoryAttachment.stored_name == stored_name))


def delete_attachment(attachment: StoryAttachment) -> str:
    name = attachment.stored_name
    db.session.delete(attachment)
    db.session.flush()
    return name
