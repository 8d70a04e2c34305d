"""The search interface every backend implements (Whoosh by default; PostgreSQL for scale).

Only publicly visible content is ever handed to a backend: the application decides what is public;
backends do no permission logic.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Callable, Iterable

TYPES = ("story", "thread", "trainer", "clinic", "aar")
FACETS = ("type", "category", "code", "province", "year")


@dataclass
class SearchDocument:
    key: str  # "story:12"
    type: str  # one of TYPES
    id: int
    title: str
    body: str  # plain text, everything searchable (a thread includes its replies)
    categories: list[str] = field(default_factory=list)  # "P", "1" … "7"
    codes: list[str] = field(default_factory=list)  # normalized: "SP5"
    province: str | None = None
    year: int | None = None  # Buddhist Era
    agency: str | None = None
    tags: list[str] = field(default_factory=list)
    url: str = ""
    checksum: str = ""  # opaque; stored so `search check` can detect drift

    @staticmethod
    def make_key(type: str, id: int) -> str:
        return f"{type}:{id}"


@dataclass
class SearchRequest:
    text: str = ""
    types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    page: int = 1
    per_page: int = 10
    strict: bool = False  # True: malformed/oversized query text raises QueryError (API → 400)
    facets: bool = True  # False: skip facet counts (cheaper)


@dataclass
class Hit:
    key: str
    type: str
    id: int
    title: str
    url: str
    snippet: str  # HTML: text escaped, matches wrapped in <mark>
    score: float
    categories: list[str]
    codes: list[str]


@dataclass
class SearchResults:
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    # facet name ("type", "category", "code", "province", "year") → value → count; year keys are str.
    # Counts are for the current query and the filters of the OTHER facets (multi-select facets).
    facets: dict[str, dict[str, int]]
    # effective filters, including those taken from the query text (a code or "หมวด 3" typed in the box):
    # {"types": [...], "categories": [...], "codes": [...], "provinces": [...], "years": [...]}
    applied: dict[str, list]
    query: str = ""


class SearchBackend(abc.ABC):
    """One index of SearchDocuments keyed by ``key``."""

    @abc.abstractmethod
    def upsert(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents (by key); returns how many were written."""

    @abc.abstractmethod
    def delete(self, keys: Iterable[str]) -> int:
        """Remove documents by key (unknown keys are ignored); returns how many keys were given."""

    @abc.abstractmethod
    def search(self, query: SearchRequest) -> SearchResults:
        """Ranked, highlighted, faceted, paginated results."""

    @abc.abstractmethod
    def rebuild(
        self, docs: Iterable[SearchDocument], total: int | None = None, progress: Callable[[int], None] | None = None
    ) -> int:
        """Replace the whole index with ``docs``; calls ``progress(n_done)`` as it goes; returns n."""

    @abc.abstractmethod
    def count(self) -> int:
        """Number of documents in the index."""

    @abc.abstractmethod
    def checksums(self) -> dict[str, str]:
        """Key → checksum for every indexed document (for drift checks)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release files and searchers."""

    def optimize(self) -> None:
        """After a bulk load: compact the index where the backend keeps it in pieces."""
        return None  # one table (PostgreSQL): nothing to merge

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
