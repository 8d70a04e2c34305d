"""Did-you-mean: a query typed on the wrong keyboard layout or with a dropped/wrong Thai mark is corrected
from the content's own vocabulary, only when the correction finds clearly more."""

import re

import pytest

from cop.search.didyoumean import TO_LATIN, TO_THAI, clearly_more, correct


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return app


def qwerty(thai: str) -> str:
    return "".join(TO_LATIN[c] for c in thai)


def test_layout_tables_are_the_kedmanee_keyboard():
    assert qwerty("ประชาชน") == "xit=k=o"
    assert "".join(TO_THAI[c] for c in "l;ylfu") == "สวัสดี"
    assert set(TO_LATIN.values()) <= set(TO_THAI)


def test_corrections_use_only_the_vocabulary_given():
    df = {"ประชาชน": 5, "ผู้รับบริการ": 7, "ตัวชี้วัด": 4, "pmqa": 3, "การมีส่วนร่วม": 6}
    assert correct("xit=k=o", df) == "ประชาชน"
    assert correct("ผูรับบริการ", df) == "ผู้รับบริการ"  # dropped tone mark
    assert correct("ตัวชี่วัด", df, second_guess=True) == "ตัวชี้วัด"  # wrong tone mark
    assert correct("การมีส่วนรวม", df, second_guess=True) == "การมีส่วนร่วม"  # a tighter reading
    assert correct("ยทๆฟ", df) == "pmqa"  # English typed on the Thai layout
    assert correct("ประชาชน", df) is None and correct("SP7 xit=k=o", df) == "SP7 ประชาชน"
    assert correct("hello", df) is None  # nothing in the vocabulary: no guess
    assert clearly_more(0, 1) and clearly_more(2, 4) and not clearly_more(3, 5) and not clearly_more(0, 0)


def suggestion(page: str):
    match = re.search(r'<p class="did-you-mean"[^>]*>(.*?)</p>', page, re.DOTALL)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else None


def test_wrong_layout_query_shows_the_corrected_results_at_once(seeded, client):
    page = client.get("/search?q=xit=k=o").get_data(as_text=True)
    note = suggestion(page)
    assert note and "xit=k=o" in note and "ประชาชน" in note
    assert 'id="site-q" type="search" name="q" value="ประชาชน"' in page  # the search box says what was searched
    direct = client.get("/api/v1/search?q=ประชาชน").get_json()
    assert direct["total"] > 0 and "did_you_mean" not in direct
    for hit in direct["results"][:3]:
        assert f'href="{hit["url"]}"' in page  # the results of the corrected query are on the page
    api = client.get("/api/v1/search?q=xit=k=o").get_json()
    assert api["total"] == 0 and api["did_you_mean"] == "ประชาชน"
    exact = client.get("/search?q=xit=k=o&exact=1").get_data(as_text=True)  # "search for what I typed"
    assert "หมายถึง" in suggestion(exact) and "ประชาชน" in suggestion(exact)


def test_dropped_tone_mark_is_offered_when_it_finds_more(seeded, client):
    api = client.get("/api/v1/search?q=ผูรับบริการ").get_json()
    assert api["did_you_mean"] == "ผู้รับบริการ"
    assert client.get("/api/v1/search?q=ผู้รับบริการ").get_json()["total"] > api["total"]
    page = client.get("/search?q=ความเสียง").get_data(as_text=True)
    assert "ความเสี่ยง" in suggestion(page)


def test_good_queries_get_no_suggestion(seeded, client):
    for q in ("ประชาชน", "KM", "SP7", "แผนยุทธศาสตร์", "ไม่มีคำนี้แน่นอนxyz"):
        body = client.get("/api/v1/search", query_string={"q": q}).get_json()
        assert "did_you_mean" not in body, q
    assert suggestion(client.get("/search?q=ประชาชน").get_data(as_text=True)) is None
