"""News item bodies as self-contained HTML for other systems (the articles API).

Rendered from the stored StreamField data rather than through the site's block templates: a
consumer needs absolute addresses and plain semantic HTML (no classes, no scripts), and a
page of 100 items must cost the same few queries as a page of one. So the bodies of all the
items are read first, then every image, document and linked page they mention is fetched in
one query per kind, and only then is the HTML written.

Elements produced: p, h2, h3, ul/ol/li, a, b/strong, i/em, sup/sub, br, figure/img/figcaption,
blockquote/cite, table/caption/thead/tbody/tr/th/td, video/audio/track, details/summary.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from . import queries
from .models import ArticlePage, GalleryImage, GalleryPage, NewsItemPage, VideoPage
from .published import absolute_url
from .rich_text import RichTextExpander, linked_ids

logger = logging.getLogger(__name__)

#: Pictures inside a body: large enough to read, small enough to download on a phone.
BODY_IMAGE_FILTER = "max-1200x1200"


class _Refs:
    """The ids a set of bodies refers to, then the objects behind them."""

    def __init__(self) -> None:
        self.image_ids: set[int] = set()
        self.document_ids: set[int] = set()
        self.page_ids: set[int] = set()
        self.images: dict[int, Any] = {}
        self.document_urls: dict[int, str] = {}
        self.page_urls: dict[int, str] = {}

    def add_rich_text(self, db_html: Any) -> None:
        if isinstance(db_html, str):
            found = linked_ids(db_html)
            self.page_ids |= found["page"]
            self.document_ids |= found["document"]

    def add_id(self, bucket: set[int], value: Any) -> None:
        if isinstance(value, int):
            bucket.add(value)

    def scan(self, raw_blocks: Iterable[dict[str, Any]]) -> None:
        for block in raw_blocks:
            kind, value = block.get("type"), block.get("value")
            if kind == "paragraph":
                self.add_rich_text(value)
            elif not isinstance(value, dict):
                continue
            elif kind == "image":
                self.add_id(self.image_ids, value.get("image"))
            elif kind == "attachment":
                self.add_id(self.document_ids, value.get("document"))
            elif kind == "video":
                self.add_id(self.image_ids, value.get("poster"))
                self.add_id(self.document_ids, value.get("file"))
                self.add_id(self.document_ids, value.get("captions"))
            elif kind == "audio":
                self.add_id(self.document_ids, value.get("file"))
            elif kind == "table":
                table = value.get("table") or {}
                rich_columns = [
                    i
                    for i, c in enumerate(table.get("columns") or [])
                    if c.get("type") == "rich_text"
                ]
                for row in table.get("rows") or []:
                    values = row.get("values") or []
                    for i in rich_columns:
                        if i < len(values):
                            self.add_rich_text(values[i])

    def fetch(self, request: HttpRequest) -> None:
        if self.image_ids:
            images = get_image_model().objects.filter(pk__in=self.image_ids)
            self.images = {
                image.pk: image for image in images.prefetch_renditions(BODY_IMAGE_FILTER)
            }
        if self.document_ids:
            documents = get_document_model().objects.filter(pk__in=self.document_ids)
            self.document_urls = {doc.pk: absolute_url(request, doc.url) for doc in documents}
        if self.page_ids:
            pages = queries.public(Page.objects.live()).filter(pk__in=self.page_ids)
            self.page_urls = {page.pk: page.get_full_url(request) or "" for page in pages}


class BodyRenderer:
    """Renders the bodies of many items at once: ``render(items) -> {item id: html}``."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.refs = _Refs()

    def _absolute(self, url: str) -> str:
        return absolute_url(self.request, url) if url.startswith("/") else url

    def render(self, items: Sequence[NewsItemPage]) -> dict[int, str]:
        by_kind: dict[type, list[int]] = {}
        for item in items:
            by_kind.setdefault(item.specific_class or NewsItemPage, []).append(item.pk)

        streams: dict[int, list[dict[str, Any]]] = {}
        for model in (ArticlePage, VideoPage):
            if by_kind.get(model):
                for pk, body in model.objects.filter(pk__in=by_kind[model]).values_list(
                    "pk", "body"
                ):
                    streams[pk] = list(body.raw_data) if body is not None else []
        videos: dict[int, dict[str, Any]] = {}
        if by_kind.get(VideoPage):
            rows = VideoPage.objects.filter(pk__in=by_kind[VideoPage]).values(
                "pk", "video_id", "captions_id", "transcript"
            )
            videos = {row["pk"]: row for row in rows}
        photos: dict[int, list[GalleryImage]] = {}
        if by_kind.get(GalleryPage):
            for photo in GalleryImage.objects.filter(page_id__in=by_kind[GalleryPage]).order_by(
                "page_id", "sort_order", "pk"
            ):
                photos.setdefault(photo.page_id, []).append(photo)

        for raw in streams.values():
            self.refs.scan(raw)
        for video in videos.values():
            self.refs.add_id(self.refs.document_ids, video["video_id"])
            self.refs.add_id(self.refs.document_ids, video["captions_id"])
        for album in photos.values():
            for photo in album:
                self.refs.add_id(self.refs.image_ids, photo.image_id)
        self.refs.fetch(self.request)
        self._rich = RichTextExpander(
            page_urls=self.refs.page_urls,
            document_urls=self.refs.document_urls,
            absolute=self._absolute,
        )

        html: dict[int, str] = {}
        for item in items:
            parts: list[str] = []
            for photo in photos.get(item.pk, []):
                parts.append(self._figure(photo.image_id, photo.alt(), photo.caption, photo.credit))
            if item.pk in videos:
                video = videos[item.pk]
                parts.append(
                    self._media(
                        "video",
                        video["video_id"],
                        captions_id=video["captions_id"],
                        transcript=video["transcript"],
                    )
                )
            parts.extend(self._block(block) for block in streams.get(item.pk, []))
            html[item.pk] = "".join(part for part in parts if part)
        return html

    # --- blocks ---------------------------------------------------------------------------
    def _block(self, block: dict[str, Any]) -> str:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            return self._rich(value if isinstance(value, str) else "")
        if not isinstance(value, dict):
            return ""
        if kind == "heading":
            level = value.get("level") if value.get("level") in ("h2", "h3") else "h2"
            return format_html("<{0}>{1}</{0}>", level, value.get("text", ""))
        if kind == "image":
            return self._figure(
                value.get("image"),
                value.get("alt_text", ""),
                value.get("caption", ""),
                value.get("credit", ""),
            )
        if kind == "quote":
            cite = value.get("attribution", "")
            return format_html(
                "<blockquote><p>{}</p>{}</blockquote>",
                value.get("text", ""),
                format_html("<p><cite>{}</cite></p>", cite) if cite else "",
            )
        if kind == "table":
            return self._table(value)
        if kind == "attachment":
            url = self.refs.document_urls.get(value.get("document") or 0)
            if not url:
                return ""
            return format_html('<p><a href="{}">{}</a></p>', url, value.get("title") or url)
        if kind in ("video", "audio"):
            return self._media(
                kind,
                value.get("file"),
                captions_id=value.get("captions"),
                poster_id=value.get("poster"),
                caption=value.get("caption", ""),
                transcript=value.get("transcript", ""),
            )
        return ""

    def _image_src(self, image_id: Any) -> tuple[str, int, int]:
        image = self.refs.images.get(image_id) if isinstance(image_id, int) else None
        if image is None:
            return "", 0, 0
        try:
            rendition = image.get_rendition(BODY_IMAGE_FILTER)
        except Exception:
            logger.warning("No body rendition for image %s", image_id)
            return "", 0, 0
        return absolute_url(self.request, rendition.url), rendition.width, rendition.height

    def _figure(self, image_id: Any, alt: str, caption: str, credit: str) -> str:
        src, width, height = self._image_src(image_id)
        if not src:
            return ""
        text = " — ".join(part for part in (caption, credit) if part)
        return format_html(
            '<figure><img src="{}" alt="{}" width="{}" height="{}">{}</figure>',
            src,
            alt or "",
            width,
            height,
            format_html("<figcaption>{}</figcaption>", text) if text else "",
        )

    def _table(self, value: dict[str, Any]) -> str:
        table = value.get("table") or {}
        columns = table.get("columns") or []
        head = format_html_join(
            "", '<th scope="col">{}</th>', ((c.get("heading", ""),) for c in columns)
        )
        rows = []
        for row in table.get("rows") or []:
            cells = []
            for column, cell in zip(columns, row.get("values") or [], strict=False):
                if column.get("type") == "rich_text":
                    content: Any = mark_safe(self._rich(cell if isinstance(cell, str) else ""))  # noqa: S308  # sanitised by the expander
                else:
                    content = "" if cell is None else str(cell)
                cells.append(format_html("<td>{}</td>", content))
            rows.append(format_html("<tr>{}</tr>", SafeString("".join(cells))))
        return format_html(
            "<table><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
            value.get("caption", ""),
            head,
            SafeString("".join(rows)),
        )

    def _media(
        self,
        kind: str,
        file_id: Any,
        *,
        captions_id: Any = None,
        poster_id: Any = None,
        caption: str = "",
        transcript: str = "",
    ) -> str:
        src = self.refs.document_urls.get(file_id) if isinstance(file_id, int) else None
        if not src:
            return ""
        poster = self._image_src(poster_id)[0]
        captions = (
            self.refs.document_urls.get(captions_id) if isinstance(captions_id, int) else None
        )
        track = (
            format_html('<track kind="captions" src="{}" default>', captions) if captions else ""
        )
        player = format_html(
            '<{0} controls src="{1}"{2}>{3}</{0}>',
            kind,
            src,
            format_html(' poster="{}"', poster) if poster and kind == "video" else "",
            track,
        )
        parts = [player]
        if caption:
            parts.append(format_html("<figcaption>{}</figcaption>", caption))
        figure = format_html("<figure>{}</figure>", SafeString("".join(parts)))
        if not transcript:
            return figure
        return figure + format_html(
            "<details><summary>{}</summary><p>{}</p></details>", _("Transcript"), transcript
        )
