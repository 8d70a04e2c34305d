"""Workshop outputs, under the stories feature's upload rules and in its store.

The rules live in ``cop/stories/uploads.py`` (type detected from the bytes, size limit, generated
names, cleaned display names); this module only applies them to an AAR. It is imported lazily so the
AAR archive loads even where the stories feature is switched off.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from flask import abort, send_from_directory
from flask_babel import gettext as _

from ..validation import ValidationError

MAX_PER_AAR = 30


@dataclass
class SavedFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int


def _rules():
    from ..stories import uploads as story_uploads

    return story_uploads


def save(storage, already: int = 0) -> SavedFile:
    """Check one uploaded file (werkzeug FileStorage) and write it to the upload store."""
    rules = _rules()
    if storage is None or not getattr(storage, "filename", None):
        raise ValidationError(_("Choose a file to attach."), "file")
    if already >= MAX_PER_AAR:
        raise ValidationError(_("An AAR may have at most %(n)d files.", n=MAX_PER_AAR), "file")
    limit = rules.max_bytes()
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)), "file")
    if not data:
        raise ValidationError(_("The file is empty."), "file")
    kind = rules.detect(data)
    if kind is None:
        raise ValidationError(_("This type of file cannot be attached. Attach PDF, Word, PowerPoint or Excel "
                                "files, or PNG, JPEG, GIF or WebP images."), "file")
    ext, mime = kind
    stored = f"{secrets.token_hex(16)}.{ext}"
    directory = rules.upload_dir()
    tmp = directory / f".{stored}.part"
    tmp.write_bytes(data)
    os.replace(tmp, directory / stored)
    return SavedFile(stored, rules.clean_filename(storage.filename, ext), mime, len(data))


def remove(stored_name: str) -> None:
    _rules().remove_files([stored_name])


def send(stored_name: str, original_name: str, content_type: str):
    directory = _rules().upload_dir()
    if not (directory / stored_name).is_file():
        abort(404)
    response = send_from_directory(directory, stored_name, mimetype=content_type,
                                   as_attachment=not content_type.startswith("image/"),
                                   download_name=original_name, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
