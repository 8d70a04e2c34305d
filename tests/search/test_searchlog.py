"""The search log: queries and result counts per day, no identity; the stats page; retention and purge."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from cop.extensions import db
from cop.search.searchlog import SearchLogEntry, today

from ..helpers import close_database, fresh_session, make_app, rename_table, scalar


def test_log_counts_queries_without_who_asked(app, client, make_user, login):
    login(make_user())
    for q in ("การมีส่วนร่วม", "  การมีส่วนร่วม ", "KM", "ไม่มีเรื่องนี้เลยจริงๆ", "somchai@example.org", "โทร 081 234 5678"):
        assert client.get("/search", query_string={"q": q}).status_code == 200
    client.get("/search", query_string={"q": "KM", "page": 2})  # later pages are not new searches
    with fresh_session(app):
        columns = {c["name"] for c in inspect(db.engine).get_columns("search_log")}
        assert columns == {"id", "day", "query", "searches", "empty", "results"}  # nobody, nowhere, no time
        rows = {r.query: r for r in db.session.scalars(select(SearchLogEntry))}
    assert set(rows) == {"การมีส่วนร่วม", "km", "ไม่มีเรื่องนี้เลยจริงๆ"}  # e-mails and phone numbers never kept
    assert rows["การมีส่วนร่วม"].searches == 2 and rows["km"].searches == 1
    assert rows["ไม่มีเรื่องนี้เลยจริงๆ"].empty == 1 and rows["ไม่มีเรื่องนี้เลยจริงๆ"].results == 0
    assert all(r.day == today() for r in rows.values())


def test_stats_page_shows_frequent_and_unfound_searches(app, runner, client, make_user, login):
    runner.invoke(args=["seed"])
    for q in ["ตัวชี้วัด"] * 3 + ["การจัดการความรู้"] * 2 + ["ศูนย์ราชการสะดวก"] * 2:
        client.get("/search", query_string={"q": q})
    login(make_user(role="coordinator"))
    page = client.get("/stats").get_data(as_text=True)
    section = page[page.index('id="searches"') :]
    section = section[: section.index("</section>")]
    top = section[section.index('id="table-top-queries"') : section.index('id="table-unfound-queries"')]
    unfound = section[section.index('id="table-unfound-queries"') :]
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', top)
    assert names[0] == "ตัวชี้วัด"
    assert re.search(r'ตัวชี้วัด</a></th><td class="num"[^>]*>3</td>', top)
    assert "ศูนย์ราชการสะดวก" in unfound and "ตัวชี้วัด" not in unfound
    assert 'href="/map#write-next-title"' in section


def test_purge_removes_rows_older_than_the_retention(app, runner):
    with fresh_session(app):
        for age in (0, 10, 200):
            db.session.add(
                SearchLogEntry(day=today() - timedelta(days=age), query=f"q{age}", searches=1, empty=0, results=1)
            )
        db.session.commit()
    result = runner.invoke(args=["search", "purge-log"])
    assert result.exit_code == 0 and "Removed 1" in result.output
    result = runner.invoke(args=["search", "purge-log", "--days", "5"])
    assert "Removed 1" in result.output
    with fresh_session(app):
        assert [r.query for r in db.session.scalars(select(SearchLogEntry))] == ["q0"]


def test_zero_days_keeps_no_log(tmp_path):
    app = make_app(tmp_path, SEARCH_LOG_DAYS=0)
    app.test_client().get("/search?q=ตัวชี้วัด")
    assert scalar(app, select(SearchLogEntry)) is None
    close_database(app)


def _rows(app):
    with fresh_session(app) as session:
        return {r.query: (r.searches, r.empty, r.results) for r in session.scalars(select(SearchLogEntry))}


def test_searches_are_written_in_batches_and_a_failed_write_keeps_them(tmp_path):
    from cop.search import searchlog

    app = make_app(tmp_path, SEARCH_LOG_FLUSH_SECONDS=3600)
    client = app.test_client()
    for q in ("ตัวชี้วัด", "ตัวชี้วัด", "ไม่มีเรื่องนี้เลยจริงๆ", "somchai@example.org"):
        assert client.get("/search", query_string={"q": q}).status_code == 200
    assert _rows(app) == {}  # nothing written while searching
    assert searchlog.flush(app) == 3
    assert _rows(app) == {"ตัวชี้วัด": (2, 2, 0), "ไม่มีเรื่องนี้เลยจริงๆ": (1, 1, 0)}

    client.get("/search", query_string={"q": "ตัวชี้วัด"})
    rename_table(app, "search_log", "search_log_gone")
    with pytest.raises(Exception):  # noqa: B017 - the table is gone on purpose
        searchlog.flush(app)
    assert sum(row[0] for row in searchlog._pending[app].values()) == 1
    rename_table(app, "search_log_gone", "search_log")
    assert searchlog.flush(app) == 1
    assert _rows(app)["ตัวชี้วัด"] == (3, 3, 0)
    close_database(app)
