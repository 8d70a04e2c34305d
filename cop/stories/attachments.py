"""A story's attachment rows; the files themselves live in the shared upload store (``cop/uploads.py``)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from .. import uploads
from ..extensions import db
from ..validation import ValidationError
from .models import Story, StoryAttachment

MAX_PER_STORY = 30


def add_attachment(story: Story, uploader, storage) -> StoryAttachment:
    """Check and store one uploaded file (a werkzeug FileStorage); flushes the row."""
    if len(story.attachments) >= MAX_PER_STORY:
        raise ValidationError(_("A story may have at most %(n)d attachments.", n=MAX_PER_STORY), "file")

    def add_row(saved: uploads.StoredFile) -> StoryAttachment:
        attachment = StoryAttachment(
            story_id=story.id,
            stored_name=saved.stored_name,
            original_name=saved.original_name,
            content_type=saved.content_type,
            size=saved.size,
            uploader_id=uploader.id,
        )
        story.attachments.append(attachment)
        return attachment

    return uploads.attach(storage, add_row)


def find(stored_name: str) -> StoryAttachment | None:
    return db.session.scalar(select(StoryAttachment).where(StoryAttachment.stored_name == stored_name))


def delete_attachment(attachment: StoryAttachment) -> str:
    """Forget the attachment; returns its stored name so the caller removes the file after commit."""
    name = attachment.stored_name
    db.session.delete(attachment)
    db.session.flush()
    return name
