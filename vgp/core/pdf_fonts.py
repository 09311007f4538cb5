"""The serif faces the project's own PDFs embed (gazette issues, registers, reply letters).

Noto Serif (SIL OFL 1.1) as ``make assets`` builds it from @expo-google-fonts/noto-serif:
reportlab embeds TrueType only, and these static faces cover every precomposed Vietnamese
letter. reportlab's font registry is process-wide, so each folder is registered once, under a
family name of its own (a test may point a setting at another folder without clobbering the
first).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FONT_FILES = {
    "regular": "NotoSerif_400Regular.ttf",
    "bold": "NotoSerif_700Bold.ttf",
    "italic": "NotoSerif_400Regular_Italic.ttf",
    "bold_italic": "NotoSerif_700Bold_Italic.ttf",
}


class FontsMissing(RuntimeError):
    """The TrueType files a PDF embeds are not in its font folder."""


@dataclass(frozen=True)
class SerifFonts:
    """reportlab names of the four faces; ``regular`` is also the family (``<b>``/``<i>``)."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


_registered: dict[Path, SerifFonts] = {}
_lock = threading.Lock()


def font_dir(*setting_names: str) -> Path:
    """The first of ``setting_names`` that is set, else build/fonts/noto-serif."""
    for name in setting_names:
        configured = getattr(settings, name, None)
        if configured:
            return Path(configured)
    return Path(settings.BASE_DIR) / "build" / "fonts" / "noto-serif"


def register(directory: Path, *, what: str, setting: str) -> SerifFonts:
    """The faces in ``directory``, registered with reportlab. ``what`` names the PDFs and
    ``setting`` the setting that points elsewhere, for the message when files are missing."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    directory = directory.resolve()
    with _lock:
        if directory in _registered:
            return _registered[directory]
        missing = [name for name in FONT_FILES.values() if not (directory / name).is_file()]
        if missing:
            raise FontsMissing(
                f"The fonts of {what} are missing from {directory} ({', '.join(missing)}): "
                f"run `make assets` (npm ci && node scripts/build_assets.mjs), or point "
                f"{setting} at a folder holding them."
            )
        family = f"VgpSerif{len(_registered) + 1}"
        fonts = SerifFonts(
            regular=family,
            bold=f"{family}-Bold",
            italic=f"{family}-Italic",
            bold_italic=f"{family}-BoldItalic",
        )
        for style, font_name in vars(fonts).items():
            pdfmetrics.registerFont(TTFont(font_name, str(directory / FONT_FILES[style])))
        pdfmetrics.registerFontFamily(
            family,
            normal=fonts.regular,
            bold=fonts.bold,
            italic=fonts.italic,
            boldItalic=fonts.bold_italic,
        )
        _registered[directory] = fonts
        return fonts
