"""Atom carries no raw Markdown: the summary is plain text, the content the rendered (sanitized) HTML."""

import xml.etree.ElementTree as ET  # nosec B405  # parsing our own feed in a test

NS = {"a": "http://www.w3.org/2005/Atom"}


def test_atom_summary_and_content_carry_no_markdown(client, make_user, make_story):
    make_story(
        make_user(),
        title="เรื่องเล่ามีสรุป",
        codes=["SP7"],
        summary="**ลดเวลา**รอคิว ด้วย *บัตรคิว*",
        body="## ขั้นตอน\n\n- **วางแผน**\n- ลงมือ",
    )
    root = ET.fromstring(client.get("/stories/feed/code/SP7.atom").data)  # nosec B314
    summary = root.find("a:entry/a:summary", NS).text
    content = root.find("a:entry/a:content", NS).text
    assert summary == "ลดเวลารอคิว ด้วย บัตรคิว"
    assert "<h2" in content and "<strong>วางแผน</strong>" in content
    assert "**" not in summary + content and "##" not in summary + content
