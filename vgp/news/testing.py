"""Small builders of e-newspaper content for tests, browser tests and screenshots.

They publish through Wagtail the way an editor does (``add_child`` then
``save_revision().publish()``), so every derived field (section, search text) and every cache
purge happens as in real use.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from vgp.core.text import slugify

from .models import ArticlePage, GalleryImage, GalleryPage, NewsItemPage, SectionPage, VideoPage

_numbers = itertools.count(1)
# Muted colours that read as "a photo" in screenshots; white text on each is not needed.
_PALETTE = [(38, 84, 124), (120, 72, 48), (54, 110, 74), (140, 40, 50), (90, 90, 110)]


def image_bytes(width: int = 1200, height: int = 800, fmt: str = "JPEG") -> bytes:
    """A generated picture: a colour field with a diagonal band, so crops are visible."""
    colour = _PALETTE[next(_numbers) % len(_PALETTE)]
    picture = PILImage.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(picture)
    band = tuple(min(255, c + 70) for c in colour)
    draw.polygon([(0, height), (width // 2, 0), (width, 0), (width // 2, height)], fill=band)
    out = BytesIO()
    picture.save(out, fmt)
    return out.getvalue()


def _ensure_root_collection() -> None:
    # Wagtail's migrations create it; a flushed database (transactional tests) has none.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def make_image(title: str = "Ảnh thử nghiệm", width: int = 1200, height: int = 800, **kwargs: Any):
    """A Wagtail image from a generated JPEG."""
    _ensure_root_collection()
    number = next(_numbers)
    upload = ImageFile(BytesIO(image_bytes(width, height)), name=f"anh-{number}.jpg")
    return get_image_model().objects.create(title=title, file=upload, **kwargs)


def make_document(title: str, filename: str, content: bytes = b"0" * 2048):
    """A document in the library (a PDF, a video, a WebVTT file…), with made-up bytes."""
    _ensure_root_collection()
    return get_document_model().objects.create(
        title=title, file=ContentFile(content, name=filename)
    )


def _publish(parent: Page, page: Page) -> Any:
    if not page.slug:
        # ASCII like the editors' ("điện tử" → "dien-tu"); Wagtail's own would drop the đ.
        page.slug = slugify(page.title)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_section(
    home: Page, title: str, slug: str = "", intro: str = "", show_on_home: bool = True
) -> SectionPage:
    section = SectionPage(title=title, intro=intro, show_on_home=show_on_home)
    if slug:
        section.slug = slug
    return _publish(home, section)


def _paragraphs(body_paragraphs: Iterable[str]) -> list[tuple[str, Any]]:
    return [("paragraph", f"<p>{text}</p>") for text in body_paragraphs]


def _fill(
    page: NewsItemPage,
    date: dt.datetime | None,
    tags: Sequence[str],
    image: Any,
    **fields: Any,
) -> None:
    page.date = date or timezone.now()
    page.featured_image = image
    for name, value in fields.items():
        setattr(page, name, value)
    if tags:
        page.tags.add(*tags)


def make_article(
    section: SectionPage,
    title: str,
    lead: str = "Tóm tắt bài viết.",
    body_paragraphs: Iterable[str] = ("Nội dung bài viết.",),
    tags: Sequence[str] = (),
    date: dt.datetime | None = None,
    image: Any = None,
    body: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> ArticlePage:
    """An article published in ``section``.

    ``body``, StreamField data as stored (``[{"type": "quote", "value": {...}}, …]``, images
    and documents by id), replaces the paragraphs.
    """
    article = ArticlePage(title=title, lead=lead)
    article.body = (
        json.dumps(body, cls=DjangoJSONEncoder)
        if body is not None
        else _paragraphs(body_paragraphs)
    )
    _fill(article, date, tags, image, **fields)
    return _publish(section, article)


def make_gallery(
    section: SectionPage,
    title: str,
    photos: Sequence[tuple[Any, str, str]],
    lead: str = "Phóng sự ảnh.",
    date: dt.datetime | None = None,
    **fields: Any,
) -> GalleryPage:
    """A gallery of ``(image, caption, credit)`` photos; the first is also the featured image."""
    gallery = GalleryPage(title=title, lead=lead)
    _fill(gallery, date, (), photos[0][0] if photos else None, **fields)
    gallery.gallery_images = [
        GalleryImage(image=image, caption=caption, credit=credit)
        for image, caption, credit in photos
    ]
    return _publish(section, gallery)


def make_video(
    section: SectionPage,
    title: str,
    lead: str = "Video.",
    captions: bool = True,
    transcript: str = "Lời thoại của video.",
    date: dt.datetime | None = None,
    image: Any = None,
    **fields: Any,
) -> VideoPage:
    """A video page with an MP4 file, a poster and, unless told otherwise, WebVTT captions."""
    page = VideoPage(title=title, lead=lead, transcript=transcript)
    page.video = make_document(f"{title} (video)", "video.mp4")
    if captions:
        page.captions = make_document(
            f"{title} (phụ đề)", "phu-de.vtt", b"WEBVTT\n\n00:00.000 --> 00:02.000\nXin chao\n"
        )
    _fill(page, date, (), image, **fields)
    return _publish(section, page)
