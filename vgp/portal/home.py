"""What the home page shows besides its own fields: panels that the portal's domains add.

The portal is the site's shell and imports no domain. A domain adds to the home page with
Wagtail's ``register_home_panels`` hook: a function of ``(home_page, request)`` returning
:class:`HomePanel` objects. Each panel names its template and region; its data is loaded only
when the template asks for it (``panel.load``), so a template may keep the panel in a fragment
cache and skip the queries altogether.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.models import Page

HOOK = "register_home_panels"
#: Where a panel goes: across the top, in the main column, or beside it.
REGIONS = ("top", "main", "aside")


@dataclass
class HomePanel:
    key: str
    template: str
    region: str = "main"
    order: int = 100
    loader: Callable[[], Any] = field(default=lambda: None, repr=False)

    @cached_property
    def load(self) -> Any:
        """The panel's data, loaded on first use."""
        return self.loader()


def home_panels(page: Page, request: HttpRequest) -> dict[str, list[HomePanel]]:
    """The panels every registered function adds, by region, in their order."""
    panels = [panel for fn in hooks.get_hooks(HOOK) for panel in fn(page, request)]
    panels.sort(key=lambda panel: (panel.order, panel.key))
    return {region: [p for p in panels if p.region == region] for region in REGIONS}
