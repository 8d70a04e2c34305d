"""Import and export of the interchange format (version 1): all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from ..extensions import db
from ..text.clean import clean_tree
from ..validation import ValidationError
from .sections import sections

FORMAT = "cop"
VERSION = 1


class InterchangeError(ValueError):
    """A file that cannot be imported; the message names the item and field at fault."""


def _check_shape(document: object) -> None:
    if not isinstance(document, dict):
        raise InterchangeError("The file must hold a JSON object.")
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise InterchangeError(f'Expected "format": "{FORMAT}" and "version": {VERSION}.')
    known = {s.name for s in sections()} | {"format", "version"}
    unknown = sorted(set(document) - known)
    if unknown:
        raise InterchangeError(f"Unknown top-level key(s): {', '.join(unknown)}.")
    for section in sections():
        items = document.get(section.name, [])
        if not isinstance(items, list):
            raise InterchangeError(f"{section.name}: expected a list.")
        for index, item in enumerate(items):
            where = f"{section.name}[{index}]"
            if not isinstance(item, dict):
                raise InterchangeError(f"{where}: expected an object.")
            unknown = sorted(set(item) - set(section.keys))
            if unknown:
                raise InterchangeError(
                    f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(section.keys)}."
                )
            missing = [k for k in section.required if item.get(k) in (None, "", [])]
            if missing:
                raise InterchangeError(f"{where}: missing {', '.join(missing)}.")


def import_document(document: object, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Import every section in one transaction; existing items are left as they are.

    Returns the number of new items per section. On any error nothing is written.
    """
    document = clean_tree(document)  # the one text-cleaning rule, as for web forms and the API
    _check_shape(document)
    counts: dict[str, int] = {}
    try:
        for section in sections():
            counts[section.name] = 0
            for index, item in enumerate(document.get(section.name, [])):
                try:
                    if not section.exists(item):
                        section.import_item(item)
                        counts[section.name] += 1
                except ValidationError as exc:
                    details = "; ".join(
                        f"{field}: {message}" if field else str(message) for field, message in exc.errors
                    )
                    raise InterchangeError(f"{section.name}[{index}]: {details}") from None
                if progress:
                    progress(1)
            db.session.flush()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return counts


def count_items(document: dict) -> int:
    return sum(len(document.get(s.name, []) or []) for s in sections() if isinstance(document, dict))


def export_document() -> dict:
    document: dict = {"format": FORMAT, "version": VERSION}
    for section in sections():
        document[section.name] = section.export_all()
    return document


def read_file(path: str | Path) -> object:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InterchangeError("The file is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise InterchangeError(f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from None
