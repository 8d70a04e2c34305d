"""Hostile and generated input through every user-text field: never a 500, never a half-written record.

Each form is read from its real page (as a browser sees it), filled with valid values, then one field at
a time gets a hostile string. A refusal (4xx) must leave every table as it was; an acceptance must give
pages (and feeds) that still render. The tally of inputs tried is printed at the end of the run.
"""

import random
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from ..helpers import fresh_session
from .corpus import HOSTILE, SHORT, TRIED
from .forms import baseline, forms, unique_email, with_value

PASSWORD = "ข้าวเหนียวมะม่วง ตอนบ่าย"

# label: (role, page, form action (None: the page itself), defaults for empty fields, pages to re-read)
FORMS = {
    "register": (
        "anonymous",
        "/register",
        None,
        {
            "name": "สมหญิง ใจดี",
            "email": unique_email,
            "agency": "สำนักงาน ก.พ.ร.",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "province": "ขอนแก่น",
        },
        [],
    ),
    "story": (
        "author",
        "/stories/new",
        None,
        {
            "title": "เล่าเรื่องการทำแผน",
            "summary": "สรุปสั้น",
            "body": "เนื้อเรื่อง **สำคัญ** ของหน่วยงาน",
            "agency": "กรมทดสอบ",
            "year": "2568",
            "categories": "1",
            "codes": "LD1",
            "tags": "แผน",
        },
        ["/stories", "/stories/feed/category/1.atom"],
    ),
    "story-edit": ("author", "/stories/{story_id}/edit", None, {}, ["/stories/{story_id}"]),
    "thread": (
        "author",
        "/threads/new",
        None,
        {"title": "ถามเรื่องตัวชี้วัด", "body": "ทำอย่างไรดี", "categories": "1", "codes": "LD1"},
        ["/threads", "/threads/feed.atom"],
    ),
    "thread-edit": ("author", "/threads/{thread_id}/edit", None, {}, ["/threads/{thread_id}/history"]),
    "reply": (
        "member",
        "/threads/{thread_id}",
        "/threads/{thread_id}/replies",
        {"body": "ลองแบบนี้ครับ"},
        ["/threads/{thread_id}/feed.atom"],
    ),
    "reply-edit": ("author", "/threads/replies/{reply_id}/edit", None, {}, ["/threads/{thread_id}"]),
    "report": (
        "member",
        "/threads/{thread_id}",
        "/threads/{thread_id}/report",
        {"reason": "ไม่เหมาะสม"},
        ["/threads/moderation"],
    ),
    "clinic": (
        "coordinator",
        "/clinics/new",
        None,
        {
            "title": "คลินิกสัญจร หมวด 1",
            "starts_at": "2028-05-01T09:00",
            "ends_at": "2028-05-01T16:00",
            "venue": "ศาลากลาง",
            "province": "ขอนแก่น",
            "codes": "LD1",
            "capacity": "30",
            "description": "รายละเอียด",
        },
        ["/clinics", "/clinics.ics", "/clinics/calendar"],
    ),
    "clinic-edit": (
        "coordinator",
        "/clinics/{clinic_id}/edit",
        None,
        {},
        ["/clinics/{clinic_id}", "/clinics/{clinic_id}.ics", "/clinics.ics"],
    ),
    "hotline": (
        "coordinator",
        "/hotlines/new",
        None,
        {"name": "สายด่วน PMQA", "phone": "02-123-4567", "hours": "8:30-16:30", "agency": "สำนักงาน"},
        ["/hotlines"],
    ),
    "hotline-edit": ("coordinator", "/hotlines/{hotline_id}/edit", None, {}, ["/hotlines"]),
    "aar": (
        "facilitator",
        "/aar/new",
        None,
        {
            "title": "ทบทวนหลังการประชุม",
            "held_on": "2025-03-01",
            "venue": "ห้องประชุม",
            "participants": "20",
            "codes": "LD1",
            "link_type": "",
            "expected": "คาดว่า",
            "actual": "จริง",
            "why": "เพราะ",
            "next_time": "ครั้งหน้า",
        },
        ["/aar", "/aar/actions"],
    ),
    "aar-edit": ("admin", "/aar/{aar_id}/edit", None, {}, ["/aar/{aar_id}/print"]),
    "aar-action": (
        "admin",
        "/aar/{aar_id}",
        "/aar/{aar_id}/actions",
        {"new-what": "ส่งรายงาน", "new-owner": "คุณสมชาย", "new-due_on": "2028-01-01"},
        ["/aar/actions"],
    ),
    "trainer": (
        "coordinator",
        "/trainers/new",
        None,
        {
            "name": "อาจารย์ ทดสอบ",
            "position": "ผู้เชี่ยวชาญ",
            "agency": "มหาวิทยาลัย",
            "codes": "LD1",
            "bio": "ประวัติ",
            "phone": "081-234-5678",
            "email": "trainer@example.org",
        },
        ["/trainers"],
    ),
    "trainer-edit": (
        "author",
        "/trainers/{trainer_id}/edit",
        None,
        {},
        ["/trainers/{trainer_id}", "/trainers/{trainer_id}.vcf"],
    ),
    "trainer-contact": (
        "member",
        "/trainers/{trainer_id}",
        "/trainers/{trainer_id}/contact",
        {"message": "ขอเชิญเป็นวิทยากร"},
        [],
    ),
    "profile": ("member", "/profile", None, {"agency": "กรม"}, ["/profile"]),
    "email": ("member", "/profile/email", None, {"email": unique_email, "current_password": PASSWORD}, []),
    "token": ("member", "/profile", "/profile/tokens", {"label": "สคริปต์"}, ["/profile"]),
}

