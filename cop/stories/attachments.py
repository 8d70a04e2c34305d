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
    return uploads.attach(storage, story.attachments, StoryAttachment, uploader, story_id=story.id)


def find(stored_name: str) -> StoryAttachment | None:
    return db.session.scalar(select(StoryAttachment).where(StoryAttachment.stored_name == stored_name))


delete_attachment = uploads.forget  # returns the stored name: the caller removes the file after commit
