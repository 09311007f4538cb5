"""News pushed by agencies' systems: each article lands as a draft for the portal's editors.

An agency's system posts an article with its API key (``POST /api/v1/syndication/articles``).
:func:`receive_article` files it, attributed to the key's agency, in the section
"Tin từ bộ, ngành, địa phương" of the article's language (created on first use). Nothing an
agency sends is ever published by itself: editors review the draft and publish it through the
normal editor and workflow.

Re-posting the same ``source_id`` is idempotent. The article is found by (agency, source id),
the key of the unique constraint ``news_item_unique_source_id``; a source id names one article
in one language (the English version of a story is sent under its own source id):

- never published: the draft gets a new revision with the new content;
- published: a new revision waits for the editors; the public keeps seeing the published
  version until someone publishes the new one;
- the same content again: nothing changes.

Two posts of the same new article at the same moment must not make two pages. The action
locks the section's row before looking the article up, so the second post waits for the
first to commit and then finds its page (this also keeps two new pages from taking the same
tree path). The unique constraint stays the last line: an ``IntegrityError`` on insert is
retried as an update.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, Site

from vgp.agencies.models import Agency
from vgp.audit.trail import record
from vgp.audit.wagtail_bridge import log_history_only
from vgp.core.text import slugify

from .models import ArticlePage, Licence, NewsItemPage, SectionPage
from .rich_text import body_blocks

SECTION_SLUG = "tin-bo-nganh-dia-phuong"
# Page titles are content in the page's language, not interface strings.
SECTION_TITLES = {
    "vi": "Tin từ bộ, ngành, địa phương",
    "en": "News from ministries and provinces",
}
MAX_TOPICS = 20
TOPIC_MAX_LENGTH = 100

DRAFT = "draft"
AWAITING_APPROVAL = "awaiting_approval"
LIVE = "live"


@dataclass(frozen=True)
class IncomingArticle:
    """What an agency's system sends. Field names are the API's."""

    source_id: str
    title: str
    lead: str
    date: dt.datetime
    body_html: str = ""
    byline: str = ""
    source_url: str = ""
    topics: tuple[str, ...] = field(default_factory=tuple)
    licence: str = Licence.ATTRIBUTION
    attribution: str = ""
    language: str = "vi"
    # The agency the sender says it posts for; must be the key's own.
    agency: str | None = None


def status_of(page: NewsItemPage) -> str:
    """``draft`` (never published), ``awaiting_approval`` (changes not yet published) or ``live``."""
    if not page.live:
        return DRAFT
    return AWAITING_APPROVAL if page.has_unpublished_changes else LIVE


def syndicated_items() -> Any:
    """Every news item that came from an agency's system."""
    return NewsItemPage.objects.exclude(source_id="").filter(source_agency__isnull=False)


# --- validation ---------------------------------------------------------------------------


def _topics(names: tuple[str, ...]) -> list[str]:
    cleaned: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = " ".join(str(name).split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            cleaned.append(name)
    if len(cleaned) > MAX_TOPICS:
        raise ValidationError({"topics": _("Give at most %(max)s topics.") % {"max": MAX_TOPICS}})
    if any(len(name) > TOPIC_MAX_LENGTH for name in cleaned):
        raise ValidationError(
            {"topics": _("A topic has at most %(max)s characters.") % {"max": TOPIC_MAX_LENGTH}}
        )
    return cleaned


def _content(payload: IncomingArticle) -> dict[str, Any]:
    """The page's fields from the payload, cleaned; raises ``ValidationError`` by field."""
    errors: dict[str, list[str]] = {}
    required = {"source_id": payload.source_id, "title": payload.title, "lead": payload.lead}
    for name, value in required.items():
        if not (value or "").strip():
            errors.setdefault(name, []).append(_("This field is required."))
    if payload.licence not in Licence.values:
        errors.setdefault("licence", []).append(
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Licence.values)}
        )
    source_url = (payload.source_url or "").strip()
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            errors.setdefault("source_url", []).append(
                _("Enter a web address that starts with http:// or https://.")
            )
    try:
        topics = _topics(payload.topics)
    except ValidationError as error:
        errors.update(error.message_dict)
        topics = []
    if errors:
        raise ValidationError(errors)
    date = payload.date
    if timezone.is_naive(date):
        # A time without an offset is the portal's (Hà Nội) time.
        date = timezone.make_aware(date)
    return {
        "title": " ".join(payload.title.split()),
        "lead": payload.lead.strip(),
        "date": date,
        "byline": payload.byline.strip(),
        "source_url": source_url,
        "licence": payload.licence,
        "attribution": payload.attribution.strip(),
        "body": body_blocks(payload.body_html),
        "topics": topics,
    }


def _locale(language: str) -> Locale:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"language": _("Choose one of: %(choices)s.") % {"choices": "vi, en"}}
        )
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        raise ValidationError({"language": _("The portal has no edition in this language yet.")})
    return locale


# --- the section ----------------------------------------------------------------------------


def _home_in(locale: Locale) -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.get_translation_or_none(locale) if site else None
    if home is None:
        raise ValidationError({"language": _("The portal has no edition in this language yet.")})
    return home


def _create_section(home: Page, locale: Locale, original: SectionPage | None) -> SectionPage:
    if original is not None:
        # The English section is the translation of the Vietnamese one, so that the language
        # switch and the sitemap link them.
        section = original.copy_for_translation(locale).specific
        section.title = SECTION_TITLES.get(locale.language_code, section.title)
        section.show_on_home = True
        section.save()
    else:
        section = SectionPage(
            title=SECTION_TITLES.get(locale.language_code, SECTION_TITLES["vi"]),
            slug=find_available_slug(home, SECTION_SLUG),
            show_on_home=True,
            locale=locale,
        )
        home.add_child(instance=section)
    section.save_revision(log_action=False).publish(log_action=True)
    section.refresh_from_db()
    return section


