"""Every user-facing string of the working-day calendar has its Vietnamese translation."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def untranslated(po: Path) -> list[str]:
    missing = []
    for entry in po.read_text(encoding="utf-8").split("\n\n")[1:]:  # [0] is the header
        head, _, tail = entry.partition("msgstr")
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', head, re.M))
        if msgid and not "".join(re.findall(r'"(.*)"', tail)):
            missing.append(msgid)
    return missing


def test_every_string_is_translated():
    assert untranslated(PO) == []


def test_the_compiled_catalogue_is_used():
    with translation.override("vi"):
        assert translation.gettext("Working-day calendar") == "Lịch ngày làm việc"
