"""The search page's sidebar: each facet lists its most frequent values first and folds the rest behind one
link, so a phone reader sees the results without scrolling past 77 provinces."""

import json
import re

import pytest

from cop.search.web import FACET_TOP
from cop.taxonomy import provinces

# the first has three stories; the rest one each, some starting with a leading vowel (เ แ โ)
PROVINCES = ("ขอนแก่น", "เชียงใหม่", "แพร่", "ชลบุรี", "ตาก", "น่าน", "เลย", "ยะลา", "กระบี่", "สตูล", "นครพนม", "ลำปาง")


@pytest.fixture
def spread(app, runner, tmp_path):
    """One story per province for 12 provinces; the first province has three, so it ranks first."""
    stories = [
        {
            "title": f"ทีมเคลื่อนที่เร็ว {province} {n}",
            "summary": "ลงพื้นที่ร่วมกับชุมชน",
            "body": "ทีมเคลื่อนที่เร็วลงพื้นที่ทุกสัปดาห์",
            "agency": "สำนักงานจังหวัด",
            "province": province,
            "year": 2566,
            "categories": ["3"],
            "codes": ["CS1"],
            "author": "writer@example.org",
            "published_at": "2023-05-01T09:00:00",
        }
        for i, province in enumerate(PROVINCES)
        for n in range(3 if i == 0 else 1)
    ]
    document = {
        "format": "cop",
        "version": 1,
        "users": [{"email": "writer@example.org", "name": "ผู้เขียน ทดสอบ", "role": "member"}],
        "stories": stories,
    }
    path = tmp_path / "spread.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    return app


def province_links(page: str) -> list[str]:
    block = re.search(r'<h2 id="facet-province">.*?</ul>', page, re.DOTALL).group(0)
    return re.findall(r'<li><a href="[^"]*"[^>]*>(?:✓ )?([^<]+)</a>', block)


def more_link(page: str):
    match = re.search(
        r'<h2 id="facet-province">.*?</ul>\s*<p class="facet-more"><a href="([^"]+)">([^<]+)</a>', page, re.DOTALL
    )
    return (match.group(1).replace("&amp;", "&"), match.group(2)) if match else None


def test_a_long_facet_shows_its_top_values_and_folds_the_rest(spread, client):
    page = client.get("/search?q=ทีมเคลื่อนที่เร็ว").get_data(as_text=True)
    shown = province_links(page)
    ties = [p for p in provinces() if p in PROVINCES[1:]]  # equal counts in Thai dictionary order: เลย under ล
    assert shown == [PROVINCES[0], *ties[: FACET_TOP - 1]]  # the most frequent first
    href, label = more_link(page)
    assert label == f"แสดงอีก {12 - FACET_TOP} รายการ"

    assert href.endswith("#facet-province")  # the reader lands back at the list they opened
    assert '<details class="filter-box">' in page
    full = client.get(href).get_data(as_text=True)
    assert sorted(province_links(full)) == sorted(PROVINCES)
    assert '<details class="filter-box" open>' in full  # on a phone the filters stay unfolded
    back, label = more_link(full)
    assert label == "แสดงน้อยลง" and "more=" not in back
    assert len(province_links(client.get(back).get_data(as_text=True))) == FACET_TOP


def test_a_chosen_value_stays_visible_and_the_whole_list_keeps_the_results_page(spread, client):
    last = [p for p in provinces() if p in PROVINCES][-1]  # one story: folded away unless chosen
    page = client.get(f"/search?q=ทีมเคลื่อนที่เร็ว&province={last}&page=1").get_data(as_text=True)
    assert last in province_links(page)
    assert f"✓ {last}" in page
    href, _label = more_link(page)
    assert "page=1" in href and "more=province" in href and "province=" in href


def test_one_value_over_the_limit_is_shown_rather_than_folded(spread, client, monkeypatch):
    monkeypatch.setattr("cop.search.web.FACET_TOP", 11)  # 12 provinces: folding one away would save nothing
    page = client.get("/search?q=ทีมเคลื่อนที่เร็ว").get_data(as_text=True)
    assert len(province_links(page)) == 12 and more_link(page) is None
    monkeypatch.setattr("cop.search.web.FACET_TOP", 10)
    page = client.get("/search?q=ทีมเคลื่อนที่เร็ว&page=1").get_data(as_text=True)
    assert len(province_links(page)) == 10 and more_link(page)[1] == "แสดงอีก 2 รายการ"
