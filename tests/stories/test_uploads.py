"""Attachments: type from content, Office parts verified, size limit, nothing left behind when refused."""

import io
import os

import pytest

from cop.extensions import db
from cop.stories.models import StoryAttachment

from ..helpers import fresh_session
from . import files


def upload_dir_files(app):
    directory = app.config["UPLOAD_DIR"]
    return sorted(os.listdir(directory)) if os.path.isdir(directory) else []


def attachment_count(app):
    with fresh_session(app):
        return db.session.query(StoryAttachment).count()


def send(client, sid, data, name):
    return client.post(
        f"/stories/{sid}/attachments", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


@pytest.fixture
def story(make_user, make_story, login):
    author = make_user()
    login(author)
    return make_story(author)


@pytest.mark.parametrize(
    "data,name",
    [
        (files.ELF, "report.pdf"),
        (files.WINDOWS_EXE, "slides.pdf"),
        (b"just some text", "notes.pdf"),
        (files.plain_zip(), "fake.docx"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "pic.png"),
        (b"<html><script>alert(1)</script></html>", "page.pdf"),
        (b"", "empty.pdf"),
    ],
)
def test_bad_uploads_refused_and_leave_nothing(app, client, story, data, name):
    response = send(client, story, data, name)
    assert response.status_code == 422
    assert "error" in response.text
    assert upload_dir_files(app) == []
    assert attachment_count(app) == 0


def test_too_large_refused(app, client, story):
    app.config["MAX_UPLOAD_MB"] = 1
    response = send(client, story, files.PDF + b"0" * (1024 * 1024), "big.pdf")
    assert response.status_code == 422 and "1 MB" in response.text
    assert upload_dir_files(app) == [] and attachment_count(app) == 0


@pytest.mark.parametrize(
    "data,name,mime,disposition",
    [
        (files.PDF, "รายงาน ผลงาน.pdf", "application/pdf", "attachment"),
        (
            files.office("word/"),
            "report.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "attachment",
        ),
        (
            files.office("ppt/"),
            "slides",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "attachment",
        ),
        (
            files.office("xl/"),
            "sheet.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment",
        ),
        (files.PNG, "chart.gif", "image/png", "inline"),
    ],
)
def test_good_uploads_stored_and_served(app, client, story, data, name, mime, disposition):
    assert send(client, story, data, name).status_code == 302
    stored = upload_dir_files(app)
    assert len(stored) == 1 and not stored[0].startswith(name[:3])
    with fresh_session(app):
        attachment = db.session.query(StoryAttachment).one()
        url = f"/uploads/{attachment.stored_name}"
    response = client.get(url)
    assert response.status_code == 200 and response.data == data
    assert response.mimetype == mime
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    content_disposition = response.headers.get("Content-Disposition", "inline")
    assert content_disposition.startswith(disposition)
    if disposition == "attachment":
        assert "filename" in content_disposition
    assert f'href="{url}"' in client.get(f"/stories/{story}").text


def test_draft_attachments_only_for_author_and_moderators(app, client, make_user, make_story, login):
    author, moderator, member = make_user(), make_user(role="moderator"), make_user()
    sid = make_story(author, publish=False)
    login(author)
    assert send(client, sid, files.PDF, "draft.pdf").status_code == 302
    with fresh_session(app):
        url = f"/uploads/{db.session.query(StoryAttachment).one().stored_name}"
    assert client.get(url).status_code == 200
    client.post("/logout")
    assert client.get(url).status_code == 404
    login(member)
    assert client.get(url).status_code == 404
    assert send(client, sid, files.PDF, "x.pdf").status_code == 404  # may not even see the draft
    client.post("/logout")
    login(moderator)
    assert client.get(url).status_code == 200


def test_removing_attachment_and_story_deletes_files(app, client, story):
    send(client, story, files.PDF, "a.pdf")
    send(client, story, files.PNG, "b.png")
    assert len(upload_dir_files(app)) == 2
    with fresh_session(app):
        first = db.session.query(StoryAttachment).first().id
    client.post(f"/stories/{story}/attachments/{first}/delete")
    assert len(upload_dir_files(app)) == 1
    client.post(f"/stories/{story}/delete")
    assert upload_dir_files(app) == [] and attachment_count(app) == 0
    assert client.get("/uploads/../secret_key").status_code == 404
