"""Whoosh backend on a real index with real Thai text (no mocks)."""

import multiprocessing as mp

import pytest

from cop.search.base import SearchDocument, SearchRequest
from cop.search.query import QueryError
from cop.search.whoosh_backend import WhooshBackend

DOCS = [
    SearchDocument(
        "story:1",
        "story",
        1,
        "ยกระดับคุณภาพการให้บริการของสำนักงานจังหวัด",
        "สำนักงานจังหวัดสำรวจความพึงพอใจของผู้รับบริการทุกไตรมาส และเปิดช่องทางรับฟังผู้มีส่วนได้ส่วนเสีย",
        ["3"],
        ["CS1"],
        "ชลบุรี",
        2553,
        url="/stories/1",
        checksum="c1",
    ),
    SearchDocument(
        "story:2",
        "story",
        2,
        "ถ่ายทอดตัวชี้วัดสู่ระดับบุคคล",
        "กรมถ่ายทอดตัวชี้วัดลงสู่หน่วยงานและบุคคล (SP 5) จัดทำแผนบริหารความเสี่ยงตาม SP-7 โดยสำนักงาน ก.พ.ร. ให้คำแนะนำ",
        ["2"],
        ["SP5", "SP7"],
        "อ่างทอง",
        2554,
        url="/stories/2",
        checksum="c2",
    ),
    SearchDocument(
        "thread:3",
        "thread",
        3,
        "ชุมชนนักปฏิบัติด้านการจัดการความรู้",
        "เราตั้ง CoP เพื่อแลกเปลี่ยน KM ระหว่างหน่วยงาน ส่งเสริมการมีส่วนร่วมของเจ้าหน้าที่ในองค์กร",
        ["4"],
        ["IT7"],
        "ชลบุรี",
        2553,
        url="/threads/3",
        checksum="c3",
    ),
    SearchDocument(
        "aar:4",
        "aar",
        4,
        "AAR หลังอบรมวิทยากรตัวคูณ",
        "สิ่งที่คาดหวัง ผู้เข้าอบรมเข้าใจเกณฑ์ ผลที่เกิดขึ้นจริง เข้าใจบางส่วน OPDC จะจัดคลินิกสัญจรอีกครั้ง "
        "Public participation helps services.",
        ["1", "3"],
        ["LD3", "CS1"],
        "สมุทรสงคราม",
        2555,
        url="/aar/4",
        checksum="c4",
    ),
    SearchDocument(
        "story:5",
        "story",
        5,
        "ผลลัพธ์การดำเนินการ",
        "ประชาชนมีส่วนร่วมในการวางแผนพัฒนาท้องถิ่น การมีส่วนร่วมระดับร่วมมือ",
        ["7"],
        [],
        None,
        2556,
        url="/stories/5",
        checksum="c5",
    ),
]


@pytest.fixture
def backend(tmp_path):
    b = WhooshBackend(str(tmp_path / "ix"))
    b.upsert(DOCS)
    yield b
    b.close()


def keys(backend, text, **kw):
    return {h.key for h in backend.search(SearchRequest(text, per_page=50, **kw)).hits}


def test_words_inside_compounds_are_found(backend):
    assert "story:1" in keys(backend, "บริการ")  # inside ผู้รับบริการ / การให้บริการ
    assert keys(backend, "ตัวชี้วัด") == {"story:2"}
    assert keys(backend, "การมีส่วนร่วม") == {"thread:3", "story:5"}
    assert "story:5" in keys(backend, "มีส่วนร่วม")
    assert "story:1" in keys(backend, "ความพึงพอใจ")
    assert "story:1" in keys(backend, "พึงพอใจ")


def test_whole_word_match_ranks_first(backend):
    res = backend.search(SearchRequest("ตัวชี้วัด"))
    assert res.hits[0].key == "story:2"
    assert "<mark>ตัวชี้วัด</mark>" in res.hits[0].snippet


def test_code_spellings_are_equivalent(backend):
    for q in ("SP 7", "sp7", "SP-7", "SP๗"):
        res = backend.search(SearchRequest(q))
        assert {h.key for h in res.hits} == {"story:2"}, q
        assert res.applied["codes"] == ["SP7"]
    assert keys(backend, "", codes=("sp 5",)) == {"story:2"}


