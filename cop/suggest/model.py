"""The suggestion model: TF-IDF centroids of the site's tagged content and the taxonomy's descriptions.

Each PMQA category and activity code is the normalized sum of the TF-IDF vectors of the content tagged
with it, plus one description document from ``cop/data/taxonomy.json`` (so a code nobody has used yet
can still be suggested). A text is scored by cosine similarity with each centroid; the "why" words are
the terms that contribute most to that similarity. Stories and questions keep a short vector each for
the "similar content" list. Everything is plain dicts so it stores as JSON.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..search.base import SearchDocument
from ..taxonomy import categories, category_of
from . import features

LABELLED_TYPES = ("story", "thread", "aar")  # content people tag by category and code
SIMILAR_TYPES = ("story", "thread")  # what a person about to ask should read first
DOC_TERMS = 40  # terms kept per document vector for "similar"
# A label's description weighs at least one tagged document, and a quarter of that label's average
# pile of content, so a flood of loosely tagged items cannot drown what the taxonomy says a code is about.
TAXONOMY_SHARE = 0.25


@dataclass
class Example:
    terms: list[str]
    categories: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    type: str = ""
    id: int = 0
    title: str = ""
    url: str = ""


def example_of(doc: SearchDocument) -> Example:
    codes = list(dict.fromkeys(doc.codes))
    cats = list(dict.fromkeys([*doc.categories, *(c for c in map(category_of, codes) if c)]))
    title_terms = features.terms(doc.title)
    return Example(title_terms * 2 + features.terms(doc.body), cats, codes, doc.type, doc.id, doc.title, doc.url)


def examples_from(docs: Iterable[SearchDocument], progress: Callable[[int], None] | None = None) -> list[Example]:
    out = []
    for n, doc in enumerate(docs, 1):
        if doc.type in LABELLED_TYPES or doc.type in SIMILAR_TYPES:
            out.append(example_of(doc))
        if progress:
            progress(n)
    return out


def taxonomy_examples() -> list[Example]:
    out = []
    for cat in categories():
        glosses = " ".join(f"{c.gloss_th} {c.gloss_en}" for c in cat.codes)
        out.append(Example(features.terms(f"{cat.name_th} {cat.name_th} {cat.name_en} {glosses}"), [cat.key], []))
        for code in cat.codes:
            text = f"{code.gloss_th} {code.gloss_th} {code.gloss_en} {cat.name_th}"
            out.append(Example(features.terms(text), [], [code.code]))
    return out


def _norm(vec: dict[str, float]) -> dict[str, float]:
    length = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / length for t, v in vec.items()} if length else {}


def vectorize(terms: list[str], idf: dict[str, float], default_idf: float) -> dict[str, float]:
    counts = Counter(terms)
    return _norm({t: (1 + math.log(n)) * idf.get(t, default_idf) for t, n in counts.items()})


def fit(examples: list[Example], with_taxonomy: bool = True) -> dict:
    """Train from examples (content) plus the taxonomy's descriptions; returns the model as plain data."""
    taught = [e for e in examples if e.type in LABELLED_TYPES and (e.categories or e.codes)]
    described = taxonomy_examples() if with_taxonomy else []
    corpus = examples + described
    n_docs = len(corpus)
    df = Counter(t for e in corpus for t in set(e.terms))
    idf = {t: math.log((n_docs + 1) / (d + 1)) + 1 for t, d in df.items()}
    default_idf = math.log(n_docs + 1) + 1
    sums: dict[str, dict[str, dict[str, float]]] = {"categories": {}, "codes": {}}
    counts: dict[str, Counter] = {"categories": Counter(), "codes": Counter()}
    per_label = {kind: Counter(label for e in taught for label in getattr(e, kind)) for kind in ("categories", "codes")}
    weight_of = {kind: max(1.0, TAXONOMY_SHARE * sum(c.values()) / max(1, len(c))) for kind, c in per_label.items()}
    weighted = [(e, 1.0) for e in taught] + [
        (e, weight_of["categories" if e.categories else "codes"]) for e in described
    ]
    for e, weight in weighted:
        vec = vectorize(e.terms, idf, default_idf)
        for kind, labels in (("categories", e.categories), ("codes", e.codes)):
            for label in labels:
                acc = sums[kind].setdefault(label, {})
                for t, v in vec.items():
                    acc[t] = acc.get(t, 0.0) + weight * v
                counts[kind][label] += 1
    centroids = {kind: {label: _norm(vec) for label, vec in by.items()} for kind, by in sums.items()}
    docs = []
    for e in examples:
        if e.type in SIMILAR_TYPES:
            vec = vectorize(e.terms, idf, default_idf)
            top = dict(sorted(vec.items(), key=lambda kv: -kv[1])[:DOC_TERMS])
            docs.append({"type": e.type, "id": e.id, "title": e.title, "url": e.url, "vec": _norm(top)})
    return {"idf": idf, "default_idf": default_idf, "centroids": centroids, "docs": docs, "trained_on": len(taught)}


