"""The one upload store: type checked from the content (never the name), size-limited, stored under
generated names, served under one download policy. Stories and AARs keep their own attachment rows.

A refused upload writes nothing: the checks run on the bytes in memory before any file exists.
"""

from __future__ import annotations

import io
import os
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import filetype
from flask import abort, current_app, send_from_directory
from flask_babel import gettext as _

from .extensions import db
from .validation import ValidationError

T = TypeVar("T")

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


@dataclass
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int


def store(storage) -> StoredFile:
    """Check one uploaded file (a werkzeug FileStorage) and write it under a generated name.

    The caller adds its row and removes the file again if that row is not committed."""
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
        raise ValidationError(
            _(
                "This type of file cannot be attached. Attach PDF, Word, PowerPoint or Excel "
                "files, or PNG, JPEG, GIF or WebP images."
            ),
            "file",
        )
    ext, mime = kind
    stored = f"{secrets.token_hex(16)}.{ext}"
    directory = upload_dir()
    tmp = directory / f".{stored}.part"
    tmp.write_bytes(data)
    os.replace(tmp, directory / stored)
    return StoredFile(stored, clean_filename(storage.filename, ext), mime, len(data))


def attach(storage, rows: list, make_row: Callable[..., T], uploader=None, **keys) -> T:
    """Store the file and append its row, ``make_row(...)``, to ``rows`` (the owner's attachments), flushed.

    The file goes again if the row fails."""
    saved = store(storage)
    try:
        row = make_row(
            stored_name=saved.stored_name,
            original_name=saved.original_name,
            content_type=saved.content_type,
            size=saved.size,
            uploader_id=uploader.id if uploader else None,
            **keys,
        )
        rows.append(row)
        db.session.flush()
    except BaseException:
        remove_files([saved.stored_name])
        raise
    return row


def forget(row) -> str:
    """Delete an attachment row; returns its stored name so the caller removes the file after commit."""
    name = row.stored_name
    db.session.delete(row)
    db.session.flush()
    return name


def remove_files(names: list[str]) -> None:
    """Delete stored files (after the rows are gone and committed)."""
    directory = Path(current_app.config["UPLOAD_DIR"])
    for name in names:
        if name and "/" not in name and not name.startswith("."):
            (directory / name).unlink(missing_ok=True)


# One download policy: never sniffed, never scripted; images inline, documents as downloads; only
# files of public content may be cached.
DOWNLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def send(stored_name: str, original_name: str, content_type: str, *, public: bool):
    directory = Path(current_app.config["UPLOAD_DIR"])
    if not (directory / stored_name).is_file():
        abort(404)
    response = send_from_directory(
        directory,
        stored_name,
        mimetype=content_type,
        as_attachment=not content_type.startswith("image/"),
        download_name=original_name,
        max_age=3600 if public else 0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    if not public:
        response.headers["Cache-Control"] = "private, no-store"
    return response