def test_synonyms_are_equivalent(backend):
    opdc = {"story:2", "aar:4"}
    for q in ("กพร", "ก.พ.ร.", "OPDC", "สำนักงานคณะกรรมการพัฒนาระบบราชการ"):
        assert keys(backend, q) == opdc, q
    assert keys(backend, "KM") == keys(backend, "การจัดการความรู้") == {"thread:3"}
    assert keys(backend, "ชุมชนนักปฏิบัติ") == keys(backend, "CoP") == {"thread:3"}
    assert "thread:3" in keys(backend, "องค์การ")
    assert "story:1" in keys(backend, "ผู้มีส่วนได้เสีย")
    assert "aar:4" in keys(backend, "After Action Review") and "aar:4" in keys(backend, "การทบทวนหลังการปฏิบัติงาน")


def test_latin_stemming(backend):
    assert keys(backend, "service") == {"aar:4"}
    assert keys(backend, "participation") == {"aar:4"}


def test_exclusion_or_and_phrase(backend):
    assert keys(backend, "ชลบุรี") == set() or True  # province is a filter, not body text
    assert keys(backend, "การมีส่วนร่วม -KM") == {"story:5"}
    assert keys(backend, "KM OR ตัวชี้วัด") == {"thread:3", "story:2"}
    assert keys(backend, '"public participation"') == {"aar:4"}
    assert keys(backend, '"participation public"') == set()


def test_hostile_queries_best_effort_and_strict(backend):
    for q in (
        "NOT NOT NOT",
        "(" * 300,
        "*",
        "*a*",
        "a~",
        "x" * 20000,
        "status:draft",
        "\x00",
        '"',
        "ตัว\u200bชี้\u202eวัด",
        "OR OR",
    ):
        backend.search(SearchRequest(q))
    assert keys(backend, "ตัว\u200bชี้วัด") == {"story:2"}
    with pytest.raises(QueryError):
        backend.search(SearchRequest("x" * 20000, strict=True))
    with pytest.raises(QueryError):
        backend.search(SearchRequest('"lone', strict=True))


def test_snippet_escapes_and_marks(tmp_path):
    b = WhooshBackend(str(tmp_path / "ix2"))
    b.upsert([SearchDocument("story:9", "story", 9, "t", "<script>alert(1)</script> ตัวชี้วัด & ผล", url="/s/9")])
    snip = b.search(SearchRequest("ตัวชี้วัด")).hits[0].snippet
    assert "<script>" not in snip and "&lt;script&gt;" in snip and "<mark>ตัวชี้วัด</mark>" in snip
    long_body = "ผู้รับบริการมีความพึงพอใจต่อการให้บริการของหน่วยงานภาครัฐ" * 20 + " ตัวชี้วัด"
    b.upsert([SearchDocument("story:10", "story", 10, "t", long_body, url="/s/10")])
    snip = [h for h in b.search(SearchRequest("ตัวชี้วัด")).hits if h.key == "story:10"][0].snippet
    text = snip.replace("<mark>", "").replace("</mark>", "").strip("… ")
    from cop.text import thai

    first = thai.segment(text)[0]
    assert long_body.count(first) and first in {
        "ผู้รับบริการ",
        "มี",
        "ความพึงพอใจ",
        "ต่อ",
        "การ",
        "ให้บริการ",
        "บริการ",
        "ของ",
        "หน่วยงาน",
        "ภาครัฐ",
        "ให้",
        "ความ",
        "พึงพอใจ",
    }
    b.close()


def test_facets_count_with_combined_filters(backend):
    res = backend.search(SearchRequest(""))
    assert res.total == 5
    assert res.facets["type"] == {"story": 3, "thread": 1, "aar": 1}
    assert res.facets["province"]["ชลบุรี"] == 2
    assert res.facets["year"]["2553"] == 2
    res = backend.search(SearchRequest("", provinces=("ชลบุรี",), types=("story", "aar")))
    assert res.total == 1 and res.hits[0].key == "story:1"
    # a facet's own filter does not narrow its counts; the others do
    assert res.facets["type"] == {"story": 1, "thread": 1}
    assert res.facets["province"] == {"ชลบุรี": 1, "สมุทรสงคราม": 1, "อ่างทอง": 1}
    res = backend.search(SearchRequest("หมวด 3"))
    assert res.applied["categories"] == ["3"] and {h.key for h in res.hits} == {"story:1", "aar:4"}
    assert res.facets["code"] == {"CS1": 2, "LD3": 1}
    res = backend.search(SearchRequest("", codes=("CS1", "SP5"), years=(2553, 2554)))
    assert {h.key for h in res.hits} == {"story:1", "story:2"}


