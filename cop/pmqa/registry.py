"""Where features plug their content into category, code and home pages.

A feature registers a function ``(category=None, code=None, limit=…) -> Section | None``;
the PMQA pages call every registered function, in registration order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)
    template: str = "pmqa/_items.html"
    more_url: str | None = None


_providers: list[Callable[..., Section | None]] = []


def register_section(provider: Callable[..., Section | None]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def sections(category: str | None = None, code: str | None = None, limit: int = 5) -> list[Section]:
    found = [provider(category=category, code=code, limit=limit) for provider in _providers]
    return [s for s in found if s is not None]


def home_sections(limit: int = 5) -> list[Section]:
    return sections(limit=limit)
