"""The faster analysis path gives exactly the tokens of the reference path (normalize's full repairs,
one segmenter call per Thai run) on the seed texts and generated demo stories, broken Thai included."""
import random

import pytest

from bench import corpus
from cop.demo import demo_story
from cop.search import analysis
from cop.text import thai


def _texts():
    texts = list(corpus.seed_texts())
    for i in range(1, 301):
        story = demo_story(i)
        texts += [story["title"], story["summary"], story["body"] + "\n" + story["agency"]]
    rng = random.Random(5)
    broken = []
    for text in texts[:200]:  # paste damage: zero-width spaces, Thai digits, doubled and stray marks
        chars = list(text[:400])
        for _ in range(6):
            i = rng.randrange(len(chars) + 1)
            chars.insert(i, rng.choice(["\u200b", "๑๒", "\u0e48\u0e48", "\u0e31", "เเ", "\u0e4d\u0e32", "\ufeff"]))
        broken.append("".join(chars))
    return texts + broken


def _analysis(text):
    norm = thai.normalize(text)
    return norm, list(analysis.analyze(norm, "word")), sorted(analysis.index_sub_terms(norm))


@pytest.fixture
def reference(monkeypatch):
    def run(text):
        monkeypatch.setattr(thai, "FAST_NORMALIZE", False)
        monkeypatch.setattr(thai, "ONE_CALL_PER_TEXT", False)
        thai._NORMALIZED.clear()
        analysis._WORD_CACHE.clear()
        try:
            return _analysis(text)
        finally:
            monkeypatch.setattr(thai, "FAST_NORMALIZE", True)
            monkeypatch.setattr(thai, "ONE_CALL_PER_TEXT", True)
            thai._NORMALIZED.clear()
            analysis._WORD_CACHE.clear()
    return run


def test_fast_analysis_gives_the_reference_tokens(reference):
    texts = _texts()
    assert len(texts) > 1000
    differ = [t[:60] for t in texts if _analysis(t) != reference(t)]
    assert differ == []