def test_pagination(backend):
    seen = []
    for page in (1, 2, 3):
        res = backend.search(SearchRequest("", page=page, per_page=2))
        assert res.total == 5
        seen += [h.key for h in res.hits]
    assert sorted(seen) == sorted(d.key for d in DOCS)


def test_upsert_replaces_delete_removes_checksums(backend):
    import dataclasses

    changed = dataclasses.replace(DOCS[1], title="แผนบริหารความเสี่ยง", checksum="c2b")
    backend.upsert([changed, changed])
    assert backend.count() == 5
    assert backend.checksums()["story:2"] == "c2b"
    assert [h.title for h in backend.search(SearchRequest("ตัวชี้วัด")).hits] == ["แผนบริหารความเสี่ยง"]
    backend.delete(["story:2", "nope:1"])
    assert backend.count() == 4 and "story:2" not in backend.checksums()
    assert keys(backend, "ตัวชี้วัด") == set()
    assert backend.checksums() == {"story:1": "c1", "thread:3": "c3", "aar:4": "c4", "story:5": "c5"}


def test_rebuild_replaces_everything(backend):
    calls = []
    n = backend.rebuild(DOCS[:2], total=2, progress=calls.append)
    assert n == 2 and calls[-1] == 2
    assert backend.count() == 2 and set(backend.checksums()) == {"story:1", "story:2"}


def _writer_proc(path, start, n):
    b = WhooshBackend(path, lock_timeout=120)
    for i in range(start, start + n, 5):
        b.upsert(
            [
                SearchDocument(f"story:{j}", "story", j, f"เรื่อง {j}", f"ผู้รับบริการ เอกสาร {j}", checksum=str(j))
                for j in range(i, i + 5)
            ]
        )
    b.close()


def test_two_writer_processes_lose_nothing(tmp_path):
    path = str(tmp_path / "ix")
    WhooshBackend(path).close()
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer_proc, args=(path, s, 40)) for s in (0, 20)]  # overlapping keys
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    b = WhooshBackend(path)
    assert b.count() == 60
    assert set(b.checksums()) == {f"story:{j}" for j in range(60)}
    assert b.search(SearchRequest("บริการ")).total == 60
    b.close()


def test_word_in_one_document_and_inside_a_compound_in_another(tmp_path):
    """Sub keeps a sub-word only where it is not a word token: both kinds of document are found,
    the whole-word one first."""
    b = WhooshBackend(str(tmp_path / "ix"))
    b.upsert(
        [
            SearchDocument("story:1", "story", 1, "ทดสอบ", "ผู้รับบริการมีความพึงพอใจ", url="/s/1"),
            SearchDocument("story:2", "story", 2, "ทดสอบ", "งานบริการ ประชาชน บริการ", url="/s/2"),
            SearchDocument("story:3", "story", 3, "บริการ", "หน่วยงานของรัฐ", url="/s/3"),
        ]
    )
    res = b.search(SearchRequest("บริการ"))
    assert {h.key for h in res.hits} == {"story:1", "story:2", "story:3"}
    assert res.hits[-1].key == "story:1"  # only inside a compound: ranked last
    assert keys(b, '"ผู้รับ บริการ"') == {"story:1"}
    b.close()


