"""Backup → restore into an empty instance: the same content, accounts, attachments and search."""

import io
import json
import os

from cop.extensions import db
from cop.stories.models import StoryAttachment

from .. import pg
from ..helpers import PASSWORD, close_app, fresh_session, make_app
from ..stories import files


def _export(runner, path):
    result = runner.invoke(args=["export", str(path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(path.read_text())
    for section in doc.values():  # ids aside
        if isinstance(section, list):
            for item in section:
                item.pop("id", None)
    return doc


def test_backup_and_restore_round_trip(app, client, runner, make_user, login, tmp_path):
    author = make_user(role="member", name="นักเขียน ทดสอบ")
    login(author)
    response = client.post(
        "/stories/new",
        data={
            "title": "การจัดการความรู้ด้วยชุมชนนักปฏิบัติ",
            "summary": "สรุป",
            "body": "ผู้รับบริการพึงพอใจ",
            "agency": "กรมทดสอบ",
            "province": "ขอนแก่น",
            "year": "2553",
            "codes": "SP7",
            "tags": "",
            "publish": "1",
        },
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text[:500]
    story_path = response.headers["Location"]
    story_id = int(story_path.rstrip("/").split("/")[-1])
    assert (
        client.post(
            f"/stories/{story_id}/attachments",
            data={"file": (io.BytesIO(files.PDF), "รายงาน.pdf")},
            content_type="multipart/form-data",
        ).status_code
        == 302
    )
    with fresh_session(app):
        stored = db.session.query(StoryAttachment).one().stored_name
    before = _export(runner, tmp_path / "before.json")

    result = runner.invoke(args=["backup", str(tmp_path / "bk")])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    assert runner.invoke(args=["backup", str(tmp_path / "bk")]).exit_code != 0  # never over a backup

    fresh = make_app(tmp_path / "fresh")
    try:
        fresh_runner = fresh.test_cli_runner()
        result = fresh_runner.invoke(args=["restore", str(tmp_path / "bk")])
        assert result.exit_code == 0, result.output
        assert "Indexing" in result.output and "indexed" in result.output
        assert _export(fresh_runner, tmp_path / "after.json") == before
        # a second restore over data is refused unless asked for
        assert fresh_runner.invoke(args=["restore", str(tmp_path / "bk")]).exit_code != 0
        assert fresh_runner.invoke(args=["search", "check"]).exit_code == 0

        other = fresh.test_client()
        # the same account and password (hashes kept), the same page, the attachment's bytes
        assert other.post("/login", data={"email": author, "password": PASSWORD}).status_code == 302
        page = other.get(story_path)
        assert page.status_code == 200 and "การจัดการความรู้ด้วยชุมชนนักปฏิบัติ" in page.text
        attachment = other.get(f"/uploads/{stored}")
        assert attachment.status_code == 200 and attachment.data == files.PDF
        found = other.get("/api/v1/search", query_string={"q": "ชุมชนนักปฏิบัติ"}).get_json()
        assert [r["id"] for r in found["results"] if r["type"] == "story"] == [story_id]
        # new rows continue after the restored ids
        login_again = other.post(
            "/stories/new",
            data={
                "title": "เรื่องใหม่หลังกู้คืน",
                "summary": "ส",
                "body": "เนื้อหา",
                "agency": "ก",
                "province": "ขอนแก่น",
                "year": "2553",
                "codes": "",
                "tags": "",
                "publish": "1",
            },
        )
        assert login_again.status_code in (302, 303)
        assert int(login_again.headers["Location"].rstrip("/").split("/")[-1]) > story_id
    finally:
        close_app(fresh)
        if pg.ADMIN_URL:
            pg.drop_database(fresh.config["SQLALCHEMY_DATABASE_URI"])


def test_restore_refuses_what_is_not_a_backup(runner, tmp_path):
    os.makedirs(tmp_path / "junk")
    result = runner.invoke(args=["restore", str(tmp_path / "junk")])
    assert result.exit_code != 0 and "no readable backup" in result.output
