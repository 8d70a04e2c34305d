"""What each feature contributes to search: how to build documents of its type."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from .base import SearchDocument


@dataclass(frozen=True)
class SearchSource:
    type: str
    # ids -> documents for those that may be shown to everyone (drafts, hidden rows: absent)
    load: Callable[[list[int]], dict[int, SearchDocument]]
    # every visible document, for reindex and check
    iter_all: Callable[[], Iterator[SearchDocument]]
    count_all: Callable[[], int]


_sources: dict[str, SearchSource] = {}


def register_source(source: SearchSource) -> None:
    _sources[source.type] = source


def sources() -> dict[str, SearchSource]:
    return dict(_sources)


def with_checksum(doc: SearchDocument) -> SearchDocument:
    """Fill in the checksum from the document's content, so `search check` sees stale entries."""
    fields = dataclasses.asdict(doc)
    fields.pop("checksum", None)
    digest = hashlib.sha1(
        json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode(), usedforsecurity=False
    ).hexdigest()
    return dataclasses.replace(doc, checksum=digest)


def all_documents() -> Iterator[SearchDocument]:
    for source in _sources.values():
        for doc in source.iter_all():
            yield with_checksum(doc)


def count_documents() -> int:
    return sum(source.count_all() for source in _sources.values())


def load_documents(keys: Iterable[str]) -> tuple[list[SearchDocument], list[str]]:
    """Documents to upsert and keys to delete for a set of changed keys."""
    by_type: dict[str, list[int]] = {}
    for key in set(keys):
        doc_type, _, raw_id = key.partition(":")
        if doc_type in _sources and raw_id.isdigit():
            by_type.setdefault(doc_type, []).append(int(raw_id))
    upserts: list[SearchDocument] = []
    deletes: list[str] = []
    for doc_type, ids in by_type.items():
        found = _sources[doc_type].load(ids)
        for doc_id in ids:
            if doc_id in found:
                upserts.append(with_checksum(found[doc_id]))
            else:
                deletes.append(f"{doc_type}:{doc_id}")
    return upserts, deletes