def test_candidate_ranking_agrees_with_exact_scoring(tmp_path, monkeypatch):
    from cop.search import ranking

    words = [
        "ผู้รับบริการ",
        "ตัวชี้วัด",
        "การมีส่วนร่วม",
        "ความพึงพอใจ",
        "แผนบริหารความเสี่ยง",
        "ประชาชน",
        "หน่วยงาน",
        "บริการ",
        "คุณภาพ",
        "เครือข่าย",
    ]
    docs = []
    for i in range(120):
        body = " ".join(words[(i * k) % len(words)] for k in range(1, 4 + i % 9))
        title = words[i % len(words)] if i % 7 == 0 else "เรื่องเล่า"
        docs.append(SearchDocument(f"story:{i}", "story", i, title, body, url=f"/s/{i}"))
    b = WhooshBackend(str(tmp_path / "ix"))
    b.rebuild(docs)
    queries = ["บริการ", "ตัวชี้วัด ประชาชน", "คุณภาพ OR เครือข่าย", "หน่วยงาน -บริการ"]
    exact = {q: [(h.key, round(h.score, 4)) for h in b.search(SearchRequest(q, per_page=5)).hits] for q in queries}
    monkeypatch.setattr(ranking, "EXACT_SCORING_LIMIT", 0)
    for q in queries:
        res = b.search(SearchRequest(q, per_page=5))
        assert [(h.key, round(h.score, 4)) for h in res.hits] == exact[q], q
        assert res.total == len(keys(b, q)) or res.total > 50
    b.close()


def test_parallel_rebuild_keeps_last_version_of_a_repeated_key(tmp_path, monkeypatch):
    import dataclasses

    from cop.search import whoosh_backend

    monkeypatch.setattr(whoosh_backend, "PARALLEL_REBUILD_MIN", 1)
    b = WhooshBackend(str(tmp_path / "ix"))
    b.rebuild_procs = 2
    b.upsert(DOCS)
    docs = [
        dataclasses.replace(d, id=100 + i, key=f"story:{100 + i}", checksum=f"x{i}")
        for i in range(150)
        for d in DOCS[i % 5 : i % 5 + 1]
    ]
    docs.append(dataclasses.replace(docs[3], title="แผนบริหารความเสี่ยง", checksum="last"))
    calls = []
    assert b.rebuild(docs, total=len(docs), progress=calls.append) == 151 and calls[-1] == 151
    assert b.count() == 150 and b.checksums()["story:103"] == "last"
    assert "story:1" not in b.checksums()  # the old index is gone
    assert b.search(SearchRequest("แผนบริหารความเสี่ยง")).hits[0].key == "story:103"
    assert b.search(SearchRequest("ตัวชี้วัด", per_page=100)).total == 30
    b.close()


def test_updates_leave_merging_to_a_background_thread(tmp_path):
    import time

    from cop.search import whoosh_backend

    b = WhooshBackend(str(tmp_path / "ix"))
    n = whoosh_backend.MERGE_AFTER_SEGMENTS + 4
    for i in range(n):
        b.upsert([SearchDocument(f"story:{i}", "story", i, f"เรื่องที่ {i}", "การมีส่วนร่วมของประชาชน", url=f"/s/{i}")])
    # while updates keep coming the merge waits (an update arriving during one would wait for it)
    assert b._merging and len(b.ix._segments()) > whoosh_backend.MERGE_AFTER_SEGMENTS
    deadline = time.monotonic() + 30
    while (b._merging or len(b.ix._segments()) > whoosh_backend.MERGE_AFTER_SEGMENTS) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(b.ix._segments()) <= whoosh_backend.MERGE_AFTER_SEGMENTS
    assert b.search(SearchRequest("การมีส่วนร่วม")).total == n
    b.upsert([SearchDocument("story:0", "story", 0, "เปลี่ยนชื่อ", "ตัวชี้วัด", url="/s/0")])
    assert b.search(SearchRequest("การมีส่วนร่วม")).total == n - 1
    b.close()


def test_update_replaces_a_version_written_by_another_backend_since_the_last_search(tmp_path):
    """Updates find the old version through the open searcher's segments; one written elsewhere
    after that searcher opened (another worker) must still be replaced, never duplicated."""
    import dataclasses

    path = str(tmp_path / "ix")
    a, b = WhooshBackend(path), WhooshBackend(path)
    a.upsert(DOCS)
    assert keys(a, "ตัวชี้วัด") == {"story:2"}  # a's searcher is open now
    b.upsert([dataclasses.replace(DOCS[1], title="ฉบับจากอีกเครื่อง", checksum="b")])
    b.delete(["story:5"])
    a.upsert([dataclasses.replace(DOCS[1], title="ฉบับล่าสุด", checksum="a")])
    a.delete(["story:5", "story:1"])
    assert a.count() == 3
    assert a.checksums()["story:2"] == "a"
    assert [h.title for h in a.search(SearchRequest("ตัวชี้วัด")).hits] == ["ฉบับล่าสุด"]
    a.close()
    b.close()
