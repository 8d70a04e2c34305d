import html
import json
import re
from pathlib import Path

import pytest

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


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return app
