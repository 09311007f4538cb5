"""Personal data removed from what the public list shows.

A published item shows its title, a summary and the reply. Before publishing, the submitter's
own name, contacts, address and identity number are blanked wherever they appear (in any
case, with or without diacritics), and so is anything shaped like an e-mail address, a
Vietnamese telephone number or an identity card number, whoever it belongs to. The approving
leader reads the result on the approval screen and can edit it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "[…]"

_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)"),  # telephone numbers
    re.compile(r"(?<!\d)\d{9}(?:\d{3})?(?!\d)"),  # identity card numbers (9 or 12 digits)
]


def redact(text: str, known: Iterable[str] = ()) -> str:
    """``text`` without the ``known`` personal strings and without contact-shaped data."""
    for value in sorted(
        {v.strip() for v in known if v and len(v.strip()) >= 3}, key=len, reverse=True
    ):
        text = re.sub(re.escape(value), MASK, text, flags=re.IGNORECASE)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text
