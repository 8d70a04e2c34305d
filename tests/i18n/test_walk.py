"""Walk every page and every form of the URL map as each role, in Thai and in English, and fail on
interface text in the other language.

Pages: every GET route of the URL map (ids from the seeded world), read as each role; the HTML ones are
checked. Forms: every form those pages show, submitted once empty, once with text over every limit and
once with a wrong number (and a wrong date) in every number and date field; the answer and the page a
redirect leads to (with its flashed message) are checked too. The figures are printed at the end.
"""

from __future__ import annotations

import sqlite3

import pytest
from werkzeug.datastructures import MultiDict

from ..security.forms import baseline, forms
from .coverage import COVERAGE
from .visible import english_left, thai_left, visible_chunks

ROLES = ("anonymous", "member", "coordinator", "facilitator", "moderator", "admin")
PASSWORD = "ข้าวเหนียวมะม่วง ตอนบ่าย"
TEXT_KINDS = {"text", "search", "tel", "url", "email", "password", "textarea"}
NUMBER_KINDS = {"number", "date", "datetime-local", "time", "month", "week"}
LONG = "ก" * 60_001
# Routes not walked: they sign the visitor out or switch the language of the walking client.
SKIP_ENDPOINTS = {"accounts.logout", "accounts.set_language"}


def _url(world, rule):
    values = dict(world.ids)
    if rule.endpoint.startswith("aar.") and "attachment_id" in rule.arguments:
        values["attachment_id"] = values["aar_attachment_id"]
    if rule.endpoint == "clinics.feed_personal":
        values["token"] = values["calendar_token"]
    return rule.build({k: v for k, v in values.items() if k in rule.arguments}, append_unknown=False)[1]


# Columns that hold codes the interface must translate (role, action…), not people's text.
CODED_COLUMNS = {
    "role",
    "action",
    "kind",
    "status",
    "state",
    "target_type",
    "post_type",
    "content_type",
    "stored_name",
    "password_hash",
    "token",
    "token_hash",
    "uid",
    "link_type",
    "actor_label",
}


def _content(world) -> str:
    """Every text people wrote in the database, and the province list: what counts as content."""
    from cop.taxonomy import provinces

    conn = sqlite3.connect(world.data_dir / "cop.sqlite3")
    try:
        parts = list(provinces())
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [
                r[1]
                for r in conn.execute(f'PRAGMA table_info("{table}")')
                if "CHAR" in r[2].upper() or "TEXT" in r[2].upper()
            ]
            for column in (c for c in columns if c not in CODED_COLUMNS):
                parts += [r[0] for r in conn.execute(f'SELECT "{column}" FROM "{table}"') if isinstance(r[0], str)]
    finally:
        conn.close()
    parts += [LONG, "ทดสอบข้อความ", "สิบ"]  # what the walk itself types is echoed back as content
    return "\n".join(" ".join(p.split()) for p in parts)  # spaced as the page's text is


def _taxonomy_text() -> str:
    from cop.taxonomy import categories

    return "\n".join(c.name_th + "\n" + "\n".join(code.gloss_th for code in c.codes) for c in categories())


