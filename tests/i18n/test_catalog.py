"""The Thai catalog is complete: no untranslated entry, no fuzzy one, placeholders kept."""

import pathlib
import re

from babel.messages.pofile import read_po

PO = pathlib.Path(__file__).resolve().parents[2] / "cop" / "translations" / "th" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def test_no_untranslated_or_fuzzy_entry():
    with PO.open("rb") as f:
        catalog = read_po(f, locale="th")
    untranslated, fuzzy, placeholders = [], [], []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(ids[0])
        if message.fuzzy:
            fuzzy.append(ids[0])
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(ids[-1])) | (
                set(PLACEHOLDER.findall(ids[0])) - set(PLACEHOLDER.findall(text)) - {"%(num)d"}
            ):
                placeholders.append(ids[0])
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"
    assert not placeholders, f"placeholders differ: {placeholders[:20]}"
    assert len(catalog) > 800
