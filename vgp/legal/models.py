"""The legal and directive documents database (F3): documents, their structure and relations.

A :class:`LegalDocument` is edited in Wagtail's admin as a snippet with drafts, revisions,
locking and the workflow "draft → check → published" (ADR 0011). The row holds the published
version; drafts live in revisions. Publishing rebuilds the document's :class:`Provision` rows
(parts, chapters, sections and articles, each with a stable anchor) from its text, recomputes
validity statuses and refreshes the search index (see ``actions.py``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from vgp.core.text import fold, slugify

from .numbering import TYPE_NAMES, DocumentSymbol, SymbolError, parse_symbol


class Category(models.TextChoices):
    LEGAL = "legal", _("Legal normative document")
    DIRECTIVE = "directive", _("Directive or administrative document")


class Validity(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    PARTLY_EXPIRED = "partly_expired", _("Partly expired")
    EXPIRED = "expired", _("Expired")
    NOT_YET_IN_FORCE = "not_yet_in_force", _("Not yet in force")
    UNKNOWN = "unknown", _("Validity not determined")


class RelationKind(models.TextChoices):
    AMENDS = "amends", _("Amends or supplements")
    REPLACES = "replaces", _("Replaces")
    REPEALS = "repeals", _("Repeals")
    GUIDES = "guides", _("Guides the implementation of")
    BASED_ON = "based_on", _("Is based on")


# How a relation reads from its target's side ("amended by", ...).
REVERSE_LABELS = {
    RelationKind.AMENDS: _("Amended or supplemented by"),
    RelationKind.REPLACES: _("Replaced by"),
    RelationKind.REPEALS: _("Repealed by"),
    RelationKind.GUIDES: _("Implementation guided by"),
    RelationKind.BASED_ON: _("Basis for"),
}


# Validation (LegalDocument.clean): the Constitution has no number; consolidated texts
# (VBHN) are numbered without the year; the year became part of the number of every legal
# normative document with the Law on Promulgation of 2008 (in force 1 January 2009), so older
# documents ("60-CP") are not held to it.
CONSTITUTION = "hien phap"
YEARLESS_LEGAL_CODES = frozenset({"VBHN"})
YEAR_REQUIRED_FROM = dt.date(2009, 1, 1)


class DocumentType(models.Model):
    """A kind of document ("Nghị định", abbreviation "NĐ"); Công văn has no abbreviation."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=10, blank=True)
    category = models.CharField(
        _("usual category"), max_length=12, choices=Category.choices, default=Category.LEGAL
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=100, help_text=_("Order in lists: higher legal force first.")
    )

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """A field or sector (lĩnh vực) a document belongs to."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name, max_length=120)
        super().save(*args, **kwargs)


class LegalDocumentQuerySet(models.QuerySet["LegalDocument"]):
    def published(self) -> LegalDocumentQuerySet:
        return self.filter(live=True)


class LegalDocument(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    ClusterableModel,
):
    # Number and symbol (số, ký hiệu) as written, and its parts (see numbering.py).
    number_symbol = models.CharField(
        _("number and symbol"),
        max_length=50,
        blank=True,
        help_text=_("As on the document, e.g. 83/2008/QĐ-TTg. Empty for the Constitution."),
    )
    number = models.CharField(_("number"), max_length=11, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year in the symbol"), null=True, editable=False)
    type_code = models.CharField(max_length=10, blank=True, editable=False)
    issuer_code = models.CharField(max_length=30, blank=True, editable=False)
    unit_code = models.CharField(max_length=30, blank=True, editable=False)
    symbol_key = models.CharField(max_length=60, blank=True, db_index=True, editable=False)

    doc_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.LEGAL
    )
    issuer = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing agency"),
    )
    issuer_name = models.CharField(
        _("issuer as printed"),
        max_length=200,
        blank=True,
        help_text=_("Filled from the registry; write it only for an issuer outside it."),
    )
    signer_name = models.CharField(_("signer"), max_length=50, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=100, blank=True)

    title = models.CharField(_("title (trích yếu)"), max_length=500)
    title_en = models.CharField(_("title in English"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    issued_date = models.DateField(_("date of issue"), null=True, blank=True)
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    expiry_date = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(
        _("validity"),
        max_length=20,
        choices=Validity.choices,
        default=Validity.UNKNOWN,
        db_index=True,
        editable=False,
    )
    status_checked_on = models.DateField(null=True, editable=False)
    sectors = ParentalManyToManyField(
        Sector, blank=True, related_name="+", verbose_name=_("sectors")
    )
    body = models.TextField(
        _("full text"),
        blank=True,
        help_text=_(
            "Start each unit on its own line: 'Chương I', 'Mục 1', 'Điều 1. Heading', "
            "'1. clause', 'a) point'. Each gets its own link."
        ),
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    external_id = models.CharField(
        _("identifier in the source"), max_length=100, null=True, blank=True, unique=True
    )

    # LockableMixin's field, without a reverse accessor on User (accounts must not know legal).
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked_by.wagtail_reference_index_ignore = True  # type: ignore[attr-defined]

    created_at = models.DateTimeField(auto_now_add=True)
    # Every save moves this forward; the search index catches up from it (search_index.py).
    changed_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = LegalDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_date", "-id"]
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        indexes = [
            models.Index(fields=["live", "-issued_date"], name="legal_live_issued"),
            models.Index(fields=["symbol_key", "issuer_code"], name="legal_symbol"),
        ]
        permissions = [("check_legaldocument", "Can check legal documents before publication")]

    def __str__(self) -> str:
        if self.number_symbol:
            return f"{self.number_symbol} — {self.title}"[:255]
        return self.title[:255]

    @property
    def slug(self) -> str:
        return slugify(f"{self.doc_type.name} {self.number_symbol or self.title}", 80)

    @property
    def issuer_label(self) -> str:
        if self.issuer_id and self.issuer:
            return self.issuer.name_vi
        return self.issuer_name

    @property
    def display_name(self) -> str:
        """'Nghị định 13/2023/NĐ-CP' — type and number, or the title when there is none."""
        if self.number_symbol:
            return f"{self.doc_type.name} {self.number_symbol}"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legal_document", kwargs={"pk": self.pk, "slug": self.slug})

    def get_preview_template(self, request: Any, mode_name: str) -> str:
        return "legal/document_preview.html"

    def get_preview_context(self, request: Any, mode_name: str) -> dict[str, Any]:
        from .presentation import document_context

        return {**super().get_preview_context(request, mode_name), **document_context(self)}

    # --- Validation (the admin form and the importer) ---------------------------------------

    def clean(self) -> None:
        """Check the document as entered; fill the parsed parts of its number and symbol.

        Raises ``ValidationError`` naming the fields at fault: a number and symbol that cannot
        be read, or whose type code is not the chosen type's, a legal normative document
        without the year in its number, dates out of order, no issuer, and another document
        with the same number from the same issuer.
        """
        super().clean()
        errors: dict[str, list[Any]] = {}
        symbol = self._clean_symbol(errors)
        self._clean_dates(errors)
        if not self.issuer_id and not self.issuer_name.strip():
            errors.setdefault("issuer", []).append(
                _(
                    "Choose the issuing agency, or write the issuer's name below when it is not "
                    "in the agency registry."
                )
            )
        if symbol is not None and "number_symbol" not in errors:
            self._clean_duplicate(symbol, errors)
        if errors:
            raise ValidationError(errors)

    def _known_type(self) -> DocumentType | None:
        return self.doc_type if self.doc_type_id else None

    def _clean_symbol(self, errors: dict[str, list[Any]]) -> DocumentSymbol | None:
        from .actions import apply_symbol  # actions import this module

        doc_type = self._known_type()
        is_constitution = doc_type is not None and fold(doc_type.name) == CONSTITUTION
        if not self.number_symbol.strip():
            apply_symbol(self)  # clears the parsed parts
            if doc_type is not None and not is_constitution:
                errors.setdefault("number_symbol", []).append(
                    _(
                        "Write the number and symbol as on the document, like 83/2008/QĐ-TTg; "
                        "only the Constitution has none."
                    )
                )
            return None
        try:
            symbol = parse_symbol(self.number_symbol)
        except SymbolError as error:
            errors.setdefault("number_symbol", []).append(str(error))
            return None
        apply_symbol(self)
        if doc_type is None:
            return symbol
        abbreviation = unicodedata.normalize("NFC", doc_type.abbreviation.strip())
        if symbol.type_code and abbreviation and symbol.type_code != abbreviation:
            errors.setdefault("doc_type", []).append(
                _(
                    "The number %(number)s is that of a %(symbol_type)s (%(symbol_code)s), but "
                    "the type chosen is %(type)s (%(code)s). Correct the number or the type."
                )
                % {
                    "number": symbol.canonical,
                    "symbol_type": TYPE_NAMES.get(symbol.type_code, symbol.type_code),
                    "symbol_code": symbol.type_code,
                    "type": doc_type.name,
                    "code": abbreviation,
                }
            )
        if (
            symbol.year is None
            and self.category == Category.LEGAL
            and not is_constitution
            and abbreviation not in YEARLESS_LEGAL_CODES
            and (self.issued_date is None or self.issued_date >= YEAR_REQUIRED_FROM)
        ):
            errors.setdefault("number_symbol", []).append(
                _(
                    "The number of a legal normative document includes the year of issue, "
                    "like 83/2008/QĐ-TTg or 91/2015/QH13: %(number)s has none."
                )
                % {"number": symbol.canonical}
            )
        return symbol

    def _clean_dates(self, errors: dict[str, list[Any]]) -> None:
        issued, effective, expiry = self.issued_date, self.effective_date, self.expiry_date
        if issued and effective and effective < issued:
            errors.setdefault("effective_date", []).append(
                _("A document cannot take effect (%(effective)s) before it is issued (%(issued)s).")
                % {"effective": effective.isoformat(), "issued": issued.isoformat()}
            )
        start = effective or issued
        if start and expiry and expiry <= start:
            errors.setdefault("expiry_date", []).append(
                _("The expiry date (%(expiry)s) must come after the date of effect (%(start)s).")
                % {"expiry": expiry.isoformat(), "start": start.isoformat()}
            )

    def _clean_duplicate(self, symbol: DocumentSymbol, errors: dict[str, list[Any]]) -> None:
        # The folded key is indexed; the canonical spelling keeps HĐ (Hợp đồng) and HD (Hướng
        # dẫn) apart, and the issuer keeps apart the many "01/QĐ-UBND" of different provinces.
        others = LegalDocument.objects.filter(
            symbol_key=symbol.key, number_symbol=symbol.canonical
        ).exclude(pk=self.pk)
        if self.issuer_id:
            others = others.filter(issuer_id=self.issuer_id)
        elif self.issuer_name.strip():
            others = others.filter(issuer_id__isnull=True, issuer_name__iexact=self.issuer_name)
        else:
            return
        other = others.order_by("pk").only("pk", "number_symbol", "title").first()
        if other is None:
            return
        from wagtail.admin.admin_url_finder import AdminURLFinder

        url = AdminURLFinder().get_edit_url(other)
        label = format_html('<a href="{}">{}</a>', url, other) if url else str(other)
        errors.setdefault("number_symbol", []).append(
            format_html(
                str(
                    _(
                        "Another document from the same issuer already has this number: "
                        "{document}. Open it instead of entering it twice."
                    )
                ),
                document=label,
            )
        )


class ProvisionKind(models.TextChoices):
    PREAMBLE = "preamble", _("Preamble")
    PART = "part", _("Part")
    CHAPTER = "chapter", _("Chapter")
    SECTION = "section", _("Section")
    SUBSECTION = "subsection", _("Subsection")
    ARTICLE = "article", _("Article")


class Provision(models.Model):
    """A structural unit of a published document, down to the article (Điều).

    Clauses and points are parsed from the article's text when shown (``structure.py``), with
    the same stable anchors ("dieu-32-khoan-1-diem-a"); an article is the unit of search.
    """

    document = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="provisions")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=ProvisionKind.choices)
    number = models.CharField(max_length=20, blank=True)
    heading = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    anchor = models.CharField(max_length=120)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "anchor"], name="legal_provision_anchor"),
        ]
        indexes = [models.Index(fields=["document", "kind"], name="legal_provision_kind")]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.anchor}"

    def get_absolute_url(self) -> str:
        return f"{self.document.get_absolute_url()}#{self.anchor}"


class DocumentRelation(Orderable):
    """``source`` amends/replaces/repeals/guides/is based on ``target``.

    The target may not be in the database yet: ``target_reference`` keeps its number and the
    relation is linked when a document with that number is imported or published.
    """

    source = ParentalKey(LegalDocument, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("relation"), max_length=12, choices=RelationKind.choices)
    target = models.ForeignKey(
        LegalDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incoming_relations",
        verbose_name=_("document"),
    )
    target_reference = models.CharField(
        _("number of a document not in the database"), max_length=60, blank=True
    )
    partial = models.BooleanField(
        _("only some provisions"),
        default=False,
        help_text=_("For a repeal: only some provisions of the target lose effect."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        indexes = [models.Index(fields=["target_reference"], name="legal_relation_reference")]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id or self.target_reference}"

    def clean(self) -> None:
        """A relation names its target, chosen or by number, and not its own document."""
        super().clean()
        errors: dict[str, list[Any]] = {}
        reference = self.target_reference.strip()
        if self.target_id is None and not reference:
            errors.setdefault("target", []).append(
                _(
                    "Choose the related document, or write its number below when it is not in "
                    "the database."
                )
            )
        source = self._source_or_none()
        if self.target_id is not None and source is not None and self.target_id == source.pk:
            errors.setdefault("target", []).append(_("A document cannot be related to itself."))
        if reference:
            try:
                symbol = parse_symbol(reference)
            except SymbolError as error:
                errors.setdefault("target_reference", []).append(str(error))
            else:
                self.target_reference = symbol.canonical
                if source is not None and source.symbol_key and source.symbol_key == symbol.key:
                    errors.setdefault("target_reference", []).append(
                        _("%(number)s is this document's own number.")
                        % {"number": symbol.canonical}
                    )
        if errors:
            raise ValidationError(errors)

    def _source_or_none(self) -> LegalDocument | None:
        try:
            return self.source
        except LegalDocument.DoesNotExist:
            return None


class Attachment(Orderable):
    """A file of the document: the signed original (PDF) and any annexes."""

    document = ParentalKey(LegalDocument, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("file")
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    is_original = models.BooleanField(_("original document"), default=False)

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title or str(self.file)


class ImportRun(models.Model):
    """One ``import_legal`` run: what it read, what it did and what it set aside."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    files = models.JSONField(default=list)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    articles = models.PositiveIntegerField(default=0)
    # [{"file": ..., "record": ..., "reason": ...}], at most 1,000 kept here; the full list is
    # written to the report file.
    problems = models.JSONField(default=list)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"import {self.started_at:%Y-%m-%d %H:%M}"