class Walk:
    def __init__(self, world, lang):
        self.world, self.lang = world, lang
        self.problems: list[str] = []
        self.pages: set[str] = set()
        self.rules: set[str] = set()
        self.reads = 0
        self.forms: dict[tuple, tuple] = {}  # key -> (role, page, form)
        self.submissions = 0
        self.content = _content(world)
        self.taxonomy = _taxonomy_text()

    def client(self, role):
        client = self.world.client(role)
        client.set_cookie("lang", self.lang)
        return client

    def check(self, where, response):
        if response.status_code >= 500:
            self.problems.append(f"{where}: {response.status_code}")
            return
        if "text/html" not in response.headers.get("Content-Type", "") or 300 <= response.status_code < 400:
            return  # a redirect's body is never shown
        for chunk in visible_chunks(response.get_data(as_text=True), self.lang):
            if self.lang == "th":
                found = english_left(chunk, self.content)
            else:  # search results show indexed text: content, and a trainer's expertise in the taxonomy's words
                search = where.split(" ")[3].startswith("/search")
                found = thai_left(chunk, self.content + self.taxonomy if search else self.content, snippets=search)
            if found:
                self.problems.append(f"{where}: {found!r} in {chunk[:160]!r}")

    def read_pages(self):
        rules = [
            r
            for r in self.world.app.url_map.iter_rules()
            if "GET" in r.methods
            and r.endpoint not in SKIP_ENDPOINTS
            and not r.rule.startswith("/api/")
            and r.endpoint != "static"
        ]
        for role in ROLES:
            for rule in sorted(rules, key=lambda r: r.rule):
                path = _url(self.world, rule)
                response = self.client(role).get(path)
                self.reads += 1
                self.check(f"{self.lang} {role} GET {path}", response)
                if response.status_code == 200 and "text/html" in response.headers.get("Content-Type", ""):
                    self.pages.add(path)
                    self.rules.add(rule.rule)
                    for form in forms(response.get_data(as_text=True)):
                        action = form.action or path
                        key = (form.method, action.split("?")[0], tuple(sorted({f.name for f in form.fields})))
                        self.forms.setdefault(key, (role, path, form))

    def submit(self, role, page, form, data, variant):
        client = self.client(role)
        action = form.action or page
        where = f"{self.lang} {role} {form.method.upper()} {action} ({variant}, from {page})"
        self.submissions += 1
        if form.method == "get":
            response = client.get(action, query_string=MultiDict(data))
            self.check(where, response)
            return
        response = client.post(action, data=MultiDict(data))
        self.check(where, response)
        if response.status_code in (301, 302, 303):
            location = response.headers.get("Location", "")
            if location.startswith("/") or "://localhost" in location:
                self.check(where + " → " + location, client.get(location))
            self.world.restore()
        elif response.status_code < 400:
            self.world.restore()

    def submit_forms(self):
        for (_method, _action, _names), (role, page, form) in sorted(self.forms.items(), key=lambda kv: kv[0]):
            valid = baseline(form, {f.name: self._valid(f) for f in form.fields})
            kinds = {f.name: f.kind for f in form.fields}
            empty = [(k, "" if kinds.get(k) in TEXT_KINDS | NUMBER_KINDS else v) for k, v in baseline(form)]
            self.submit(role, page, form, empty, "empty")
            if any(kinds.get(k) in TEXT_KINDS for k, _ in valid):
                self.submit(
                    role, page, form, [(k, LONG if kinds.get(k) in TEXT_KINDS else v) for k, v in valid], "too long"
                )
            numeric = {f.name for f in form.fields if f.kind in NUMBER_KINDS or self._numeric(f)}
            if numeric:
                self.submit(role, page, form, [(k, "สิบ" if k in numeric else v) for k, v in valid], "wrong number")

    @staticmethod
    def _numeric(field) -> bool:
        return field.name in ("year", "participants", "link_id", "capacity", "page", "per_page")

    @staticmethod
    def _valid(field) -> str:
        if field.kind == "email" or "email" in field.name:
            return "walker@example.org"
        if field.kind == "password" or "password" in field.name or field.name == "confirm":
            return PASSWORD
        if field.kind == "number":
            return "5"
        if field.kind == "date":
            return "2031-03-01"
        if field.kind == "datetime-local":
            return "2031-03-01T09:00"
        return "ทดสอบข้อความ"

    def coverage(self) -> dict:
        fields = {(key, name) for key in self.forms for name in key[2] if name != "csrf_token"}
        adapter = self.world.app.url_map.bind("localhost")
        kinds = set()
        for method, action, names in self.forms:
            try:
                endpoint = adapter.match(action, method=method.upper())[0]
            except Exception:  # noqa: BLE001  an action outside the map still counts by its address
                endpoint = action
            kinds.add((method, endpoint, names))
        kind_fields = {(k, n) for k in kinds for n in k[2] if n != "csrf_token"}
        return {
            "form_kinds": len(kinds),
            "kind_fields": len(kind_fields),
            "pages": len(self.pages),
            "rules": len(self.rules),
            "reads": self.reads,
            "roles": len(ROLES),
            "forms": len(self.forms),
            "fields": len(fields),
            "submissions": self.submissions,
        }


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_page_and_form_speaks_the_interface_language(world, lang):
    world.restore()
    walk = Walk(world, lang)
    walk.read_pages()
    walk.submit_forms()
    COVERAGE[lang] = walk.coverage()
    print(f"\n{lang}: {COVERAGE[lang]}")
    # The walk must keep covering the site: a broken world (no pages, no forms) must not pass quietly.
    assert walk.coverage()["forms"] >= 40 and walk.coverage()["rules"] >= 50, walk.coverage()
    problems = sorted(set(walk.problems))
    assert not problems, f"{len(problems)} places in the wrong language:\n" + "\n".join(problems[:300])
