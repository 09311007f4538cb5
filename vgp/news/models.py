"""The Government e-newspaper: sections and the news items in them.

The page tree is ``HomePage → SectionPage → NewsItemPage`` (an article, a photo gallery or a
video page). Every news item's common fields live on the concrete ``NewsItemPage`` so that
listings (section pages, the home page, feeds, the syndication API) query one table whatever
the kind of item, and each kind adds its own content in its own table.

``section`` repeats the parent section in a column of the item, and ``search_text`` keeps the
item's words folded without diacritics: both are derived on save, never edited, and exist so
that "latest in this section" and "search" stay one indexed query with 100,000 items.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.routable_page.models import path as subpage
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from vgp.core.text import fold
from vgp.core.text import slugify as vn_slugify
from vgp.portal import content_cache

from .blocks import ArticleBodyBlock
from .editorial_panels import EditorialStatusPanel, NewsItemPageForm
from .page_permissions import NewsItemPermissionTester

if TYPE_CHECKING:
    from wagtail.url_routing import RouteResult


# Saving any of these changes what the public sees of an item.
_VISIBLE_STATE_FIELDS = {"live", "withdrawn_at", "withdrawal_reason", "expired"}


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("Free to reuse with attribution (CC BY 4.0)")
    ATTRIBUTION = "attribution", _("Reuse allowed, citing the portal and the source agency")
    RESTRICTED = "restricted", _("No reuse without permission")


LICENCE_URLS = {Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/"}


class Topic(TagBase):
    """A tag (chủ đề). Slugs are ASCII: "Chính phủ điện tử" → ``chinh-phu-dien-tu``."""

    free_tagging = True

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def slugify(self, tag: str, i: int | None = None) -> str:
        slug = vn_slugify(tag, max_length=90) or "chu-de"
        return f"{slug}-{i}" if i is not None else slug


class NewsItemTag(ItemBase):
    tag = models.ForeignKey(Topic, related_name="tagged_items", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "news.NewsItemPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class SectionPage(Page):
    """A section (chuyên mục) of the e-newspaper: lists its items, newest first."""

    intro = models.TextField(_("introduction"), blank=True)
    show_on_home = models.BooleanField(
        _("show on the home page"),
        default=True,
        help_text=_("The home page shows the latest items of each section that has this ticked."),
    )

    content_panels = [*Page.content_panels, "intro", "show_on_home"]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["news.ArticlePage", "news.GalleryPage", "news.VideoPage"]

    items_per_page = 20
    template = "news/section_page.html"

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def get_view_restrictions(self) -> Any:
        return content_cache.view_restrictions(self, super().get_view_restrictions)

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        # Wagtail fetches a child as a plain Page and then its specific row. Most items are
        # articles: look for one first, which fetches the whole item with what its page shows
        # (image, agency) in one query; any other child costs the usual two.
        if not path_components:
            return super().route(request, path_components)
        slug, rest = path_components[0], path_components[1:]
        item = _child_item(ArticlePage, self, slug)
        if item is None:
            child = self.get_children().filter(slug=slug).first()
            if child is None:
                raise Http404
            model = child.specific_class
            if model is None or not issubclass(model, NewsItemPage):
                return child.specific.route(request, rest)
            item = _child_item(model, self, slug)
            if item is None:
                raise Http404
        item._cached_parent_obj = self  # treebeard's get_parent() reads it
        item.section = self
        return item.route(request, rest)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from vgp.portal.paging import paginate

        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context["items"] = paginate(request, queries.section_items(self), self.items_per_page)
        return context


class NewsItemPage(RoutablePageMixin, Page):
    """What articles, galleries and videos share. Not created directly: pick one of the three."""

    lead = models.TextField(
        _("lead paragraph"),
        max_length=1000,
        help_text=_("The sapo: one or two sentences that say what happened."),
    )
    date = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("Shown on the article and used to order lists."),
    )
    byline = models.CharField(_("author"), max_length=200, blank=True)
    source_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("source agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    featured_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("featured image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    featured_image_alt = models.CharField(
        _("featured image: alternative text"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows. Defaults to the image's own description."),
    )
    featured_image_caption = models.CharField(
        _("featured image: caption"), max_length=500, blank=True
    )
    featured_image_credit = models.CharField(
        _("featured image: credit"), max_length=200, blank=True
    )
    tags = ClusterTaggableManager(
        verbose_name=_("topics"), through=NewsItemTag, blank=True, related_name="news_items"
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.ATTRIBUTION
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=255,
        blank=True,
        help_text=_("How reusers must credit this item, e.g. the photographer or the newspaper."),
    )

    # Syndication: where an item posted by an agency's system came from.
    source_id = models.CharField(_("ID at the source"), max_length=200, blank=True, editable=False)
    source_url = models.URLField(_("original address"), max_length=500, blank=True)

    # Withdrawal (GOV.UK style): the page stays, with the reason, instead of disappearing.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)

    # English edition: when this translation was last brought in line with its original.
    translation_synced_at = models.DateTimeField(
        _("translation up to date as of"), null=True, blank=True, editable=False
    )

    # Derived on save.
    section = models.ForeignKey(
        SectionPage,
        verbose_name=_("section"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    #: When visitors last saw a change (published, unpublished, withdrawn, reinstated): the
    #: syndication API's ``updated_since`` and cursor run on it.
    changed_at = models.DateTimeField(_("changed at"), null=True, editable=False, db_index=True)

    is_creatable = False
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    #: What the item's page shows from other tables, fetched with the item when it is served.
    select_related_for_page: tuple[str, ...] = ("featured_image", "source_agency", "locale")
    exclude_fields_in_copy = [
        "source_id",
        "withdrawn_at",
        "withdrawal_reason",
        "translation_synced_at",
    ]
    #: Fields that describe the page rather than one version of it: loading a revision (to edit,
    #: publish, compare or revert) keeps their current values (see ``editorial``).
    page_state_fields = ("withdrawn_at", "withdrawal_reason", "translation_synced_at")

    base_form_class = NewsItemPageForm
    content_panels = [
        EditorialStatusPanel(),
        *Page.content_panels,
        "lead",
        MultiFieldPanel(
            [
                FieldPanel("featured_image"),
                FieldPanel("featured_image_alt"),
                FieldPanel("featured_image_caption"),
                FieldPanel("featured_image_credit"),
            ],
            heading=_("Featured image"),
        ),
    ]
    meta_panels = [
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("byline"),
                FieldPanel("source_agency"),
                FieldPanel("tags"),
                InlinePanel("related_items", label=_("Related items")),
            ],
            heading=_("About this item"),
        ),
        MultiFieldPanel(
            [FieldPanel("licence"), FieldPanel("attribution"), FieldPanel("source_url")],
            heading=_("Reuse"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.FilterField("date"),
        index.FilterField("section"),
    ]

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        indexes = [
            models.Index(fields=["section", "-date"], name="news_item_section_date"),
            models.Index(fields=["-date"], name="news_item_date"),
            models.Index(fields=["source_agency", "-date"], name="news_item_agency_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_agency", "source_id"],
                condition=~models.Q(source_id=""),
                name="news_item_unique_source_id",
            )
        ]

    # --- derived fields -------------------------------------------------------------------
    def search_parts(self) -> list[str]:
        """The words a search should find this item by; kinds add their own content."""
        return [self.title, self.lead, self.byline, *(tag.name for tag in self.tags.all())]

    def clean(self) -> None:
        super().clean()
        parent = self.get_parent() if self.pk or self.path else None
        if parent is not None and not isinstance(parent.specific_deferred, SectionPage):
            raise ValidationError(_("A news item must be placed in a section."))

    def save(self, *args: Any, **kwargs: Any) -> Any:
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            # A full save writes what visitors see (creating, publishing, moving): derive from
            # it. Wagtail's draft saves (``save_revision``) name their fields and keep the live
            # content, so they must not leak a draft's words into the search column.
            if self.path:
                parent = self.get_parent()
                self.section_id = parent.pk if parent is not None else None
            self.search_text = fold(" ".join(part for part in self.search_parts() if part))
            self.changed_at = timezone.now()
        elif _VISIBLE_STATE_FIELDS & set(update_fields):
            # Unpublishing, withdrawing, reinstating: syndication clients must see the change.
            self.changed_at = timezone.now()
            kwargs["update_fields"] = {*update_fields, "changed_at"}
        return super().save(*args, **kwargs)

    # --- editorial (see editorial.py) -----------------------------------------------------
    def permissions_for_user(self, user: Any) -> NewsItemPermissionTester:
        return NewsItemPermissionTester(user, self)

    def with_content_json(self, content: dict[str, Any]) -> Any:
        page = super().with_content_json(content)
        for name in self.page_state_fields:
            setattr(page, name, getattr(self, name))
        return page

    @property
    def status_string(self) -> Any:
        # Shown as the item's status in the admin's listings and reports.
        if self.withdrawn_at is not None:
            return _("withdrawn")
        return super().status_string

    def expire_on_schedule(self) -> None:
        """Called by scheduled publishing when ``expire_at`` has passed: the item is withdrawn
        with a standard public reason (never a silent 404), and its expiry is cleared."""
        from .editorial import withdraw

        if self.withdrawn_at is None:
            with translation.override(self.locale.language_code):
                reason = gettext("This item's scheduled publication period has ended.")
            withdraw(actor=None, page=self, reason=reason)
        type(self).objects.filter(pk=self.pk).update(expire_at=None)

    # --- presentation --------------------------------------------------------------------
    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def get_view_restrictions(self) -> Any:
        return content_cache.view_restrictions(self, super().get_view_restrictions)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import queries, sharing

        context = super().get_context(request, *args, **kwargs)
        context["section"] = self.section
        # Read only when the page's fragment is not in the cache (see news/item_page.html).
        context["topics"] = SimpleLazyObject(
            lambda: sorted(self.tags.all(), key=lambda topic: topic.name)
        )
        context["related_items"] = SimpleLazyObject(lambda: queries.related_items(self))
        context["share_links"] = sharing.share_links(self.get_full_url(request), self.title)
        context["print_url"] = self.url_for_print(request)
        context["fragment_seconds"] = 0 if getattr(request, "is_preview", False) else 600
        return context

    def url_for_print(self, request: HttpRequest | None = None) -> str:
        return (self.get_url(request) or "") + self.reverse_subpage("print")

    @subpage("ban-in/", name="print")
    def print_version(self, request: HttpRequest) -> HttpResponse:
        """A clean version of the item for printing or saving as PDF (``<item>/ban-in/``)."""
        return self.render(request, template="news/print_page.html")

    @property
    def kind(self) -> str:
        return self.specific_class._meta.model_name if self.specific_class else "newsitempage"

    def licence_url(self) -> str:
        return LICENCE_URLS.get(self.licence, "")  # type: ignore[call-overload]

    def image_alt(self) -> str:
        if self.featured_image_alt:
            return self.featured_image_alt
        image = self.featured_image
        return (getattr(image, "description", "") or image.title) if image else ""


class RelatedItem(Orderable):
    page = ParentalKey(NewsItemPage, related_name="related_items", on_delete=models.CASCADE)
    item = models.ForeignKey(
        NewsItemPage,
        verbose_name=_("item"),
        related_name="+",
        on_delete=models.CASCADE,
    )

    panels = ["item"]

    class Meta(Orderable.Meta):
        verbose_name = _("related item")


class ArticlePage(NewsItemPage):
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*NewsItemPage.content_panels, "body"]
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    template = "news/article_page.html"

    search_fields = [*NewsItemPage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def search_parts(self) -> list[str]:
        return [*super().search_parts(), *_stream_text(self.body)]


class GalleryPage(NewsItemPage):
    """A photo gallery (phóng sự ảnh): pictures with captions and credits, in order."""

    content_panels = [
        *NewsItemPage.content_panels,
        InlinePanel("gallery_images", label=_("Photos"), min_num=1),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    template = "news/gallery_page.html"

    class Meta:
        verbose_name = _("photo gallery")
        verbose_name_plural = _("photo galleries")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from . import queries

        context = super().get_context(request, *args, **kwargs)
        context["photos"] = SimpleLazyObject(lambda: queries.gallery_photos(self))
        return context

    def search_parts(self) -> list[str]:
        return [*super().search_parts(), *(photo.caption for photo in self.gallery_images.all())]


class GalleryImage(Orderable):
    page = ParentalKey(GalleryPage, related_name="gallery_images", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.PROTECT, related_name="+"
    )
    alt_text = models.CharField(_("alternative text"), max_length=255, blank=True)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)

    panels = ["image", "alt_text", "caption", "credit"]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def alt(self) -> str:
        return self.alt_text or self.caption or getattr(self.image, "description", "") or ""


class VideoPage(NewsItemPage):
    """A video with its poster, captions and transcript, played from the portal's own files."""

    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("MP4 or WebM, uploaded to the document library."),
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("captions (WebVTT)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transcript = models.TextField(_("transcript"), blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("description"), blank=True)

    content_panels = [
        *NewsItemPage.content_panels,
        "video",
        "captions",
        "transcript",
        "body",
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    template = "news/video_page.html"
    select_related_for_page = (*NewsItemPage.select_related_for_page, "video", "captions")

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def clean(self) -> None:
        super().clean()
        from .blocks import CAPTION_EXTENSIONS, VIDEO_EXTENSIONS, has_extension

        errors = {}
        if self.video_id and not has_extension(self.video, VIDEO_EXTENSIONS):
            errors["video"] = _("Choose an MP4 or WebM file.")
        if self.captions_id and not has_extension(self.captions, CAPTION_EXTENSIONS):
            errors["captions"] = _("Captions must be a WebVTT (.vtt) file.")
        if errors:
            raise ValidationError(errors)

    def search_parts(self) -> list[str]:
        return [*super().search_parts(), self.transcript, *_stream_text(self.body)]


class TopStory(Orderable):
    """A news item the editors put at the top of a home page, in their order."""

    page = ParentalKey("portal.HomePage", related_name="top_stories", on_delete=models.CASCADE)
    story = models.ForeignKey(
        NewsItemPage, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="+"
    )

    panels = ["story"]

    class Meta(Orderable.Meta):
        verbose_name = _("top story")
        verbose_name_plural = _("top stories")


class DailyViews(models.Model):
    """How many times an item was read on a day (for "most read"); counted by a pixel."""

    page = models.ForeignKey(NewsItemPage, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily views")
        verbose_name_plural = _("daily views")
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="news_daily_views_unique")
        ]
        indexes = [models.Index(fields=["day"], name="news_daily_views_day")]

    def __str__(self) -> str:
        return f"{self.page_id} {self.day}: {self.count}"


def _stream_text(stream: Any) -> list[str]:
    """Plain text of a StreamField value, for the search column."""
    parts: list[str] = []
    for child in stream or []:
        value = child.value
        if hasattr(value, "source"):  # RichText
            parts.append(strip_tags(value.source))
        elif isinstance(value, str):
            parts.append(value)
        elif hasattr(value, "items"):  # StructValue
            parts.extend(
                strip_tags(v.source) if hasattr(v, "source") else v
                for k, v in value.items()
                if isinstance(v, str) or hasattr(v, "source")
            )
    return parts


def _child_item(model: type[NewsItemPage], section: SectionPage, slug: str) -> Any:
    """The item of type ``model`` at ``slug`` in ``section``, with what its page shows."""
    return (
        model.objects.child_of(section)
        .filter(slug=slug)
        .select_related(*model.select_related_for_page)
        .prefetch_related("tags")
        .first()
    )
