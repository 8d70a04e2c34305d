"""Story templates a writer starts from (``stories.template`` in the database): data, not code.

Each template lists headings; a heading becomes a ``## heading`` prefilled in the body with a short
prompt under it. ``limit`` (award write-up only) is the most Thai words the text under the heading may
hold, counted with ``cop.text.thai.word_count``. A template is a start, not a cage: writers may add,
rename or drop headings; limits apply to the headings that are still recognizable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..text.thai import word_count


@dataclass(frozen=True)
class TemplateHeading:
    key: str
    heading: str  # Thai, as written into the body
    prompt: str = ""
    limit: int | None = None
    number: str = ""  # "1", "6.1": lets a heading be recognized after the writer rewords it


@dataclass(frozen=True)
class StoryTemplate:
    key: str
    name: object  # lazy translated label
    description: object
    headings: tuple[TemplateHeading, ...]

    def body(self) -> str:
        parts = []
        for s in self.headings:
            heading = s.heading + (f" (ไม่เกิน {s.limit:,} คำ)" if s.limit else "")
            parts.append(f"## {heading}\n{s.prompt}\n" if s.prompt else f"## {heading}\n")
        return "\n".join(parts)


STORY_TEMPLATES: dict[str, StoryTemplate] = {
    story_template.key: story_template
    for story_template in (
        StoryTemplate(
            "experience",
            _l("Experience summary"),
            _l("Why you chose the work, the steps you took, problems and fixes, tips for the network."),
            (
                TemplateHeading("why", "ทำไมจึงเลือกทำเรื่องนี้", "เหตุผลและบริบทของหน่วยงาน"),
                TemplateHeading("steps", "ขั้นตอนที่ทำ", "เล่าทีละขั้น"),
                TemplateHeading("problems", "ปัญหาและวิธีแก้ในแต่ละขั้น", "ปัญหา → วิธีแก้"),
                TemplateHeading("tips", "เคล็ดลับ"),
                TemplateHeading("next", "สิ่งที่เครือข่ายควรทำต่อ"),
            ),
        ),
        StoryTemplate(
            "report",
            _l("Work report"),
            _l("Rationale, concepts and rules, steps, analysis and expected benefits."),
            (
                TemplateHeading("rationale", "หลักการและเหตุผล"),
                TemplateHeading("concepts", "แนวคิดและหลักเกณฑ์ที่เกี่ยวข้อง"),
                TemplateHeading("steps", "ขั้นตอนการดำเนินงาน", "ก่อนดำเนินการ / ระหว่างดำเนินการ / การติดตามผล / การปรับปรุง"),
                TemplateHeading("analysis", "การวิเคราะห์", "ปัญหาเชิงนโยบายและการปฏิบัติ และข้อเสนอแนะ"),
                TemplateHeading("benefits", "ประโยชน์ที่คาดว่าจะได้รับ"),
            ),
        ),
        StoryTemplate(
            "award",
            _l("Award write-up"),
            _l("The award report's questions, each with its limit in Thai words."),
            (
                TemplateHeading(
                    "problem", "1. ปัญหาและสภาพเดิมก่อนปรับปรุง", "ที่มา ปัญหา แนวโน้ม และกลุ่มที่ได้รับผลกระทบ", 700, "1"
                ),
                TemplateHeading("stakeholders", "2. ผู้เสนอแนวทางและผู้มีส่วนได้ส่วนเสีย", "ใครร่วมออกแบบและดำเนินการ", 700, "2"),
                TemplateHeading("initiative", "3. ความคิดริเริ่ม", "อะไรใหม่ และทำไมจึงแก้ปัญหาได้", 1400, "3"),
                TemplateHeading("strategy", "4. กลยุทธ์", "วัตถุประสงค์ กลยุทธ์ แผนปฏิบัติการ และผู้รับผิดชอบ", 1400, "4"),
                TemplateHeading("resources", "5. ทรัพยากร", "เงิน เทคนิค คน ผู้สนับสนุน และวิธีจัดสรร", 700, "5"),
                TemplateHeading("development", "6.1 ลำดับขั้นการพัฒนาจนถึงการวางแผน", "", 700, "6.1"),
                TemplateHeading("implementation", "6.2 ลำดับขั้นการปฏิบัติตามแผน", "", 700, "6.2"),
                TemplateHeading("monitoring", "6.3 ระบบติดตามและประเมินผล", "", 700, "6.3"),
                TemplateHeading("obstacles", "7. ปัญหา อุปสรรค และวิธีจัดการ", "", 700, "7"),
                TemplateHeading("benefits", "8. ประโยชน์ที่ได้รับ", "ผลลัพธ์เชิงปริมาณและคุณภาพ วิธีวัด และใครได้ประโยชน์", 1400, "8"),
                TemplateHeading("sustainability", "9. ความยั่งยืนและการขยายผล", "", 700, "9"),
                TemplateHeading("lessons", "10. บทเรียน", "องค์ประกอบที่ทำให้สำเร็จ สิ่งที่ได้เรียนรู้ และข้อเสนอแนะ", 700, "10"),
            ),
        ),
        StoryTemplate(
            "talk",
            _l("Best-practice talk"),
            _l("What the agency did, key success factors, problems and lessons."),
            (
                TemplateHeading("what", "สิ่งที่ทำ"),
                TemplateHeading("factors", "ปัจจัยแห่งความสำเร็จ"),
                TemplateHeading("problems", "ปัญหาที่พบ"),
                TemplateHeading("lessons", "บทเรียน"),
            ),
        ),
    )
}


def get_template(key: str | None) -> StoryTemplate | None:
    return STORY_TEMPLATES.get(key or "")


_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_LIMIT_NOTE_RE = re.compile(r"\(\s*ไม่เกิน[^)]*\)|\(\s*(?:up to|max\.?)[^)]*\)", re.IGNORECASE)


def _clean_heading(text: str) -> str:
    return re.sub(r"\s+", " ", _LIMIT_NOTE_RE.sub("", text)).strip()


def _match(story_template: StoryTemplate, heading: str) -> TemplateHeading | None:
    cleaned = _clean_heading(heading)
    for s in story_template.headings:
        if cleaned == s.heading or cleaned.startswith(s.heading):
            return s
    first = cleaned.split(" ", 1)[0].rstrip(".)")
    for s in story_template.headings:
        if s.number and first == s.number:
            return s
    return None


def split_by_heading(story_template: StoryTemplate, body: str) -> dict[str, str]:
    """The text under each of the template's recognizable headings, up to the next heading of the same
    or a higher level (sub-headings and their text count towards the heading above them)."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    level = 0
    for line in (body or "").splitlines():
        m = _HEADING_RE.match(line)
        if m:
            heading = _match(story_template, m.group(2))
            if heading is not None:
                current, level = heading.key, len(m.group(1))
                found.setdefault(current, [])
                continue
            if current is not None and len(m.group(1)) <= level:
                current = None
            elif current is not None:
                found[current].append(m.group(2))
            continue
        if current is not None:
            found[current].append(line)
    return {k: "\n".join(v) for k, v in found.items()}


def heading_counts(story_template: StoryTemplate, body: str) -> list[dict]:
    """Per heading: key, heading, Thai word count and limit (the same numbers the server enforces)."""
    texts = split_by_heading(story_template, body)
    out = []
    for s in story_template.headings:
        count = word_count(texts.get(s.key, "")) if s.key in texts else 0
        out.append(
            {
                "key": s.key,
                "heading": s.heading,
                "count": count,
                "limit": s.limit,
                "present": s.key in texts,
                "over": bool(s.limit and count > s.limit),
            }
        )
    return out
