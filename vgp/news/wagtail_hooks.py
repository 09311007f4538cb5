"""The e-newspaper's hooks into Wagtail and the portal's shell."""

from __future__ import annotations

from wagtail import hooks

from vgp.portal.home import HOOK as HOME_PANELS_HOOK

from . import syndication_admin  # noqa: F401  (the agencies' news queue registers its hooks)
from .home_panels import news_panels

hooks.register(HOME_PANELS_HOOK, news_panels)