@dataclass
class Scored:
    label: str
    score: float
    why: list[str]


def _dot(query: dict[str, float], other: dict[str, float]) -> float:
    return sum(v * other.get(t, 0.0) for t, v in query.items())


def _why(query: dict[str, float], other: dict[str, float], n: int = 4) -> list[str]:
    parts = sorted(((v * other[t], t) for t, v in query.items() if t in other), reverse=True)
    if not parts:
        return []
    top = parts[0][0]  # words that add little are noise to a reader: keep those near the strongest
    return [features.display(t) for c, t in parts[:n] if c >= 0.2 * top]


def rank(model: dict, kind: str, terms: list[str], limit: int, floor: float) -> list[Scored]:
    """Labels of one kind ("categories" or "codes") by similarity; scores are shares (softmax) ≥ floor."""
    query = vectorize(terms, model["idf"], model["default_idf"])
    sims = sorted(((_dot(query, c), label) for label, c in model["centroids"][kind].items()), reverse=True)
    if not sims or sims[0][0] <= 0:
        return []
    # softmax over cosine similarities: a confident text gives one label most of the weight
    exps = [(math.exp(SHARPNESS * s), s, label) for s, label in sims]
    total = sum(e for e, _s, _l in exps)
    out = []
    for e, s, label in exps[:limit]:
        share = e / total
        if share < floor or s <= 0:
            break
        out.append(Scored(label, round(share, 3), _why(query, model["centroids"][kind][label])))
    return out


SHARPNESS = 12.0


_POSTINGS: dict[int, tuple[dict, dict]] = {}


def _postings(model: dict) -> dict[str, list[tuple[int, float]]]:
    """Term → [(doc index, weight)], built once per loaded model (scoring only docs sharing a term)."""
    key = id(model["docs"])
    cached = _POSTINGS.get(key)
    if cached is None or cached[0] is not model["docs"]:
        index: dict[str, list[tuple[int, float]]] = {}
        for i, d in enumerate(model["docs"]):
            for t, w in d["vec"].items():
                index.setdefault(t, []).append((i, w))
        _POSTINGS.clear()  # one model at a time per process
        cached = _POSTINGS[key] = (model["docs"], index)
    return cached[1]


def similar(model: dict, terms: list[str], limit: int = 5, floor: float = 0.12) -> list[tuple[float, dict]]:
    """Stories and questions closest to the text (cosine ≥ floor), best first; twice ``limit`` so the caller
    can drop what is no longer public."""
    query = vectorize(terms, model["idf"], model["default_idf"])
    postings = _postings(model)
    scores: dict[int, float] = {}
    for t, v in query.items():
        for i, w in postings.get(t, ()):
            scores[i] = scores.get(i, 0.0) + v * w
    best = sorted(((s, i) for i, s in scores.items() if s >= floor), reverse=True)[: limit * 2]
    return [(s, model["docs"][i]) for s, i in best]
