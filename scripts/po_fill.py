"""Fill empty msgstr entries of a .po file from a JSON dictionary {msgid: msgstr}.

Usage: python scripts/po_fill.py path/to/django.po translations.json
Only untranslated entries are touched; plural entries and existing translations are left alone.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line.strip()) for line in lines if line.strip().startswith('"'))


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def fill(po_path: Path, table: dict[str, str]) -> int:
    text = po_path.read_text(encoding="utf-8")
    # An entry may follow the header without a blank line; give every entry its own block.
    text = re.sub(r'(?<=")\n(#[:.] )', r"\n\n\1", text)
    text = text.replace('"Language: \\n"', f'"Language: {po_path.parts[-3]}\\n"', 1)
    text = text.replace('#\n#, fuzzy\nmsgid ""', '#\nmsgid ""', 1)
    blocks = text.split("\n\n")
    filled = 0
    for index, block in enumerate(blocks):
        lines = block.split("\n")
        try:
            id_at = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
            str_at = next(
                i for i, line in enumerate(lines) if line.startswith(("msgstr ", "msgstr[0] "))
            )
        except StopIteration:
            continue
        plural_at = next(
            (i for i, line in enumerate(lines) if line.startswith("msgid_plural ")), None
        )
        if plural_at is not None:
            # Vietnamese has one plural form: msgstr[0] carries the translation.
            msgid = _unquote([lines[id_at][6:], *lines[id_at + 1 : plural_at]])
            current = _unquote([lines[str_at][10:]])
            if msgid in table and not current:
                tail = [line for line in lines[str_at + 1 :] if not line.startswith('"')]
                lines = [*lines[:str_at], f"msgstr[0] {_quote(table[msgid])}", *tail]
                blocks[index] = "\n".join(line for line in lines if line != "#, fuzzy")
                filled += 1
            continue
        msgid = _unquote([lines[id_at][6:], *lines[id_at + 1 : str_at]])
        msgstr = _unquote([lines[str_at][7:], *lines[str_at + 1 :]])
        if not msgid or msgstr or msgid not in table:
            continue
        tail = [line for line in lines[str_at + 1 :] if not line.startswith('"')]
        lines = [*lines[:str_at], f"msgstr {_quote(table[msgid])}", *tail]
        lines = [line for line in lines if line != "#, fuzzy"]
        blocks[index] = "\n".join(lines)
        filled += 1
    po_path.write_text("\n\n".join(blocks), encoding="utf-8")
    return filled


if __name__ == "__main__":
    po, source = Path(sys.argv[1]), Path(sys.argv[2])
    count = fill(po, json.loads(source.read_text(encoding="utf-8")))
    print(f"{po}: {count} entries filled")
