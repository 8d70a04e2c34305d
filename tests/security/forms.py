"""Read the forms a page really shows (as a browser would) and fill them in."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "search", "tel", "url", "email", "password", None, ""}
_unique = itertools.count(1)


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    options: list = field(default_factory=list)
    multiple: bool = False
    checked: bool = False


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)

    @property
    def text_fields(self) -> list[str]:
        """Fields where a person types free text (not hidden, choice, date or number fields)."""
        names = []
        for f in self.fields:
            if (f.kind in TEXT_TYPES or f.kind == "textarea") and f.name not in names and f.name != "csrf_token":
                names.append(f.name)
        return names


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form = None
        self._select = None
        self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(action=a.get("action") or "", method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            self._form.fields.append(
                Field(a["name"], kind, a.get("value") or ("on" if kind == "checkbox" else ""), checked="checked" in a)
            )
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append(self._option)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            value = self._textarea.value  # browsers drop the newline right after <textarea>
            self._textarea.value = (
                value[2:] if value.startswith("\r\n") else value[1:] if value.startswith("\n") else value
            )
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None


def forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def baseline(form: Form, defaults: dict | None = None) -> list[tuple[str, str]]:
    """What a careful person would submit: the page's own values, plus DEFAULTS for empty fields."""
    defaults = defaults or {}
    data: list[tuple[str, str]] = []
    for f in form.fields:
        if f.kind == "file":
            continue
        if f.kind in ("checkbox", "radio"):
            if f.name in defaults and f.kind == "radio":
                if f.value == defaults[f.name]:
                    data.append((f.name, f.value))
            elif f.checked:
                data.append((f.name, f.value))
            continue
        if f.kind == "select":
            chosen = [o[0] if o[0] is not None else o[2] for o in f.options if o[1]]
            if f.name in defaults:
                chosen = [defaults[f.name]]
            elif not chosen:
                chosen = [next((o[0] for o in f.options if o[0]), "")]
            data += [(f.name, value) for value in chosen]
            continue
        value = f.value
        if not value and f.name in defaults:
            value = defaults[f.name]
            if callable(value):
                value = value()
        data.append((f.name, value))
    return data


def with_value(data: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    out, done = [], False
    for key, old in data:
        if key == name:
            if not done:
                out.append((key, value))
                done = True
        else:
            out.append((key, old))
    return out


def unique_email() -> str:
    return f"hostile{next(_unique)}@example.org"
