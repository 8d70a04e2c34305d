"""The knowledge map (everyone) and the statistics page (coordinators and admins)."""

import re
from collections import Counter

from cop.taxonomy import code_map

from .helpers import section, seed_items, text_of


def cell(page: str, href: str) -> tuple[int, str]:
    """(level, visible text) of the map cell that links to href."""
    match = re.search(r'<a class="map-cell level-(\d)" href="' + re.escape(href) + r'"[^>]*>(.*?)</a>', page, re.S)
    assert match, f"no map cell links to {href}"
    return int(match.group(1)), text_of(match.group(2))


def test_map_shows_counts_per_code_links_and_where_to_write_next(seeded, client):
    response = client.get("/map")
    assert response.status_code == 200
    page = response.get_data(as_text=True)

    stories = seed_items("02_stories.json", "stories")
    trainers = seed_items("04_trainers.json", "trainers")
    threads = seed_items("03_threads.json", "threads")
    level, text = cell(page, "/codes/SP7")
    expected = {
        "เรื่อง": sum("SP7" in s["codes"] for s in stories),
        "ถาม": sum("SP7" in t["codes"] for t in threads),
        "วิทยากร": sum("SP7" in t["codes"] for t in trainers),
    }
    for label, n in expected.items():
        assert f"{label} {n}" in text  # counts as numbers, not colour alone
    assert level >= 1 and text.startswith("SP7 ")

    empty_level, empty_text = cell(page, "/codes/LD5")  # no seeded content mentions LD5
    assert empty_level == 0 and "ยังไม่มีเนื้อหา" in empty_text
    write_next = text_of(section(page, "write-next-title"))
    assert "LD5" in write_next and "SP7" not in write_next

    assert cell(page, "/categories/7")[0] >= 1  # category 7 has no codes: one cell for the category
    codes_on_map = set(re.findall(r'class="map-cell level-\d" href="/codes/([A-Z]+\d+)"', page))
    assert codes_on_map == set(code_map())  # every activity code has its cell
    legend = text_of(section(page, "legend-title"))
    assert "ยังไม่มี — มาเขียนตรงนี้" in legend and "รายการ" in legend
    assert " style=" not in page and "<script>" not in page
    assert 'href="/map"' in client.get("/").get_data(as_text=True)  # in the main navigation


def test_map_cell_follows_new_content(seeded, client, make_user, login):
    email = make_user()
    login(email)
    response = client.post(
        "/stories/new",
        data={
            "title": "ทบทวนผลการดำเนินงานรายไตรมาสแบบ LD5",
            "summary": "ผู้บริหารทบทวนผลทุกไตรมาส",
            "body": "เล่าวิธีทบทวนผลงาน",
            "codes": "LD 5",
            "publish": "1",
            "year": "2567",
        },
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    level, text = cell(client.get("/map").get_data(as_text=True), "/codes/LD5")
    assert level == 1 and "เรื่อง 1" in text


def test_stats_refuses_members_and_shows_per_year_counts_to_coordinators(seeded, client, make_user, login):
    assert client.get("/stats").status_code == 302  # anonymous: log in first
    login(make_user(role="member"))
    assert client.get("/stats").status_code == 403
    client.post("/logout")

    login(make_user(role="coordinator"))
    response = client.get("/stats")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    per_year = Counter(s["year"] for s in seed_items("02_stories.json", "stories"))
    table = section(page, "table-year")
    for year, n in per_year.items():
        row = re.search(rf"<th scope=\"row\">{year}</th>\s*<td class=\"num\"[^>]*>(\d+)</td>", table)
        assert row and int(row.group(1)) == n, year
    # the chart draws one bar per year, with a tooltip, and no external service or inline code
    chart = section(page, "chart-year-title")
    for year, n in per_year.items():
        assert f"<title>{year}: {n} เรื่อง</title>" in chart
    assert "<svg" in chart and "http" not in chart.replace("http://www.w3.org/2000/svg", "")
    assert " style=" not in page and "<script>" not in page

    regions = text_of(section(page, "table-region"))
    assert "ภาคตะวันออกเฉียงเหนือ 2 0" in regions  # ขอนแก่น and นครราชสีมา clinics, both upcoming
    categories = text_of(section(page, "table-category"))
    assert "หมวด 7" in categories


def test_stats_for_admins_and_registrations_counted(seeded, client, make_user, login):
    member = make_user(role="member")
    login(member)
    assert client.post("/clinics/1/register").status_code in (302, 303)
    client.post("/logout")
    login(make_user(role="admin"))
    page = client.get("/stats").get_data(as_text=True)
    assert "<title>ภาคเหนือ: ลงทะเบียนแล้ว 1 คน รอคิว 0 คน</title>" in page  # clinic 1 is in เชียงใหม่
