"""Generated demo stories for load and benchmark work (`flask seed --demo N`).

Text comes from a word-bigram chain over the shipped seed stories, so every demo story reads like
Thai practitioners' prose without copying one; codes, provinces and years vary. The same N always
gives the same stories, and running it again adds only what is missing.
"""

from __future__ import annotations

import json
import random
import time
from functools import cache
from pathlib import Path

import click
from sqlalchemy import func, select

from .accounts import services as account_services
from .extensions import db
from .search import service as search_service
from .stories import services as story_services
from .stories.models import Story
from .taxonomy import code_map, implied_categories, provinces
from .text import thai

SEED_DIR = Path(__file__).resolve().parents[1] / "seed"
DEMO_EMAIL = "demo.writer@example.org"
TITLE_PREFIX = "[ตัวอย่าง]"
BATCH = 200
REBUILD_FROM = 2000

AGENCIES = (
    "กรมทางหลวงชนบท",
    "กรมการพัฒนาชุมชน",
    "สำนักงานปลัดกระทรวงมหาดไทย",
    "กรมป้องกันและบรรเทาสาธารณภัย",
    "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร กระทรวงพาณิชย์",
    "สำนักงานจังหวัด",
    "กรมราชทัณฑ์",
    "สำนักงานสาธารณสุขจังหวัด",
    "สำนักงานเกษตรจังหวัด",
    "องค์การบริหารส่วนจังหวัด",
)
HEADINGS = ("ที่มาและความสำคัญ", "ขั้นตอนที่ดำเนินการ", "ปัญหาและวิธีแก้", "ผลลัพธ์ที่เกิดขึ้น", "บทเรียนและข้อเสนอแนะ")


@cache
def _chain() -> dict[str, list[str]]:
    """Bigram successors over the segmented seed stories (Thai and Latin words, no spaces)."""
    chain: dict[str, list[str]] = {}
    document = json.loads((SEED_DIR / "02_stories.json").read_text(encoding="utf-8"))
    for story in document["stories"]:
        for line in story["body"].splitlines():
            words = [w for w in thai.segment(line.strip("#>*- ")) if w.strip()]
            for current, following in zip(["^"] + words, words + ["$"], strict=True):
                chain.setdefault(current, []).append(following)
    return chain


def _sentence(rng: random.Random, max_words: int = 28) -> str:
    chain, word, words = _chain(), "^", []
    while len(words) < max_words:
        word = rng.choice(chain.get(word) or ["$"])
        if word == "$":
            if len(words) >= 6:
                break
            word = "^"
            continue
        words.append(word)
    # Thai runs join without spaces; Latin words and numbers keep a space around them.
    text = ""
    for w in words:
        text += (" " if text and (w.isascii() or text[-1].isascii()) else "") + w
    return text


def demo_story(index: int) -> dict:
    rng = random.Random(index)  # nosec B311  # seeded generator for repeatable demo text, not for secrets
    codes = rng.sample(sorted(code_map()), rng.randint(1, 3))
    body = "\n\n".join(
        f"## {heading}\n\n" + " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
        for heading in HEADINGS[: rng.randint(3, 5)]
    )
    return {
        "title": f"{TITLE_PREFIX} {_sentence(rng, 10)[:120]} #{index}",
        "summary": _sentence(rng, 24)[:300],
        "body": body,
        "agency": rng.choice(AGENCIES),
        "province": rng.choice(provinces()),
        "year": rng.randint(2553, 2569),
        "codes": codes,
        "categories": sorted(implied_categories(codes)),
        "tags": ["ตัวอย่าง"],
    }


def _demo_author():
    user = account_services.find_user(DEMO_EMAIL)
    if user is None:
        user = account_services.create_user(
            email=DEMO_EMAIL, name="ผู้เขียนตัวอย่าง (ข้อมูลสาธิต)", password=None, agency="ข้อมูลสาธิต"
        )
    return user


def generate_stories(n: int) -> int:
    """Add demo stories 1..n that are not there yet; prints the rate. Returns how many were added."""
    author = _demo_author()
    existing = db.session.scalar(select(func.count(Story.id)).where(Story.author_id == author.id)) or 0
    added, started = 0, time.perf_counter()
    # Many stories: one parallel rebuild at the end beats thousands of small index commits.
    rebuild = n - existing >= REBUILD_FROM
    with click.progressbar(range(existing + 1, n + 1), label="Demo stories", show_pos=True) as indexes:
        for index in indexes:
            story_services.create_story(author, demo_story(index), publish=True)
            added += 1
            if added % BATCH == 0:
                db.session.commit()
                if not rebuild:
                    search_service.apply_pending()
    db.session.commit()
    if rebuild:
        search_service.reindex_replacing_outbox()
    search_service.apply_pending()
    if not rebuild and added > BATCH:  # one index segment per batch: searches would read them all
        search_service.compact()
    elapsed = time.perf_counter() - started
    if added:
        click.echo(f"Added {added} demo stories in {elapsed:.1f} s ({added / elapsed:.0f} stories/s, indexed).")
    else:
        click.echo("The demo stories are there already.")
    return added
