"""Suggestion and did-you-mean quality on the seed content, printed from one command.

    .venv/bin/python bench/suggest.py [--queries 150] [--seed 7] [--heldout FILE] [--typos FILE]

1. Categories and codes: leave-one-out cross-validation over every tagged seed story, question and AAR
   (train on the others plus the taxonomy, predict the one left out); top-1 / top-2 / top-3 accuracy (a hit
   when one of the item's own labels is among the first k). Also with code names ("SP7") removed from the
   held-out text, since writers do not always name them, and a majority-label baseline.
2. Did-you-mean: words sampled from the index's vocabulary, typed on the wrong layout (Thai on QWERTY and
   back) and with a tone mark, vowel or final consonant dropped or changed; plus the same words typed
   correctly as controls. Precision = suggestions that find what the intended query finds / suggestions
   made; recall = mistyped queries corrected that way / mistyped queries.

``--heldout FILE``: JSON list of {"title", "text", "categories", "codes"} scored with a model trained on all
the seed content. ``--typos FILE``: JSON list of {"query", "intended"}. Both are kept outside the repository.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from cop import create_app
from cop.search import analysis, didyoumean, registry, service
from cop.search.base import SearchRequest
from cop.suggest import features, model, services
from cop.text import thai

CODE_MENTION = re.compile(r"(?i)\b(LD|SP|CS|IT|HR|PM|P)\s*[-.]?\s*\d{1,2}(\s*[-.]?\s*[A-D])?\b|หมวด\s*[P1-7]")


def line(name, value, extra=""):
    print(f"{name:<58} {value:>8} {extra}", flush=True)


def make_app(tmp):
    app = create_app({"DATA_DIR": tmp, "SECRET_KEY": "bench", "TESTING": True, "RATELIMIT_ENABLED": False})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return app


def accuracy(predictions: list[tuple[list[str], set[str]]], k: int) -> float:
    scored = [truth & set(ranked[:k]) for ranked, truth in predictions if truth]
    return sum(1 for hit in scored if hit) / max(1, len(scored))


def ranked(fitted: dict, kind: str, terms: list[str]) -> list[str]:
    return [s.label for s in model.rank(fitted, kind, terms, limit=10, floor=0.0)]


def cross_validate(examples: list[model.Example], hide_codes: bool) -> dict:
    labelled = [i for i, e in enumerate(examples) if e.type in model.LABELLED_TYPES and (e.categories or e.codes)]
    out = {"categories": [], "codes": [], "baseline_categories": [], "baseline_codes": []}
    for i in labelled:
        held = examples[i]
        rest = examples[:i] + examples[i + 1:]
        fitted = model.fit(rest)
        terms = held.terms
        if hide_codes:
            terms = features.terms(CODE_MENTION.sub(" ", held.text))
        out["categories"].append((ranked(fitted, "categories", terms), set(held.categories)))
        out["codes"].append((ranked(fitted, "codes", terms), set(held.codes)))
        for kind, limit, floor in (("categories", services.MAX_CATEGORIES, services.CATEGORY_FLOOR),
                                   ("codes", services.MAX_CODES, services.CODE_FLOOR)):
            shown = [s.label for s in model.rank(fitted, kind, terms, limit, floor)]
            out.setdefault(f"shown_{kind}", []).append((shown, set(getattr(held, kind))))
        for kind in ("categories", "codes"):
            prior = Counter(label for e in rest if e.type in model.LABELLED_TYPES for label in getattr(e, kind))
            out[f"baseline_{kind}"].append(([label for label, _n in prior.most_common(10)], set(getattr(held, kind))))
    return out


def report_cv(examples):
    n = sum(1 for e in examples if e.type in model.LABELLED_TYPES and (e.categories or e.codes))
    print(f"# suggestions: leave-one-out over {n} tagged seed items (+ taxonomy descriptions)")
    for hide in (False, True):
        res = cross_validate(examples, hide)
        label = "code names removed" if hide else "text as written"
        for kind in ("categories", "codes"):
            figures = " / ".join(f"{accuracy(res[kind], k):.2f}" for k in (1, 2, 3))
            base = " / ".join(f"{accuracy(res['baseline_' + kind], k):.2f}" for k in (1, 2, 3))
            line(f"{kind} top-1/2/3 ({label})", figures, f"majority baseline {base}")
            shown = res[f"shown_{kind}"]
            n_shown = sum(len(r) for r, _t in shown)
            right = sum(len(set(r) & t) for r, t in shown)
            line(f"  {kind} shown per text / share of shown that are right", f"{n_shown / len(shown):.1f}",
                 f"{right / max(1, n_shown):.2f}")


def report_heldout(path, examples):
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    fitted = model.fit(examples)
    preds = {"categories": [], "codes": []}
    for item in items:
        terms = features.terms(item.get("title", "")) * 2 + features.terms(item.get("text", ""))
        for kind, found in preds.items():
            found.append((ranked(fitted, kind, terms), set(item.get(kind, []))))
    print(f"# held-out texts: {len(items)} from {path}")
    for kind, found in preds.items():
        if any(truth for _r, truth in found):
            line(f"{kind} top-1/2/3 (held-out)", " / ".join(f"{accuracy(found, k):.2f}" for k in (1, 2, 3)))


# --------------------------------------------------------------------------- did-you-mean

def typos_of(word: str, df: dict, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, mistyped form) for one word: wrong layout and one dropped/changed mark, vowel or final."""
    out = []
    if all(c in didyoumean.TO_LATIN for c in word):
        out.append(("wrong layout", "".join(didyoumean.TO_LATIN[c] for c in word)))
    marks = [i for i, c in enumerate(word) if c in didyoumean.TONES]
    vowels = [i for i, c in enumerate(word) if c in didyoumean.VOWELS]
    finals = [i for i, c in enumerate(word) if c in didyoumean.FINALS and i == len(word) - 1]
    options = []
    for i in marks:
        options.append(("dropped tone mark", word[:i] + word[i + 1:]))
        other = rng.choice([t for t in didyoumean.TONES[:4] if t != word[i]])
        options.append(("wrong tone mark", word[:i] + other + word[i + 1:]))
    for i in vowels:
        options.append(("dropped vowel", word[:i] + word[i + 1:]))
    for i in finals:
        options.append(("dropped final consonant", word[:i]))
    options = [(k, thai.normalize(t)) for k, t in options]
    options = [(k, t) for k, t in options if t != word and not df.get(t) and t not in thai.dictionary_words()]
    if options:
        out.append(rng.choice(options))
    return out


