#!/usr/bin/env python3
"""Fill entries of the Thai catalogue from a {msgid: msgstr} JSON file, then list what is still untranslated.

Usage: .venv/bin/python scripts/i18n_fill.py translations.json (after scripts/i18n.sh has extracted new strings)
"""
import json, sys
from babel.messages.pofile import read_po, write_po
path = "cop/translations/th/LC_MESSAGES/messages.po"
with open(path, "rb") as f:
    catalog = read_po(f, locale="th")
mapping = json.load(open(sys.argv[1]))
missing = []
for message in catalog:
    if not message.id:
        continue
    key = message.id if isinstance(message.id, str) else message.id[0]
    if key in mapping:
        value = mapping[key]
        # Thai has one plural form: the same text serves every count
        message.string = (value,) * catalog.num_plurals if isinstance(message.id, tuple) else value
        message.flags.discard("fuzzy")
    elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
        missing.append(key)
with open(path, "wb") as f:
    write_po(f, catalog, width=100)
print("untranslated:", len(missing))
for m in missing: print("  ", m)