ATTACKED_KINDS = {
    "text",
    "search",
    "tel",
    "url",
    "email",
    "password",
    "textarea",
    "number",
    "date",
    "datetime-local",
    "time",
}


def _fmt(world, path):
    return path.format(**world.ids)


def _counts(world):
    conn = sqlite3.connect(world.data_dir / "cop.sqlite3")  # closed at once: restore() replaces the file
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def _form(world, label):
    role, page, action, defaults, _extra = FORMS[label]
    client = world.client(role)
    response = client.get(_fmt(world, page))
    assert response.status_code == 200, (label, response.status_code)
    target = _fmt(world, action) if action else _fmt(world, page)
    found = [f for f in forms(response.text) if f.method == "post" and (f.action or _fmt(world, page)) == target]
    assert found, f"{label}: no form posting to {target}"
    form = found[0]
    return form, baseline(form, {k: v for k, v in defaults.items()}), target


def _checkbox_defaults(data, defaults):
    # Checkbox groups (categories) are not ticked on a new form: tick the default one.
    names = {k for k, _ in data}
    return data + [(k, v) for k, v in defaults.items() if k not in names and isinstance(v, str)]


def submit(world, label, data, target):
    """POST as the form's role; check the outcome; restore if something was written. Returns the status."""
    role, _page, _action, _defaults, extra = FORMS[label]
    TRIED["inputs"] += 1
    random.seed()  # hypothesis fixes the global seed; Whoosh names new segments with it
    before = _counts(world)
    client = world.client(role)
    response = client.post(target, data=MultiDict(data))
    assert response.status_code < 500, (label, response.status_code, [(k, v[:80]) for k, v in data])
    if response.status_code >= 400:
        assert _counts(world) == before, f"{label}: a refused form left rows behind"
    else:
        pages = [response.headers.get("Location")] if response.status_code in (302, 303) else []
        for page in pages + [_fmt(world, p) for p in extra]:
            if page:
                shown = client.get(page)
                assert shown.status_code < 500, (label, page, shown.status_code)
        world.restore()
    return response.status_code


@pytest.mark.parametrize("label", sorted(FORMS))
def test_hostile_corpus_through_every_field(world, label):
    world.restore()
    form, data, target = _form(world, label)
    data = _checkbox_defaults(data, FORMS[label][3])
    assert submit(world, label, data, target) in (302, 303), f"{label}: the valid baseline was refused"
    attacked = [f.name for f in form.fields if f.kind in ATTACKED_KINDS and f.name != "csrf_token"]
    attacked = list(dict.fromkeys(attacked))
    assert attacked
    for value in HOSTILE:  # every field at once
        hostile = data
        for name in attacked:
            hostile = with_value(hostile, name, value)
        submit(world, label, hostile, target)
    for name in attacked:  # one field at a time, the others valid, so the value reaches the rules
        for value in SHORT:
            submit(world, label, with_value(data, name, value), target)


