"""cop.text.dates, cop.text.clean and cop.text.plain: the one date reader, the one cleaning rule and the one
Markdown → plain text function every form, the API, the importer and the exports share."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cop.text import dates
from cop.text.clean import clean_text, clean_tree
from cop.text.plain import markdown_to_text

SAME_DAY = [
    "2570-01-20",
    "2027-01-20",
    "20/01/2570",
    "20/1/2027",
    "20-01-2570",
    "20.01.2570",
    "๒๐/๐๑/๒๕๗๐",
    "20 ม.ค. 2570",
    "20 มกราคม 2570",
    "20 Jan 2027",
    "  20/01/2570  ",
]


@pytest.mark.parametrize("typed", SAME_DAY)
def test_every_way_of_writing_the_day_is_the_same_day(typed):
    assert dates.parse_date(typed) == date(2027, 1, 20)


@pytest.mark.parametrize(
    "typed",
    [
        "2570-01-20T09:00",
        "2027-01-20T09:00:00+07:00",
        "2027-01-20T02:00:00Z",
        "20/01/2570 09:00",
        "20/01/2570 9.00 น.",
        "20/01/2570 9 น.",
        "2570-01-20 เวลา 09.00 น.",
        "๒๐/๐๑/๒๕๗๐ ๐๙:๐๐",
        "20/01/2027 09:00",
    ],
)
def test_every_way_of_writing_the_time_is_the_same_instant(typed):
    assert dates.parse_datetime(typed) == datetime(2027, 1, 20, 2, 0)  # stored as naive UTC


def test_a_typed_range_is_not_read_as_a_utc_offset():
    with pytest.raises(dates.DateError):
        dates.parse_datetime("20-01-2570 09:00-12:00")


@pytest.mark.parametrize("typed", ["31/02/2570", "hello", "2570", "20/13/2570", "20/01/2570 24:30", "0/0/0"])
def test_nonsense_is_refused_with_a_message(typed):
    with pytest.raises(dates.DateError) as refused:
        dates.parse_datetime(typed)
    assert str(refused.value)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2300, 12, 31)))
def test_what_a_field_shows_reads_back_as_the_same_day(day):
    for locale in ("th", "en"):
        assert dates.parse_date(dates.format_date_input(day, locale)) == day


def test_windows_say_why():
    today = dates.today_bangkok()
    assert dates.window_problem(today, past=dates.years(3), future=dates.years(3), what="X") is None
    ahead = dates.window_problem(date(today.year + 5, 1, 1), past=None, future=dates.years(3), what="X")
    assert "3 years ahead" in ahead
    assert "years ago" in dates.window_problem(date(1990, 1, 1), past=dates.years(20), future=None, what="X")


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("\u200b\u200b", ""),
        ("\ufeffชื่อ\u200b", "ชื่อ"),
        ("a\u202eb\u202c", "ab"),
        ("\u3164", ""),
        ("ครู\u200bสอน", "ครู\u200bสอน"),  # a Thai word-break hint stays
        ("ab\u200bcd", "abcd"),  # elsewhere a zero-width space carries nothing
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),
        ("\u200dเริ่ม", "เริ่ม"),
        (" บรรทัด 1\r\n\tบรรทัด 2\u2028 ", "บรรทัด 1\n\tบรรทัด 2"),
        ("e\u0301", "\u00e9"),  # NFC
        ("x\x00y\x07", "xy"),
        ("\ud800ok", "ok"),  # a lone surrogate would break the database encoder
    ],
)
def test_the_cleaning_rule(raw, clean):
    assert clean_text(raw) == clean


def test_clean_tree_cleans_nested_json_but_leaves_numbers_and_keys():
    assert clean_tree({"a\u200b": [" x\u200b", {"n": 5, "s": "\u200b"}], "b": None}) == {
        "a\u200b": ["x", {"n": 5, "s": ""}],
        "b": None,
    }


@given(st.text())
def test_cleaning_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


def test_markdown_to_plain_text():
    text = markdown_to_text(
        "## กำหนดการ\n\n1. **ลงทะเบียน**\n2. บรรยาย\n\n- [คู่มือ](https://example.org/k)\n\nย่อหน้า *เอียง* `code` <b>html</b>"
    )
    assert text == ("กำหนดการ\n\n1. ลงทะเบียน\n2. บรรยาย\n\n• คู่มือ (https://example.org/k)\n\nย่อหน้า เอียง code html")
    assert markdown_to_text("") == "" and markdown_to_text(None) == ""


def test_without_a_past_limit_dates_go_back_to_2000():
    assert "before 2000" in dates.window_problem(date(1999, 12, 31), past=None, future=None, what="X")
    assert dates.window_problem(date(2000, 1, 1), past=None, future=None, what="X") is None


def test_the_invisible_class_matches_this_pythons_unicode_tables():
    import sys
    import unicodedata

    from cop.text.clean import _INVISIBLE

    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        invisible = unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in "\n\t"
        if invisible:
            assert _INVISIBLE.fullmatch(ch), hex(code)
