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


def test_compiled_sub_word_matcher_finds_what_the_table_scan_finds():
    # every Thai run of the texts (broken ones included), plus edge cases: runs that start or end
    # on a mark, leading vowels at the end, a lone character, a whole dictionary word
    runs = {m.group() for t in _texts() for m in analysis._THAI_RUN_RE.finditer(thai.normalize(t))}
    runs |= {"ก", "เ", "\u0e48ผู้รับบริการ", "ผู้รับบริการเ", "การมีส่วนร่วมในการ", "สำนักงานคณะกรรมการพัฒนาระบบราชการ"}
    assert len(runs) > 1000
    differ = [r[:40] for r in runs if analysis._sub_words.__wrapped__(r) != analysis.sub_words_reference(r)]
    assert differ == []
    assert ("บริการ", 6) in analysis.sub_words("ผู้รับบริการ")


def test_sub_field_postings_equal_the_analyzer_path():
    from whoosh.fields import TEXT

    from cop.search.whoosh_schema import make_schema

    field = make_schema()["sub"]
    texts = _texts()[::7]
    for text in texts:
        value = text + analysis.SUB_SEP + text[:80]
        fast = sorted(field.index(value))
        reference = sorted(TEXT.index(field, value))
        assert fast == reference
    assert any(sorted(field.index(t)) for t in texts)