QUERY_PAGES = [
    "/search",
    "/api/v1/search",
    "/stories",
    "/threads",
    "/trainers",
    "/clinics",
    "/clinics/past",
    "/aar",
    "/aar/actions",
    "/hotlines",
    "/admin/users",
    "/api/v1/stories",
    "/api/v1/threads",
    "/api/v1/trainers",
    "/api/v1/clinics",
    "/api/v1/aars",
]
QUERY_PARAMS = ["q", "category", "code", "province", "year", "page", "type", "sort", "status"]


@pytest.mark.parametrize("path", QUERY_PAGES)
def test_hostile_queries_on_lists_and_search(world, path):
    client = world.client("admin")
    for param in QUERY_PARAMS:
        for value in HOSTILE if param == "q" else SHORT:
            TRIED["inputs"] += 1
            response = client.get(path, query_string={param: value})
            assert response.status_code < 500, (path, param, value[:60], response.status_code)
            if path.startswith("/api/"):
                assert response.is_json


# --- generated input (hypothesis) -----------------------------------------------------------

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
THAIISH = st.text(
    alphabet=st.sampled_from(list("กขคงจฉชซญดตถทนบปผพฟมยรลวศษสหอฮะาำิีึืุูเแโใไ่้๊๋็์ๆฯ๐๑๒ \n\t*_[]()#<>\"'&;:\u200b\u202e\r\x00")),
    max_size=300,
)
GENERATED = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("label", ["register", "story", "thread", "reply", "clinic", "aar"])
def test_generated_text_in_core_forms(world, label):
    world.restore()
    form, data, target = _form(world, label)
    data = _checkbox_defaults(data, FORMS[label][3])
    fields = [f.name for f in form.fields if f.kind in ATTACKED_KINDS]

    @GENERATED
    @given(name=st.sampled_from(fields), value=st.one_of(TEXT, THAIISH))
    def run(name, value):
        submit(world, label, with_value(data, name, value), target)

    run()


@GENERATED
@given(
    query=st.one_of(
        TEXT,
        THAIISH,
        st.lists(st.sampled_from(["AND", "OR", "NOT", '"', "(", ")", "*", ":", "title:", "LD1", "แผน", "-", "~"])).map(
            " ".join
        ),
    )
)
def test_generated_search_queries(world, query):
    client = world.client("anonymous")
    for path in ("/search", "/api/v1/search"):
        TRIED["inputs"] += 1
        response = client.get(path, query_string={"q": query})
        assert response.status_code < 500, (path, query)


# --- the importer ------------------------------------------------------------------------------

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)


def _item(keys):
    good = {
        "email": st.builds(unique_email),
        "name": THAIISH.filter(str.strip),
        "title": THAIISH.filter(str.strip),
        "body": THAIISH,
        "author": st.just("admin@matrix.example"),
        "phone": st.just("02-111-2222"),
        "starts_at": st.just("2028-01-01T09:00:00+07:00"),
        "ends_at": st.just("2028-01-01T12:00:00+07:00"),
        "capacity": st.integers(-5, 500),
        "held_on": st.sampled_from(["2025-01-01", "2568-01-01", "x"]),
        "codes": st.lists(st.sampled_from(["LD1", "ld 1", "ZZ9", ""]), max_size=3),
        "categories": st.lists(st.sampled_from(["1", "7", "x"]), max_size=2),
    }
    return st.fixed_dictionaries({}, optional={k: st.one_of(good.get(k, THAIISH), ANY_JSON) for k in keys})


def _documents():
    from cop.interchange.sections import sections

    with_sections = {}
    for section in sections():
        with_sections[section.name] = st.lists(_item(section.keys), max_size=3)
    return st.fixed_dictionaries({"format": st.just("cop"), "version": st.just(1)}, optional=with_sections)


def test_generated_documents_import_whole_or_not_at_all(world):
    from cop.extensions import db
    from cop.interchange.service import InterchangeError, import_document

    with fresh_session(world.app):
        documents = _documents()

    @settings(
        max_examples=120,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(document=documents)
    def run(document):
        TRIED["inputs"] += 1
        before = _counts(world)
        with fresh_session(world.app):
            try:
                import_document(document)
            except InterchangeError:
                db.session.rollback()
                assert _counts(world) == before, "a refused document left rows behind"
            else:
                world.restore()

    world.restore()
    run()
