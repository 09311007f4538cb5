"""The public site's menus, as data.

Each section of the portal adds its entry here when it exists (news, legal documents, the
Official Gazette, public services, citizen feedback, dialogues). An entry points at a Django URL
name or at a Wagtail page type; an entry whose target cannot be found in the current language
and site is left out, so the menu never offers a link that leads nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Site


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    #: A Django URL name, reversed in the active language.
    url_name: str | None = None
    #: A Wagtail page type, ``"app_label.ModelName"``: links to the first live page of that type
    #: in the current site and language.
    page_type: str | None = None
    description: str | Promise = ""


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str
    url: str
    description: str = ""
    #: ``"page"`` when the link is the page being shown, ``"true"`` when it is its section.
    current: str = ""


PRIMARY_NAVIGATION: tuple[NavItem, ...] = (NavItem("home", _("Home"), page_type="portal.HomePage"),)

# Shown on the home page, under the primary sections.
QUICK_LINKS: tuple[NavItem, ...] = (
    NavItem(
        "staff",
        _("Sign in for officials"),
        url_name="wagtailadmin_home",
        description=_("Editors, gazette staff and officials work in the administration area."),
    ),
    NavItem(
        "api",
        _("API for agencies' systems"),
        url_name="api-v1:openapi-view",
        description=_(
            "Ministries' and provinces' websites exchange news and documents with the portal "
            "through this interface."
        ),
    ),
)


def _localized_site_root(request: HttpRequest) -> Page | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized


def _resolve(item: NavItem, request: HttpRequest, site_root: Page | None) -> str | None:
    if item.url_name:
        try:
            return reverse(item.url_name)
        except NoReverseMatch:
            return None
    if item.page_type and site_root is not None:
        model = apps.get_model(item.page_type)
        page = (
            model.objects.live()
            .public()
            .descendant_of(site_root, inclusive=True)
            .filter(locale=Locale.get_active())
            .order_by("path")
            .first()
        )
        return page.get_url(request) if page is not None else None
    return None


def _current(url: str, request: HttpRequest, site_root_url: str | None) -> str:
    if request.path == url:
        return "page"
    # Every path starts with the home page's; only a real section counts as "you are here".
    if url != site_root_url and request.path.startswith(url):
        return "true"
    return ""


def build_links(items: tuple[NavItem, ...], request: HttpRequest) -> list[NavLink]:
    """The items whose target exists, in order, with their URL for this request."""
    site_root = _localized_site_root(request)
    site_root_url = site_root.get_url(request) if site_root is not None else None
    links = []
    for item in items:
        url = _resolve(item, request, site_root)
        if url is None:
            continue
        links.append(
            NavLink(
                key=item.key,
                label=str(item.label),
                url=url,
                description=str(item.description),
                current=_current(url, request, site_root_url),
            )
        )
    return links
