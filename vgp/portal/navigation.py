"""The public site's menus, as data.

Each section of the portal adds its entry here when it exists (news, legal documents, the
Official Gazette, public services, citizen feedback, dialogues). An entry points at a Django URL
name or at a Wagtail page type, or stands for every live page of a type below the home page (one
entry per news section); an entry whose target cannot be found in the current language and site
is left out, so the menu never offers a link that leads nowhere.

Menus are on every page, so what they resolve to is kept in the cache per host and language, and
forgotten with the page cache's generation (any publish, move or site change); only "which
entry is the current page" is worked out per request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from . import content_cache, page_cache

_CACHE_PREFIX = "vgp:navigation"
# Keys carry the content generation, so a publish makes them unreachable at once; the timeout
# only bounds how long a forgotten one takes room.
_CACHE_SECONDS = 600


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    #: A Django URL name, reversed in the active language.
    url_name: str | None = None
    #: A Wagtail page type, ``"app_label.ModelName"``: links to the first live page of that type
    #: in the current site and language.
    page_type: str | None = None
    #: A Wagtail page type: one entry per live page of that type among the children of the
    #: site's home page in the current language, in the tree's order, labelled by its title.
    each_child_of_type: str | None = None
    description: str | Promise = ""


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str
    url: str
    description: str = ""
    #: ``"page"`` when the link is the page being shown, ``"true"`` when it is its section.
    current: str = ""
    #: The key of the item that stands for several pages (e.g. ``"news"``), if this is one.
    group: str = ""


PRIMARY_NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home", _("Home"), page_type="portal.HomePage"),
    NavItem("news", _("News"), each_child_of_type="news.SectionPage"),
    # Its description is what the home page's quick access shows for it (see portal_site).
    NavItem(
        "legal",
        _("Legal documents"),
        url_name="legal_search",
        description=_(
            "Laws, decrees, decisions and circulars: look one up by its number or search the "
            "text of its articles."
        ),
    ),
    NavItem(
        "gazette",
        _("Official Gazette"),
        url_name="gazette_home",
        description=_("Issues of the Official Gazette of Viet Nam, each with its PDF."),
    ),
    NavItem(
        "feedback",
        _("Feedback and petitions"),
        url_name="feedback:home",
        description=_(
            "Send feedback, a petition, a complaint or a denunciation, and follow it with your "
            "tracking code."
        ),
    ),
)

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
    NavItem(
        "search",
        _("Search the news"),
        url_name="news:search",
        description=_("Find articles, photos and videos by words, section and date."),
    ),
)


def _localized_site_root(request: HttpRequest) -> Page | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    return site.root_page.localized


def _live_pages(model_label: str, site_root: Page) -> list[Page]:
    model = apps.get_model(model_label)
    return list(
        model.objects.live()
        .public()
        .descendant_of(site_root, inclusive=True)
        .filter(locale=content_cache.active_locale())
        .order_by("path")
    )


def _resolve(item: NavItem, request: HttpRequest, site_root: Page | None) -> list[NavLink]:
    """The links ``item`` stands for (none when its target does not exist), not yet current."""
    if item.url_name:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            return []
        return [NavLink(item.key, str(item.label), url, str(item.description))]
    if site_root is None:
        return []
    if item.page_type:
        pages = _live_pages(item.page_type, site_root)[:1]
        return [
            NavLink(item.key, str(item.label), url, str(item.description))
            for page in pages
            if (url := page.get_url(request))
        ]
    if item.each_child_of_type:
        pages = [
            page
            for page in _live_pages(item.each_child_of_type, site_root)
            if page.depth == site_root.depth + 1
        ]
        return [
            NavLink(f"{item.key}:{page.slug}", page.title, url, group=item.key)
            for page in pages
            if (url := page.get_url(request))
        ]
    return []


def _current(url: str, request: HttpRequest, site_root_url: str | None) -> str:
    if request.path == url:
        return "page"
    # Every path starts with the home page's; only a real section counts as "you are here".
    if url != site_root_url and request.path.startswith(url):
        return "true"
    return ""


def _cache_key(items: tuple[NavItem, ...], request: HttpRequest) -> str:
    described = "|".join(
        f"{i.key}:{i.url_name}:{i.page_type}:{i.each_child_of_type}" for i in items
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    digest = hashlib.sha256(f"{request.get_host()}|{language}|{described}".encode()).hexdigest()
    return f"{_CACHE_PREFIX}:{page_cache.generation()}:{digest}"


def _resolve_all(
    items: tuple[NavItem, ...], request: HttpRequest
) -> tuple[list[NavLink], str | None]:
    key = _cache_key(items, request)
    cached = cache.get(key)
    if cached is not None:
        return cached
    site_root = _localized_site_root(request)
    site_root_url = site_root.get_url(request) if site_root is not None else None
    links = [link for item in items for link in _resolve(item, request, site_root)]
    cache.set(key, (links, site_root_url), _CACHE_SECONDS)
    return links, site_root_url


def build_links(items: tuple[NavItem, ...], request: HttpRequest) -> list[NavLink]:
    """The items whose target exists, in order, with their URL for this request."""
    links, site_root_url = _resolve_all(items, request)
    return [
        NavLink(
            key=link.key,
            label=link.label,
            url=link.url,
            description=link.description,
            current=_current(link.url, request, site_root_url),
            group=link.group,
        )
        for link in links
    ]


def home_url(request: HttpRequest) -> str:
    """The address of the home page in the current language (``/`` when there is none)."""
    _, site_root_url = _resolve_all(PRIMARY_NAVIGATION, request)
    return site_root_url or "/"
