"""Suggestions while writing: likely PMQA categories and activity codes, and similar existing content."""

from __future__ import annotations

from ..search import registry
from ..search.snapshot import Snapshot
from ..taxonomy import normalize_code
from . import features, model

MIN_TERMS = 3  # fewer distinct content words than this: too little to judge, say nothing
MAX_CATEGORIES, CATEGORY_FLOOR = 3, 0.15
MAX_CODES, CODE_FLOOR = 5, 0.06
MAX_SIMILAR = 5


def _build(docs, progress=None) -> dict:
    return model.fit(model.examples_from(docs, progress))


MODEL = Snapshot("suggest-model", version=1, build=_build)


def train(progress=None) -> dict:
    """Retrain from every public document now (the CLI; also done on the fly when stale)."""
    return MODEL.rebuild(progress)


def _visible_similar(candidates: list[tuple[float, dict]]) -> list[dict]:
    """Only what is still public, with its current title (the model may be a little behind)."""
    by_type: dict[str, list[int]] = {}
    for _s, d in candidates:
        by_type.setdefault(d["type"], []).append(d["id"])
    sources = registry.sources()
    found = {(t, i): doc for t, ids in by_type.items() if t in sources for i, doc in sources[t].load(ids).items()}
    out = []
    for _s, d in candidates:
        doc = found.get((d["type"], d["id"]))
        if doc is not None:
            out.append({"type": doc.type, "id": doc.id, "title": doc.title, "url": doc.url})
        if len(out) == MAX_SIMILAR:
            break
    return out


def suggest(title: str, text: str) -> dict:
    """The /api/v1/suggest answer; every list empty when the text is too short to judge."""
    terms = features.terms(title or "") * 2 + features.terms(text or "")
    answer = {"categories": [], "codes": [], "similar": []}
    if len(set(terms)) < MIN_TERMS:
        return answer
    data = MODEL.get()
    typed = {**features.surface_forms(text or ""), **features.surface_forms(title or "")}

    def why(words: list[str]) -> list[str]:
        return list(dict.fromkeys(typed.get(w.lower(), w) if not normalize_code(w) else w for w in words))

    answer["categories"] = [
        {"key": s.label, "score": s.score, "why": why(s.why)}
        for s in model.rank(data, "categories", terms, MAX_CATEGORIES, CATEGORY_FLOOR)
    ]
    answer["codes"] = [
        {"code": s.label, "score": s.score, "why": why(s.why)}
        for s in model.rank(data, "codes", terms, MAX_CODES, CODE_FLOOR)
    ]
    answer["similar"] = _visible_similar(model.similar(data, terms, MAX_SIMILAR))
    return answer
