"""The shapes a writer starts from (PMQA.md, "Shapes"): data, not code.

Each shape lists sections; a section becomes a ``## heading`` prefilled in the body with a short
prompt under it. ``limit`` (award write-up only) is the most Thai words the section may hold,
counted with :func:`cop.text.thai.word_count`. A shape is a start, not a cage: writers may add,
rename or drop sections; limits apply to the sections whose headings are still recognizable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class ShapeSection:
    key: str
    heading: str  # Thai, as written into the body
    prompt: str = ""
    limit: int | None = None
    number: str = ""  # "1", "6.1": lets a heading be recognized after the writer rewords it


@dataclass(frozen=True)
class Shape:
    key: str
    name: object  # lazy translated label
    description: object
    sections: tuple[ShapeSection, ...]

    def body(self) -> str:
        parts = []
        for s in self.sections:
            heading = s.heading + (f" (ไม่เกิน {s.limit:,} คำ)" if s.limit else "")
            parts.append(f"## {heading}\n{s.prompt}\n" if s.prompt else f"## {heading}\n")
        return "\n".join(parts)


SHAPES: dict[str, Shape] = {shape.key: shape for shape in (
    Shape("experience", _l("Experience summary"),
          _l("Why you chose the work, the steps you took, problems and fixes, tips for the network."),
          (ShapeSection("why", "ทำไมจึงเลือกทำเรื่องนี้", "เหตุผลและบริบทของหน่วยงาน"),
           ShapeSection("steps", "ขั้นตอนที่ทำ", "เล่าทีละขั้น"),
           ShapeSection("problems", "ปัญหาและวิธีแก้ในแต่ละขั้น", "ปัญหา → วิธีแก้"),
           ShapeSection("tips", "เคล็ดลับ"),
           ShapeSection("next", "สิ่งที่เครือข่ายควรทำต่อ"))),
    Shape("report", _l("Work report"),
          _l("Rationale, concepts and rules, steps, analysis and expected benefits."),
          (ShapeSection("rationale", "หลักการและเหตุผล"),
           ShapeSection("concepts", "แนวคิดและหลักเกณฑ์ที่เกี่ยวข้อง"),
           ShapeSection("steps", "ขั้นตอนการดำเนินงาน", "ก่อนดำเนินการ / ระหว่างดำเนินการ / การติดตามผล / การปรับปรุง"),
           ShapeSection("analysis", "การวิเคราะห์", "ปัญหาเชิงนโยบายและการปฏิบัติ และข้อเสนอแนะ"),
           ShapeSection("benefits", "ประโยชน์ที่คาดว่าจะได้รับ"))),
    Shape("award", _l("Award write-up"),
          _l("The award report's questions, each with its limit in Thai words."),
          (ShapeSection("problem", "1. ปัญหาและสภาพเดิมก่อนปรับปรุง", "ที่มา ปัญหา แนวโน้ม และกลุ่มที่ได้รับผลกระทบ", 700, "1"),
           ShapeSection("stakeholders", "2. ผู้เสนอแนวทางและผู้มีส่วนได้ส่วนเสีย", "ใครร่วมออกแบบและดำเนินการ", 700, "2"),
           ShapeSection("initiative", "3. ความคิดริเริ่ม", "อะไรใหม่ และทำไมจึงแก้ปัญหาได้", 1400, "3"),
           ShapeSection("strategy", "4. กลยุทธ์", "วัตถุประสงค์ กลยุทธ์ แผนปฏิบัติการ และผู้รับผิดชอบ", 1400, "4"),
           ShapeSection("resources", "5. ทรัพยากร", "เงิน เทคนิค คน ผู้สนับสนุน และวิธีจัดสรร", 700, "5"),
           ShapeSection("development", "6.1 ลำดับขั้นการพัฒนาจนถึงการวางแผน", "", 700, "6.1"),
           ShapeSection("implementation", "6.2 ลำดับขั้นการปฏิบัติตามแผน", "", 700, "6.2"),
           ShapeSection("monitoring", "6.3 ระบบติดตามและประเมินผล", "", 700, "6.3"),
           ShapeSection("obstacles", "7. ปัญหา อุปสรรค และวิธีจัดการ", "", 700, "7"),
           ShapeSection("benefits", "8. ประโยชน์ที่ได้รับ", "ผลลัพธ์เชิงปริมาณและคุณภาพ วิธีวัด และใครได้ประโยชน์", 1400, "8"),
           ShapeSection("sustainability", "9. ความยั่งยืนและการขยายผล", "", 700, "9"),
           ShapeSection("lessons", "10. บทเรียน", "องค์ประกอบที่ทำให้สำเร็จ สิ่งที่ได้เรียนรู้ และข้อเสนอแนะ", 700, "10"))),
    Shape("talk", _l("Best-practice talk"),
          _l("What the agency did, key success factors, problems and lessons."),
          (ShapeSection("what", "สิ่งที่ทำ"),
           ShapeSection("factors", "ปัจจัยแห่งความสำเร็จ"),
           ShapeSection("problems", "ปัญหาที่พบ"),
           ShapeSection("lessons", "บทเรียน"))),
)}


def get_shape(key: str | None) -> Shape | None:
    return SHAPES.get(key or "")


_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_LIMIT_NOTE_RE = re.compile(r"\(\s*ไม่เกิน[^)]*\)|\(\s*(?:up to|max\.?)[^)]*\)", re.IGNORECASE)


def _clean_heading(text: str) -> str:
    return re.sub(r"\s+", " ", _LIMIT_NOTE_RE.sub("", text)).strip()


def _match(shape: Shape, heading: str) -> ShapeSection | None:
    cleaned = _clean_heading(heading)
    for s in shape.sections:
        if cleaned == s.heading or cleaned.startswith(s.heading):
            return s
    first = cleaned.split(" ", 1)[0].rstrip(".)")
    for s in shape.sections:
        if s.number and first == s.number:
            return s
    return None


def split_sections(shape: Shape, body: str) -> dict[str, str]:
    """The text under each of the shape's recognizable headings, up to the next heading of the same
    or a higher level (sub-headings and their text count towards the section)."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    level = 0
    for line in (body or "").splitlines():
        m = _HEADING_RE.match(line)
        if m:
            section = _match(shape, m.group(2))
            if section is not None:
                current, level = section.key, len(m.group(1))
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


def section_counts(shape: Shape, body: str) -> list[dict]:
    """Per section: key, heading, Thai word count and limit (the same numbers the server enforces)."""
    from ..text.thai import word_count

    texts = split_sections(shape, body)
    out = []
    for s in shape.sections:
        count = word_count(texts.get(s.key, "")) if s.key in texts else 0
        out.append({"key": s.key, "heading": s.heading, "count": count, "limit": s.limit,
                    "present": s.key in texts, "over": bool(s.limit and count > s.limit)})
    return out
