"""The knowledge map: every PMQA category × activity code with how much content it has, in five levels."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import url_for

from ..taxonomy import Category, categories
from .counts import Tally, content_counts

LEVELS = 5  # level-0 (nothing yet) … level-4 (the richest codes)


@dataclass
class Cell:
    label: str  # the code, or the category key when a category has no codes (category 7)
    gloss: str
    url: str
    tally: Tally
    level: int


@dataclass
class Row:
    category: Category
    tally: Tally  # everything tagged with the category
    cells: list[Cell]


@dataclass
class Band:
    level: int
    low: int
    high: int


@dataclass
class KnowledgeMap:
    rows: list[Row]
    bands: list[Band]
    empty: list[Cell]
    thinnest: list[Cell]

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]


def band_width(maximum: int) -> int:
    """Split 1…maximum into four equal bands (at least one item wide)."""
    return max(1, math.ceil(maximum / (LEVELS - 1)))


def level_of(total: int, width: int) -> int:
    return 0 if total <= 0 else min(LEVELS - 1, math.ceil(total / width))


def build(thai: bool = True) -> KnowledgeMap:
    counts = content_counts()
    cells_by_row: list[tuple[Category, list[tuple[str, str, str, Tally]]]] = []
    for category in categories():
        if category.codes:
            entries = [
                (
                    code.code,
                    code.gloss_th if thai else code.gloss_en,
                    url_for("pmqa.code", raw=code.code),
                    counts.by_code[code.code],
                )
                for code in category.codes
            ]
        else:  # a category without Fundamental-Level codes is one cell of its own
            entries = [
                (
                    category.key,
                    category.name_th if thai else category.name_en,
                    url_for("pmqa.category", key=category.key),
                    counts.by_category[category.key],
                )
            ]
        cells_by_row.append((category, entries))
    maximum = max((t.total for _c, entries in cells_by_row for *_x, t in entries), default=0)
    width = band_width(maximum)
    rows = [
        Row(
            category,
            counts.by_category[category.key],
            [Cell(label, gloss, url, tally, level_of(tally.total, width)) for label, gloss, url, tally in entries],
        )
        for category, entries in cells_by_row
    ]
    bands = [Band(0, 0, 0)] + [Band(level, (level - 1) * width + 1, level * width) for level in range(1, LEVELS)]
    all_cells = [cell for row in rows for cell in row.cells]
    empty = [cell for cell in all_cells if cell.tally.total == 0]
    thinnest = sorted((cell for cell in all_cells if cell.tally.total > 0), key=lambda c: c.tally.total)[:5]
    return KnowledgeMap(rows, bands, empty, thinnest)
