"""Share links: plain addresses of the networks' own share pages, no script of theirs.

A reader who follows one leaves the portal on purpose; until then no third party learns that
they read the page (no button, counter or pixel is loaded from elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ShareLink:
    key: str
    label: str
    url: str


def share_links(url: str, title: str) -> list[ShareLink]:
    return [
        ShareLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ShareLink("x", "X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        ShareLink(
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        ShareLink(
            "email",
            _("Email"),
            f"mailto:?subject={quote(title)}&body={quote(url)}",
        ),
    ]