def syndication_section(locale: Locale) -> SectionPage:
    """The section of syndicated news in ``locale``, created (and published) if missing.

    Call inside a transaction: the home page's row is locked while the section is created, so
    that two first posts make one section.
    """
    home = _home_in(locale)

    def find() -> SectionPage | None:
        return (
            SectionPage.objects.child_of(home)
            .filter(slug=SECTION_SLUG, locale=locale)
            .order_by("path")
            .first()
        )

    section = find()
    if section is not None:
        return section
    Page.objects.select_for_update().filter(pk=home.pk).first()
    section = find()
    if section is not None:
        return section
    original = None
    if locale.language_code != settings.LANGUAGE_CODE:
        original = syndication_section(Locale.objects.get(language_code=settings.LANGUAGE_CODE))
    return _create_section(home, locale, original)


# --- the action -----------------------------------------------------------------------------


def _fingerprint(page: ArticlePage) -> dict[str, Any]:
    """The content an agency controls, comparable across revisions (block ids left out)."""
    return {
        "title": page.title,
        "lead": page.lead,
        "date": page.date.isoformat() if page.date else None,
        "byline": page.byline,
        "source_url": page.source_url,
        "licence": page.licence,
        "attribution": page.attribution,
        "body": [(block["type"], block["value"]) for block in page.body.get_prep_value()],
        "topics": sorted(tag.name for tag in page.tags.all()),
    }


def _apply(page: ArticlePage, content: dict[str, Any]) -> None:
    for name in ("title", "lead", "date", "byline", "source_url", "licence", "attribution"):
        setattr(page, name, content[name])
    page.body = content["body"]
    page.tags.set(content["topics"])


def _find(agency: Agency, source_id: str, locale: Locale) -> NewsItemPage | None:
    item = (
        NewsItemPage.objects.select_for_update()
        .filter(source_agency=agency, source_id=source_id)
        .select_related("locale")
        .first()
    )
    if item is not None and item.locale_id != locale.pk:
        raise ValidationError(
            {
                "language": _(
                    "This source ID was sent before in another language (%(language)s); send "
                    "each language version under its own source ID."
                )
                % {"language": item.locale.language_code}
            }
        )
    return item


def _create(
    section: SectionPage, agency: Agency, source_id: str, locale: Locale, content: dict[str, Any]
) -> ArticlePage:
    page = ArticlePage(
        slug=find_available_slug(section, slugify(content["title"]) or "tin-bai"),
        source_agency=agency,
        source_id=source_id,
        locale=locale,
        live=False,
    )
    _apply(page, content)
    section.add_child(instance=page)
    revision = page.save_revision(log_action=False)
    log_history_only(
        instance=page, action="wagtail.create", revision=revision, content_changed=True
    )
    return page


def _update(existing: NewsItemPage, content: dict[str, Any]) -> tuple[ArticlePage, bool]:
    """A new revision of ``existing`` with ``content``; ``False`` if nothing changed."""
    page = existing.specific
    if not isinstance(page, ArticlePage):
        raise ValidationError(
            {"source_id": _("This source ID belongs to an item that is not an article.")}
        )
    latest = page.get_latest_revision_as_object()
    before = _fingerprint(latest)
    _apply(latest, content)
    if _fingerprint(latest) == before:
        return page, False
    revision = latest.save_revision(log_action=False)
    log_history_only(
        instance=latest, action="wagtail.edit", revision=revision, content_changed=True
    )
    return latest, True


def receive_article(
    *, agency: Agency, api_key: Any, payload: IncomingArticle
) -> tuple[ArticlePage, bool]:
    """File an agency's article as a draft, or update the one it sent before.

    Returns ``(page, created)``; :func:`status_of` says where the page stands. Raises
    ``PermissionDenied`` when the payload names another agency than the key's, and
    ``ValidationError`` (by field) when the payload is not acceptable.
    """
    claimed = (payload.agency or "").strip()
    if claimed and claimed != agency.code:
        raise PermissionDenied(
            _("This API key belongs to %(agency)s; it cannot post news for %(other)s.")
            % {"agency": agency.code, "other": claimed}
        )
    content = _content(payload)
    source_id = payload.source_id.strip()
    locale = _locale(payload.language)
    with transaction.atomic():
        section = syndication_section(locale)
        # One writer at a time per section: see the module docstring.
        Page.objects.select_for_update().filter(pk=section.pk).first()
        existing = _find(agency, source_id, locale)
        created = existing is None
        changed = True
        if existing is None:
            try:
                with transaction.atomic():
                    page = _create(section, agency, source_id, locale, content)
            except IntegrityError:
                existing = _find(agency, source_id, locale)
                if existing is None:
                    raise
                created = False
        if existing is not None:
            page, changed = _update(existing, content)
        record(
            action="news.receive_syndicated_article",
            obj=page,
            agency_code=agency.code,
            summary=(
                f"{'Received' if created else 'Updated' if changed else 'Unchanged'} "
                f"from {agency.code}: {page.title}"
            )[:500],
            changes={
                "source_id": source_id,
                "language": locale.language_code,
                "created": created,
                "changed": changed,
                "status": status_of(page),
                "revision": page.latest_revision_id,
                "api_key": getattr(api_key, "prefix", None),
            },
        )
    return page, created
