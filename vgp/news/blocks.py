"""The building blocks of an article's body (StreamField).

Only self-hosted media: video and audio are files in the document library, played by the
browser's own player with captions and a transcript; there is no third-party embed block.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "superscript"]
VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv")
AUDIO_EXTENSIONS = (".mp3", ".m4a", ".ogg", ".oga", ".wav")
CAPTION_EXTENSIONS = (".vtt",)


def has_extension(document: Any, allowed: tuple[str, ...]) -> bool:
    """Whether a library document's file name ends in one of ``allowed``."""
    return PurePosixPath(document.file.name).suffix.lower() in allowed


class MediaFilesBlock(blocks.StructBlock):
    """A block whose document fields must hold files of given types (``file_types``)."""

    file_types: ClassVar[dict[str, tuple[str, ...]]] = {}

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        errors = {
            field: ValidationError(
                _("Choose a file of type %(types)s.") % {"types": ", ".join(allowed)}
            )
            for field, allowed in self.file_types.items()
            if value.get(field) is not None and not has_extension(value.get(field), allowed)
        }
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "news/blocks/heading.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=255,
        help_text=_(
            "What the image shows, for people who cannot see it. Leave empty only if it is decorative."
        ),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "news/blocks/figure.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "news/blocks/quote.html"


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(
        label=_("caption"), max_length=300, help_text=_("Says what the table shows.")
    )
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=_("text"))),
            ("number", blocks.DecimalBlock(label=_("number"))),
            (
                "rich_text",
                blocks.RichTextBlock(
                    label=_("formatted text"), features=["bold", "italic", "link"]
                ),
            ),
        ],
        label=_("table"),
    )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "news/blocks/table.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"),
        required=False,
        max_length=255,
        help_text=_("Defaults to the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Attached document")
        template = "news/blocks/attachment.html"


class VideoBlock(MediaFilesBlock):
    file_types = {"file": VIDEO_EXTENSIONS, "captions": CAPTION_EXTENSIONS}

    file = DocumentChooserBlock(
        label=_("video file"), help_text=_("MP4 or WebM, from the document library.")
    )
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    captions = DocumentChooserBlock(
        label=_("captions (WebVTT)"),
        required=False,
        help_text=_("Captions make the video usable by people who cannot hear it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)
    transcript = blocks.TextBlock(label=_("transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "news/blocks/video.html"


class AudioBlock(MediaFilesBlock):
    file_types = {"file": AUDIO_EXTENSIONS}

    file = DocumentChooserBlock(
        label=_("audio file"), help_text=_("MP3, M4A or OGG, from the document library.")
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)
    transcript = blocks.TextBlock(label=_("transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Audio")
        template = "news/blocks/audio.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FEATURES, template="news/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    image = FigureBlock()
    quote = QuoteBlock()
    table = TableBlock()
    attachment = AttachmentBlock()
    video = VideoBlock()
    audio = AudioBlock()
