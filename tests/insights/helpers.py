"""What the insights tests share: the seed files and reading a page as a person sees it."""

import html
import json
import re
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "seed"


def seed_items(name: str, key: str) -> list[dict]:
    return json.loads((SEED / name).read_text(encoding="utf-8"))[key]


def text_of(markup: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def section(page: str, element_id: str) -> str:
    """The HTML of the element with this id, up to the next </section> (or </figure>)."""
    start = page.index(f'id="{element_id}"')
    ends = [i for i in (page.find("</section>", start), page.find("</figure>", start)) if i != -1]
    return page[start : min(ends)]