def hit_keys(backend, text):
    found = backend.search(SearchRequest(text=text, per_page=50, facets=False))
    return found.total, [h.key for h in found.hits]


def report_didyoumean(app, n_words: int, rng: random.Random, typos_file: str | None):
    with app.test_request_context():
        backend = service.backend()
        df = didyoumean.VOCABULARY.get()["df"]
        words = sorted(w for w, d in df.items()
                       if len(w) >= 4 and d >= 2 and all("\u0e01" <= c <= "\u0e4e" for c in w))
        sample = rng.sample(words, min(n_words, len(words)))
        cases = []  # (kind, typed, intended or None for a correct query)
        for w in sample:
            cases += [(kind, typed, w) for kind, typed in typos_of(w, df, rng)]
            cases.append(("typed correctly", w, None))
        # words found only inside longer compounds (no word token of their own): not typos either
        inside = sorted({sub for w in words for sub, _ in analysis.sub_words(w)
                         if len(sub) >= 3 and not df.get(sub) and sub != w})
        for sub in rng.sample(inside, min(len(inside), n_words // 3)):
            if backend.search(SearchRequest(text=sub, facets=False)).total:
                cases.append(("typed correctly", sub, None))
        if typos_file:
            for item in json.loads(Path(typos_file).read_text(encoding="utf-8")):
                cases.append(("from " + os.path.basename(typos_file), item["query"], item["intended"]))
        by_kind: dict[str, list[int]] = {}
        made = right = 0
        for kind, typed, intended in cases:
            request = SearchRequest(text=typed)
            results = backend.search(dataclasses.replace(request, facets=False))
            suggestion, _instead = didyoumean.consider(backend, request, results, instead=False)
            ok = False
            if suggestion and intended:
                ok = suggestion == intended or hit_keys(backend, suggestion) == hit_keys(backend, intended)
            if suggestion:
                made += 1
                right += ok
            stats = by_kind.setdefault(kind, [0, 0, 0])  # cases, suggestions, right
            stats[0] += 1
            stats[1] += bool(suggestion)
            stats[2] += ok
    print(f"# did-you-mean: {len(sample)} vocabulary words and words inside compounds, {len(cases)} queries")
    mistyped = [(k, s) for k, s in by_kind.items() if k != "typed correctly"]
    for kind, (total, suggested, ok) in sorted(by_kind.items()):
        if kind == "typed correctly":
            line("correct queries given a suggestion (false alarms)", f"{suggested}/{total}")
        else:
            line(f"recall, {kind}", f"{ok / max(1, total):.2f}", f"({ok}/{total}; {suggested} suggested)")
    total_mistyped = sum(s[0] for _k, s in mistyped)
    total_ok = sum(s[2] for _k, s in mistyped)
    line("did-you-mean precision", f"{right / max(1, made):.2f}", f"({right}/{made} suggestions right)")
    line("did-you-mean recall", f"{total_ok / max(1, total_mistyped):.2f}", f"({total_ok}/{total_mistyped})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=150, help="vocabulary words to mistype")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--heldout", help="JSON list of {title, text, categories, codes}")
    parser.add_argument("--typos", help="JSON list of {query, intended}")
    args = parser.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="cop-bench-suggest-")
    app = make_app(tmp)
    with app.app_context():
        docs = list(registry.all_documents())
    examples = model.examples_from(docs)
    texts = {(d.type, d.id): f"{d.title}\n{d.title}\n{d.body}" for d in docs}
    for e in examples:
        e.text = texts[(e.type, e.id)]
    report_cv(examples)
    if args.heldout:
        report_heldout(args.heldout, examples)
    report_didyoumean(app, args.queries, random.Random(args.seed), args.typos)
    service.close_backends()


if __name__ == "__main__":
    main()
