"""The e-newspaper's API.

- ``GET /api/v1/articles`` and ``GET /api/v1/articles/{id}``: published news, public (no key).
- ``POST /api/v1/syndication/articles``: an agency's system sends an article (agency API key).

No ``from __future__ import annotations`` here: django-ninja reads the annotations at runtime.

**Identifiers.** ``id`` is the page id. It never changes for the life of an item, whatever the
editors do (new title, slug, section, republishing, withdrawal), so it is the key a client
stores and what ``/articles/{id}`` takes. ``translation_key`` is the same for an item and its
translation: it groups the Vietnamese and English versions of one story. The address (``url``)
is not an identifier: it changes with the slug or the section.

**Keeping a copy in sync.** Items come in the order in which the public last saw them change
(``updated_at``: published, republished or withdrawn), oldest first, then by id. Follow
``next`` until it is null; later, ask again with ``cursor=<next_cursor>`` (or
``updated_since``) for what changed since. The cursor is a position in that order, so items
published while a client pages through appear after it: none is skipped and none is repeated,
unless it changed again (then it comes again, changed). Withdrawn items are listed with
``withdrawn`` so that copies can be withdrawn too. ``order=-updated`` lists newest first,
for "latest news" displays; it is not meant for syncing.
"""

import base64
import binascii
import datetime as dt
import json
import uuid
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import StringConstraints, field_validator

from vgp.accounts.api_auth import agency_key_auth
from vgp.api.validation import invalid_field

from . import published, syndication
from .body_html import BodyRenderer
from .models import ArticlePage, GalleryPage, Licence, NewsItemPage, VideoPage

articles_router = Router(tags=["news"])
syndication_router = Router(tags=["syndication"])

KINDS: dict[str, type[NewsItemPage]] = {
    "article": ArticlePage,
    "gallery": GalleryPage,
    "video": VideoPage,
}
KIND_OF = {model: kind for kind, model in KINDS.items()}
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


# --- output ---------------------------------------------------------------------------------


class AgencyRef(Schema):
    code: str = Field(description="Electronic code, as in /api/v1/agencies")
    name: str


class SectionRef(Schema):
    id: int
    slug: str
    title: str
    url: str


class TopicOut(Schema):
    slug: str
    name: str


class ImageOut(Schema):
    url: str = Field(description="A 1200x630 JPEG made for sharing")
    width: int
    height: int
    alt: str


class LicenceOut(Schema):
    code: Licence
    name: str
    url: str = Field(description="The licence's text, when it has a public one")


class WithdrawnOut(Schema):
    at: dt.datetime
    reason: str


class ArticleOut(Schema):
    """One news item. The field set is a published contract: add fields, never rename them."""

    id: int = Field(description="The page id: stable for the life of the item")
    translation_key: uuid.UUID = Field(description="Shared with the item's translation")
    kind: Literal["article", "gallery", "video"]
    language: Literal["vi", "en"]
    url: str = Field(description="Canonical address on the portal")
    title: str
    lead: str
    body_html: str = Field(
        description="The body as HTML: p, h2, h3, lists, links, figure/img, blockquote, "
        "table, video/audio; absolute addresses, no classes or scripts"
    )
    date: dt.datetime = Field(description="Publication date shown on the item")
    first_published_at: dt.datetime | None
    updated_at: dt.datetime = Field(
        description="When the public last saw the item change; the order of this list"
    )
    byline: str
    section: SectionRef | None
    topics: list[TopicOut]
    featured_image: ImageOut | None
    source_agency: AgencyRef | None
    source_url: str
    licence: LicenceOut
    attribution: str
    withdrawn: WithdrawnOut | None = Field(description="Set when the item was withdrawn")


class ArticleListOut(Schema):
    items: list[ArticleOut]
    next_cursor: str | None = Field(
        description="Position after the last item; pass it as cursor to continue or, later, "
        "to get what changed since. Null when the page is empty."
    )
    next: str | None = Field(description="Address of the next page; null on the last one")


