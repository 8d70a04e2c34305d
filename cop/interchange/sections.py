"""The interchange format's sections; each feature registers one.

A section names the keys its items carry, finds an existing item (so imports and the seed are
idempotent), imports one item through the feature's services, and exports every item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask_babel import gettext as _

from ..validation import ValidationError


@dataclass(frozen=True)
class Section:
    name: str
    keys: tuple[str, ...]
    required: tuple[str, ...]
    exists: Callable[[dict], bool]
    import_item: Callable[[dict], Any]
    export_all: Callable[[], list[dict]]
    order: int = 50


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _sections[section.name] = section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: s.order)


def reject_unknown_keys(item: dict, allowed: tuple[str, ...], field: str) -> None:
    """A ValidationError on ``field`` naming the keys of a nested object that are not ``allowed``."""
    unknown = sorted(set(item) - set(allowed))
    if unknown:
        message = _(
            "Unknown key(s) %(keys)s; allowed: %(allowed)s.", keys=", ".join(unknown), allowed=", ".join(allowed)
        )
        raise ValidationError(message, field)
