"""PMQA categories and Fundamental-Level activity codes, provinces, and code normalization.

The data lives in ``cop/data/*.json`` so it can be corrected without touching code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@dataclass(frozen=True)
class Code:
    code: str
    category: str
    gloss_th: str
    gloss_en: str
    uncertain: bool


@dataclass(frozen=True)
class Category:
    key: str
    name_th: str
    name_en: str
    prefix: str
    codes: tuple[Code, ...]


@cache
def categories() -> tuple[Category, ...]:
    raw = json.loads((DATA_DIR / "taxonomy.json").read_text(encoding="utf-8"))
    return tuple(
        Category(
            key=c["key"],
            name_th=c["name_th"],
            name_en=c["name_en"],
            prefix=c["prefix"],
            codes=tuple(Code(x["code"], c["key"], x["gloss_th"], x["gloss_en"], x["uncertain"]) for x in c["codes"]),
        )
        for c in raw["categories"]
    )


@cache
def category_map() -> dict[str, Category]:
    return {c.key: c for c in categories()}


@cache
def code_map() -> dict[str, Code]:
    return {code.code: code for c in categories() for code in c.codes}


@cache
def _prefixes() -> tuple[str, ...]:
    return tuple(c.prefix for c in categories() if c.prefix)


def get_category(key: str | None) -> Category | None:
    if key is None:
        return None
    key = str(key).strip().translate(THAI_DIGITS).upper()
    key = re.sub(r"^(?:หมวด|CATEGORY|CAT\.?)\s*", "", key, flags=re.IGNORECASE)
    return category_map().get(key)


def category_of(code: str) -> str | None:
    found = code_map().get(code)
    return found.category if found else None


def implied_categories(codes) -> list[str]:
    """The PMQA categories of the codes (a code implies its category), first seen first."""
    found: list[str] = []
    for code in codes:
        category = category_of(code)
        if category and category not in found:
            found.append(category)
    return found


def with_implied_categories(categories, codes) -> list[str]:
    """``categories`` plus those the codes imply: content under a code is filed under its category too."""
    categories = list(categories)
    return categories + [c for c in implied_categories(codes) if c not in categories]


# A code as people type it: "SP5", "sp 5", "SP-5", "CS 1 A", "CS1-A", "IT๔".
# The trailing letter (sub-item, "CS 1 A") is dropped: content is filed under the code itself.
_CODE_RE = re.compile(
    r"(?<![A-Za-z])(?P<prefix>LD|SP|CS|IT|HR|PM|P)\s*[-.]?\s*(?P<num>\d{1,2})(?:\s*[-.]?\s*[A-Da-d](?![A-Za-z]))?(?![\d])",
    re.IGNORECASE,
)


def normalize_code(text: str | None) -> str | None:
    """Return the canonical code for what a person typed, or None when it is not a known code."""
    if not text:
        return None
    cleaned = str(text).translate(THAI_DIGITS).strip()
    match = _CODE_RE.fullmatch(cleaned)
    if not match:
        return None
    code = f"{match['prefix'].upper()}{int(match['num'])}"
    return code if code in code_map() else None


def find_codes(text: str) -> list[str]:
    """All known codes mentioned in free text, in order, without repeats ("IT 2,3" gives IT2, IT3)."""
    text = text.translate(THAI_DIGITS)
    found: list[str] = []
    for match in _CODE_RE.finditer(text):
        prefix = match["prefix"].upper()
        numbers = [match["num"]]
        # "IT 2,3" / "SP5, 7": further numbers after a comma belong to the same prefix
        tail = re.match(r"(?:\s*,\s*\d{1,2}(?!\d))+", text[match.end() :])
        if tail:
            numbers += re.findall(r"\d{1,2}", tail.group())
        for num in numbers:
            code = f"{prefix}{int(num)}"
            if code in code_map() and code not in found:
                found.append(code)
    return found


def normalize_each(values, separators: str, normalize) -> tuple[list, list[str]]:
    """``normalize`` every item of a list (or of a string split at ``separators``, a regex), without
    repeats; returns (normalized values, the inputs it refused)."""
    if isinstance(values, str):
        values = re.split(separators, values)
    found: list = []
    rejected: list[str] = []
    for value in values or []:
        value = str(value).strip()
        if not value:
            continue
        normalized = normalize(value)
        if normalized is None:
            rejected.append(value)
        elif normalized not in found:
            found.append(normalized)
    return found, rejected


def normalize_codes(values) -> tuple[list[str], list[str]]:
    """Normalize a list (or comma-separated string) of codes; returns (codes, rejected inputs)."""
    return normalize_each(values, r"[,;\n]+", normalize_code)


def normalize_categories(values) -> tuple[list[str], list[str]]:
    return normalize_each(values, r"[,;\s]+", lambda value: c.key if (c := get_category(value)) else None)


@cache
def _province_data() -> dict:
    return json.loads((DATA_DIR / "provinces.json").read_text(encoding="utf-8"))


@cache
def provinces() -> tuple[str, ...]:
    """The 77 provinces in Thai collation order."""
    from pythainlp.util import collate

    return tuple(collate([p["name"] for p in _province_data()["provinces"]]))


@cache
def province_regions() -> dict[str, str]:
    return {p["name"]: p["region"] for p in _province_data()["provinces"]}


@cache
def regions() -> tuple[dict, ...]:
    return tuple(_province_data()["regions"])


def normalize_province(value: str | None) -> str | None:
    """Accept a province with or without the จังหวัด/จ. prefix; None when unknown."""
    if not value:
        return None
    name = re.sub(r"^(?:จังหวัด|จ\.)\s*", "", str(value).strip())
    if name in ("กทม", "กทม.", "กรุงเทพฯ", "กรุงเทพ"):
        name = "กรุงเทพมหานคร"
    return name if name in province_regions() else None