def _item_data(item: NewsItemPage, request: HttpRequest, body_html: str) -> dict[str, Any]:
    agency, section = item.source_agency, item.section
    licence = Licence(item.licence) if item.licence in Licence.values else Licence.ATTRIBUTION
    image_url = published.social_image_url(item, request)
    return {
        "id": item.pk,
        "translation_key": item.translation_key,
        "kind": KIND_OF.get(item.specific_class or NewsItemPage, "article"),
        "language": item.locale.language_code,
        "url": published.page_url(item, request),
        "title": item.title,
        "lead": item.lead,
        "body_html": body_html,
        "date": item.date,
        "first_published_at": item.first_published_at,
        "updated_at": item.changed_at,
        "byline": item.byline,
        "section": {
            "id": section.pk,
            "slug": section.slug,
            "title": section.title,
            "url": published.page_url(section, request),
        }
        if section is not None
        else None,
        "topics": [{"slug": tag.slug, "name": tag.name} for tag in item.tags.all()],
        "featured_image": {"url": image_url, "width": 1200, "height": 630, "alt": item.image_alt()}
        if image_url
        else None,
        "source_agency": {"code": agency.code, "name": agency.name} if agency else None,
        "source_url": item.source_url,
        "licence": {
            "code": licence,
            "name": str(licence.label),
            "url": item.licence_url(),
        },
        "attribution": item.attribution,
        "withdrawn": {"at": item.withdrawn_at, "reason": item.withdrawal_reason}
        if item.withdrawn_at
        else None,
    }


def _serialise(items: list[NewsItemPage], request: HttpRequest) -> list[dict[str, Any]]:
    bodies = BodyRenderer(request).render(items)
    return [_item_data(item, request, bodies.get(item.pk, "")) for item in items]


# --- the list and its cursor ----------------------------------------------------------------


