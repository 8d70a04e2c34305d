"""A seeded site with one object of each kind and one account per role, shared by a module's tests.

`world.restore()` puts the database and the upload folder back as they were after seeding, so a test
that deleted or changed something leaves nothing behind for the next one.
"""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from cop.extensions import db

from ..helpers import PASSWORD, close_database, fresh_session, make_app

ROLES = ("anonymous", "member", "author", "coordinator", "facilitator", "moderator", "admin")


@dataclass
class World:
    app: object
    data_dir: Path
    ids: dict = field(default_factory=dict)  # URL variable name -> value
    users: dict = field(default_factory=dict)  # role -> (id, session_version, email)
    tokens: dict = field(default_factory=dict)  # role -> API token
    dirty: bool = False

    def snapshot(self):
        close_database(self.app)
        shutil.copy(self.data_dir / "cop.sqlite3", self.data_dir / "template.sqlite3")
        shutil.copytree(self.data_dir / "uploads", self.data_dir / "uploads.template", dirs_exist_ok=True)

    def restore(self):
        close_database(self.app)
        for suffix in ("-wal", "-shm"):
            (self.data_dir / f"cop.sqlite3{suffix}").unlink(missing_ok=True)
        shutil.copy(self.data_dir / "template.sqlite3", self.data_dir / "cop.sqlite3")
        shutil.rmtree(self.data_dir / "uploads", ignore_errors=True)
        shutil.copytree(self.data_dir / "uploads.template", self.data_dir / "uploads")
        self.dirty = False

    def client(self, role: str):
        """A test client signed in as ROLE (the session cookie a real login would leave)."""
        client = self.app.test_client()
        if role != "anonymous":
            uid, version, _email = self.users[role]
            with client.session_transaction() as sess:
                sess["_user_id"] = f"{uid}:{version}"
                sess["_fresh"] = True
        return client


def build_world(data_dir: Path) -> World:
    from datetime import timedelta

    from cop.aar.models import Aar, AarAttachment, ActionItem
    from cop.accounts import services as accounts
    from cop.clinics.models import CalendarToken, Clinic, Hotline, HotlineShift
    from cop.models import utcnow
    from cop.notifications.models import Notification
    from cop.stories.models import Story, StoryAttachment, StoryRevision
    from cop.threads.models import Reply, Report, Thread
    from cop.trainers.models import Trainer

    # Restoring works by copying the SQLite file back, so this world is on SQLite even in the PostgreSQL stage.
    app = make_app(data_dir, DATABASE_URL=f"sqlite:///{data_dir / 'cop.sqlite3'}", SEARCH_BACKEND="whoosh")
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    world = World(app=app, data_dir=data_dir)
    with fresh_session(app):
        people = {}
        for role in ROLES[1:]:
            user = accounts.create_user(
                email=f"{role}@matrix.example",
                name=f"ผู้ทดสอบ {role}",
                password=PASSWORD,
                role="member" if role == "author" else role,
            )
            people[role] = user
            world.tokens[role] = accounts.issue_token(user, "matrix")
        db.session.flush()
        author = people["author"]
        first = lambda model, *where: db.session.scalars(select(model).where(*where).order_by(model.id)).first()  # noqa: E731

        story = first(Story, Story.published_at.is_not(None))
        story.author_id = author.id
        revision = first(StoryRevision, StoryRevision.story_id == story.id)
        upload_dir = Path(app.config["UPLOAD_DIR"])
        upload_dir.mkdir(parents=True, exist_ok=True)
        (upload_dir / "matrixstoryfile.txt").write_text("แนวทางปฏิบัติ")
        (upload_dir / "matrixaarfile.txt").write_text("ผลการประชุม")
        story_file = StoryAttachment(
            story_id=story.id,
            stored_name="matrixstoryfile.txt",
            original_name="notes.txt",
            content_type="text/plain",
            size=10,
            uploader_id=author.id,
        )
        thread = first(Thread)
        thread.author_id = author.id
        reply = first(Reply, Reply.thread_id == thread.id)
        reply.author_id = author.id
        thread.created_at = reply.created_at = utcnow()  # inside the authors' edit window
        report = Report(
            post_type="reply",
            post_id=reply.id,
            thread_id=thread.id,
            reporter_id=people["member"].id,
            reason="ทดสอบรายงาน",
        )
        aar = first(Aar)
        aar.created_by_id = author.id
        action = first(ActionItem, ActionItem.aar_id == aar.id)
        aar_file = AarAttachment(
            aar_id=aar.id,
            stored_name="matrixaarfile.txt",
            original_name="outputs.txt",
            content_type="text/plain",
            size=10,
            uploader_id=author.id,
        )
        clinic = first(Clinic, Clinic.starts_at > utcnow()) or first(Clinic)
        hotline = first(Hotline)
        shift = HotlineShift(
            hotline_id=hotline.id,
            staff_name="เจ้าหน้าที่ เวร",
            starts_at=utcnow() + timedelta(days=1),
            ends_at=utcnow() + timedelta(days=1, hours=4),
        )
        trainer = first(
            Trainer, Trainer.contact_consent.is_(False), Trainer.user_id.is_(None)
        )  # it shows the request form
        trainer.user_id = author.id
        note = Notification(user_id=author.id, kind="reply", text="มีคำตอบใหม่", url=f"/threads/{thread.id}")
        calendar = CalendarToken(user_id=author.id, token="matrixcalendartoken0123456789")
        db.session.add_all([story_file, report, aar_file, shift, note, calendar])
        db.session.flush()
        api_token = db.session.scalars(select(accounts.ApiToken).where(accounts.ApiToken.user_id == author.id)).first()
        world.ids = {
            "story_id": story.id,
            "slug": "story",
            "number": revision.number,
            "attachment_id": story_file.id,
            "name": "matrixstoryfile.txt",
            "thread_id": thread.id,
            "reply_id": reply.id,
            "report_id": report.id,
            "aar_id": aar.id,
            "item_id": action.id,
            "aar_attachment_id": aar_file.id,
            "clinic_id": clinic.id,
            "hotline_id": hotline.id,
            "shift_id": shift.id,
            "trainer_id": trainer.id,
            "note_id": note.id,
            "token_id": api_token.id,
            "user_id": people["member"].id,
            "token": accounts.reset_token(author),
            "calendar_token": "matrixcalendartoken0123456789",
            "key": "1",
            "raw": "LD1",
            "code": "LD1",
            "province": "ขอนแก่น",
            "filename": "css/app.css",
        }
        db.session.commit()
        for role, user in people.items():
            world.users[role] = (user.id, user.session_version, user.email)
    world.snapshot()
    return world
