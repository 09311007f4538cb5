"""Every user-facing string of every app has its Vietnamese translation, compiled and in use."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

VGP = Path(__file__).resolve().parents[2]
CATALOGUES = [
    *sorted(VGP.glob("*/locale/vi/LC_MESSAGES/django.po")),
    VGP / "locale" / "vi" / "LC_MESSAGES" / "django.po",
]


def untranslated(po: Path) -> list[str]:
    missing = []
    for entry in po.read_text(encoding="utf-8").split("\n\n")[1:]:  # [0] is the header
        if entry.lstrip().startswith("#~"):  # obsolete
            continue
        head, _, tail = entry.partition("msgstr")
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', head, re.M))
        # A fuzzy entry is a guess by makemessages that msgfmt leaves out: not translated.
        if msgid and (not "".join(re.findall(r'"(.*)"', tail)) or "#, fuzzy" in head):
            missing.append(msgid)
    return missing


def msgids(po: Path) -> list[str]:
    found = []
    for entry in po.read_text(encoding="utf-8").split("\n\n")[1:]:
        if entry.lstrip().startswith("#~") or "msgid_plural" in entry or "msgctxt" in entry:
            continue
        head = entry.partition("msgstr")[0]
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', head, re.M))
        if msgid:
            found.append(msgid.encode().decode("unicode_escape").encode("latin-1").decode())
    return found


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(VGP)))
def test_every_string_is_translated_and_compiled(po: Path):
    assert untranslated(po) == []
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run make messages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale = [m for m in msgids(po) if m not in compiled]
    assert stale == [], f"{mo} is older than its .po: run make messages"


@pytest.mark.parametrize(
    ("msgid", "vietnamese"),
    [
        ("Open the audit trail", "Mở nhật ký kiểm toán"),
        ("Working-day calendar", "Lịch ngày làm việc"),
        ("Two-step verification", "Xác thực hai bước"),
        ("Background tasks", "Tác vụ nền"),
    ],
)
def test_the_compiled_catalogues_are_used(msgid: str, vietnamese: str):
    with translation.override("vi"):
        assert translation.gettext(msgid) == vietnamese