class ArticleFilters(Schema):
    section: str | None = Field(None, max_length=255, description="Slug of a section")
    agency: str | None = Field(
        None, max_length=35, description="Electronic code of the source agency"
    )
    updated_since: dt.datetime | None = Field(
        None,
        description="Only items changed at or after this time (ISO 8601; without an offset, "
        "Hà Nội time)",
    )
    lang: Literal["vi", "en"] | None = Field(None, description="One language; both if omitted")
    kind: Literal["article", "gallery", "video"] | None = None
    order: Literal["updated", "-updated"] = Field(
        "updated", description="updated: oldest change first (for syncing); -updated: newest first"
    )
    cursor: str | None = Field(None, max_length=200, description="next_cursor of a previous page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def encode_cursor(changed_at: dt.datetime, pk: int, order: str) -> str:
    raw = json.dumps({"t": changed_at.isoformat(), "i": pk, "o": order}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: str) -> tuple[dt.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        changed_at = dt.datetime.fromisoformat(data["t"])
        pk = int(data["i"])
        if data["o"] != order or timezone.is_naive(changed_at):
            raise ValueError(data["o"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise NinjaValidationError(
            [
                invalid_field(
                    "query",
                    "cursor",
                    _(
                        "This cursor is not valid (or was made for another order); start again without it."
                    ),
                )
            ]
        ) from error
    return changed_at, pk


def _filtered(filters: ArticleFilters) -> Any:  # a PageQuerySet
    items: Any = published.with_changed_at(published.published_items())
    if filters.section:
        items = items.filter(section__slug=filters.section)
    if filters.agency:
        items = items.filter(source_agency__code=filters.agency)
    if filters.lang:
        items = items.filter(locale__language_code=filters.lang)
    if filters.kind:
        items = items.exact_type(KINDS[filters.kind])
    if filters.updated_since:
        since = filters.updated_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        items = items.filter(changed_at__gte=since)
    return items


@articles_router.get("", response=ArticleListOut, summary="Published news, for copying and syncing")
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]) -> dict[str, Any]:
    """Live public items of both languages, withdrawn ones included (marked ``withdrawn``).

    See the module documentation above for identifiers and syncing with ``next_cursor``.
    """
    items = _filtered(filters)
    ascending = filters.order == "updated"
    if filters.cursor:
        changed_at, pk = decode_cursor(filters.cursor, filters.order)
        if ascending:
            after = Q(changed_at__gt=changed_at) | Q(changed_at=changed_at, pk__gt=pk)
        else:
            after = Q(changed_at__lt=changed_at) | Q(changed_at=changed_at, pk__lt=pk)
        items = items.filter(after)
    items = items.order_by(*(("changed_at", "pk") if ascending else ("-changed_at", "-pk")))
    page = list(items[: filters.limit + 1])
    more, page = len(page) > filters.limit, page[: filters.limit]
    next_cursor = encode_cursor(page[-1].changed_at, page[-1].pk, filters.order) if page else None
    next_url = None
    if more and next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": _serialise(page, request), "next_cursor": next_cursor, "next": next_url}


@articles_router.get("/{item_id}", response=ArticleOut, summary="One published news item by id")
def get_article(request: HttpRequest, item_id: int) -> dict[str, Any]:
    item = published.with_changed_at(published.published_items()).filter(pk=item_id).first()
    if item is None:
        raise HttpError(404, _("No published news item has the id %(id)s.") % {"id": item_id})
    return _serialise([item], request)[0]


# --- syndication ----------------------------------------------------------------------------

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class ArticleIn(Schema):
    """An article sent by an agency's system. Unknown fields are ignored."""

    source_id: Annotated[Text, StringConstraints(min_length=1, max_length=200)] = Field(
        description="The article's id in the agency's system; posting it again updates the article"
    )
    title: Annotated[Text, StringConstraints(min_length=1, max_length=255)]
    lead: Annotated[Text, StringConstraints(min_length=1, max_length=1000)] = Field(
        description="The sapo: one or two sentences, plain text"
    )
    body_html: str = Field(
        "",
        max_length=1_000_000,
        description="HTML. Kept: paragraphs, h2 to h6 (as headings), bold, italic, links, lists. "
        "Everything else (scripts, styles, images, tables, attributes) is removed.",
    )
    date: dt.datetime = Field(
        description="Publication date (ISO 8601; without an offset, Hà Nội time)"
    )
    byline: Annotated[Text, StringConstraints(max_length=200)] = ""
    source_url: Annotated[Text, StringConstraints(max_length=500)] = Field(
        "", description="The article on the agency's own site (http or https)"
    )

    @field_validator("source_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except DjangoValidationError as error:
                raise ValueError(
                    _("Enter a web address that starts with http:// or https://.")
                ) from error
        return value

    topics: list[Annotated[Text, StringConstraints(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=syndication.MAX_TOPICS
    )
    licence: Licence = Licence.ATTRIBUTION
    attribution: Annotated[Text, StringConstraints(max_length=255)] = ""
    language: Literal["vi", "en"] = "vi"
    agency: Annotated[Text, StringConstraints(max_length=35)] | None = Field(
        None, description="Optional; if given, must be the API key's own agency code"
    )


class ReceiptOut(Schema):
    id: int = Field(description="The page id; the same for every post of this source_id")
    translation_key: uuid.UUID
    source_id: str
    language: str
    status: Literal["draft", "awaiting_approval", "live"] = Field(
        description="draft: not yet published; awaiting_approval: published, and this version "
        "waits for the editors; live: published as sent"
    )
    revision_id: int | None
    url: str | None = Field(description="Public address, once published")


@syndication_router.post(
    "/articles",
    auth=agency_key_auth,
    response={200: ReceiptOut, 201: ReceiptOut},
    summary="Send an article for the portal's editors to review",
)
def receive_article(request: HttpRequest, article: ArticleIn) -> Status[dict[str, Any]]:
    """The article lands as a draft in "Tin từ bộ, ngành, địa phương", attributed to the key's
    agency. 201 when it is new; 200 when this ``source_id`` was sent before (the same page is
    updated, never duplicated). A published article is not changed until editors approve.
    """
    key = request.auth  # type: ignore[attr-defined]
    payload = syndication.IncomingArticle(
        source_id=article.source_id,
        title=article.title,
        lead=article.lead,
        date=article.date,
        body_html=article.body_html,
        byline=article.byline,
        source_url=article.source_url,
        topics=tuple(article.topics),
        licence=str(article.licence.value),
        attribution=article.attribution,
        language=article.language,
        agency=article.agency,
    )
    try:
        page, created = syndication.receive_article(agency=key.agency, api_key=key, payload=payload)
    except DjangoValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        raise NinjaValidationError(
            [
                invalid_field("body", name, text, parameter="article")
                for name, texts in messages.items()
                for text in texts
            ]
        ) from error
    status = syndication.status_of(page)
    receipt = {
        "id": page.pk,
        "translation_key": page.translation_key,
        "source_id": page.source_id,
        "language": page.locale.language_code,
        "status": status,
        "revision_id": page.latest_revision_id,
        "url": published.page_url(page, request) if page.live else None,
    }
    return Status(201 if created else 200, receipt)
