"""The search-box language: only our syntax, bounded, never crashes in best-effort mode."""

import pytest

from cop.search.query import MAX_LENGTH, QueryError, parse, to_whoosh

HOSTILE = [
    "NOT NOT NOT",
    "(" * 200,
    ")))",
    "*",
    "*a*",
    "a~",
    "a~2",
    "x" * 20000,
    "status:draft",
    "\x00",
    "ผู้\u200bรับ\u202eบริการ",
    '"',
    '"""',
    'abc "unclosed',
    "OR",
    "OR OR",
    "a OR",
    "-",
    "--",
    "- -x",
    "title:foo^10",
    "[a TO z]",
    "{}",
    "\\",
    "'",
    "a" * 70,
    " ".join(["คำ"] * 100),
    "\ufeff",
    "⁦⁩",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_raise_in_best_effort(text):
    parsed = parse(text, strict=False)
    to_whoosh(parsed)  # builds query objects without error


def test_strict_mode_refuses_what_is_malformed():
    for text in ("x" * (MAX_LENGTH + 1), '"unclosed', "a OR", "OR b", "a" * 70, "*", "((((", " ".join(["คำ"] * 40)):
        with pytest.raises(QueryError):
            parse(text, strict=True)
    # fine in strict mode too
    for text in ("NOT NOT NOT", "status:draft", "บริการ -ตัวชี้วัด", '"ผู้รับบริการ"', "KM OR AAR", "", "SP7"):
        parse(text, strict=True)


def test_field_syntax_is_text():
    parsed = parse("status:draft")
    assert [u.tokens for g in parsed.groups for u in g.units] == [["statu", "draft"]]  # stemmed text, not a field


def test_structure_words_phrases_exclusion_or():
    p = parse('บริการ "ผู้รับ บริการ" -ตัวชี้วัด KM OR AAR')
    kinds = [(len(g.units), g.negated, g.units[0].phrase) for g in p.groups]
    assert kinds == [(1, False, False), (1, False, True), (1, True, False), (2, False, False)]


def test_codes_and_categories_in_the_box_become_filters():
    for text in ("SP7 แผน", "sp 7 แผน", "SP-7 แผน", "แผน SP๗"):
        p = parse(text)
        assert p.codes == ["SP7"], text
        assert [u.text for g in p.groups for u in g.units] == ["แผน"]
    assert parse("หมวด 3 ผู้รับบริการ").categories == ["3"]
    assert parse("หมวด P").categories == ["P"]
    assert parse("IT 2,3").codes == ["IT2", "IT3"]
    assert parse("-SP7").codes == []  # excluded code stays a (negative) term


def test_bounds_in_best_effort():
    p = parse(" ".join(f"w{i}" for i in range(100)))
    assert sum(len(u.tokens) for g in p.groups for u in g.units) <= 32
    p = parse("x" * 20000)
    assert all(len(u.text) <= 64 for g in p.groups for u in g.units)
