"""Four gunicorn workers, twenty writers through the API, one worker killed with -9 mid-run:
every write that was acknowledged (201) is kept and searchable, and `search check` is clean after the
outbox replay a restarted worker does. Runs on SQLite + Whoosh, and on PostgreSQL (database and search
backend) when the suite runs with COP_TEST_DATABASE_URL / COP_TEST_SEARCH_BACKEND."""

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request

from sqlalchemy import select

from cop.accounts import services as account_services
from cop.accounts.models import User
from cop.extensions import db
from cop.search import service as search_service
from cop.search.base import SearchRequest
from cop.stories.models import Story

from ..helpers import fresh_session
from .gunicorn_helpers import Gunicorn, app_env

WRITERS = 20
PER_WRITER = 6
KILL_AFTER = 25  # acknowledged writes before the kill


def _word(n: int) -> str:
    """A unique Latin word per story (letters only: one token, stemmed the same at index and query)."""
    out = ""
    for _ in range(3):
        n, r = divmod(n, 26)
        out += chr(97 + r)
    return "zq" + out + "zq"


def _post(base, token, payload):
    req = urllib.request.Request(
        base + "/api/v1/stories",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, json.loads(r.read())


def test_kill_9_a_worker_during_concurrent_api_writes_loses_nothing(app, make_user, tmp_path):
    email = make_user(role="member")
    with fresh_session(app):
        user = db.session.scalar(select(User).where(User.email == email))
        token = account_services.issue_token(user, "crash test")
        db.session.commit()
    search_service.close_backends()  # gunicorn's workers own the index while they run

    acked: dict[int, str] = {}  # story id → its unique word
    failures: list[str] = []
    lock = threading.Lock()
    enough = threading.Event()

    def writer(w, base):
        for i in range(PER_WRITER):
            word = _word(w * PER_WRITER + i)
            payload = {
                "title": f"เรื่องเล่าจากผู้เขียน {w} {word}",
                "summary": "บทเรียนจากการทำงาน",
                "body": f"ผู้รับบริการพึงพอใจ {word} การจัดการความรู้",
                "agency": "กรมทดสอบ",
                "province": "ขอนแก่น",
                "year": 2567,
                "codes": ["SP7"],
                "status": "published",
            }
            try:
                status, body = _post(base, token, payload)
            except (urllib.error.URLError, ConnectionError, OSError) as exc:  # the killed worker's request
                with lock:
                    failures.append(repr(exc))
                continue
            if status == 201:
                with lock:
                    acked[body["id"]] = word
                    if len(acked) >= KILL_AFTER:
                        enough.set()

    with Gunicorn(app_env(app), workers=4, log=tmp_path / "gunicorn.log") as server:
        threads = [threading.Thread(target=writer, args=(w, server.url)) for w in range(WRITERS)]
        for t in threads:
            t.start()
        assert enough.wait(120), f"only {len(acked)} writes acknowledged; see {tmp_path / 'gunicorn.log'}"
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        for t in threads:
            t.join(300)
        assert not any(t.is_alive() for t in threads)
        deadline = time.monotonic() + 60  # the master replaces the killed worker
        while len(server.worker_pids()) < 4 or victim in server.worker_pids():
            assert time.monotonic() < deadline
            time.sleep(0.2)

    assert len(acked) >= WRITERS * PER_WRITER - 10, (len(acked), failures[:3])
    with fresh_session(app):
        search_service.apply_pending()  # what every worker does when it starts (the replay)
        stored = {s.id: s.title for s in db.session.scalars(select(Story))}
        assert set(acked) <= set(stored)  # every acknowledged write is kept
        drift = search_service.check()
        assert drift.clean, drift
        backend = search_service.backend()
        for story_id, word in acked.items():
            hits = backend.search(SearchRequest(word, per_page=5)).hits
            assert [h.id for h in hits] == [story_id], (word, hits)
    result = app.test_cli_runner().invoke(args=["search", "check"])
    assert result.exit_code == 0 and "agree" in result.output, result.output
