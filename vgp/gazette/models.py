"""The Official Gazette (Công báo, F4): numbered issues of published legal documents.

A :class:`GazetteIssue` is assembled by gazette editors as a draft, submitted for review and
published by another editor (four eyes, ADR 0011). Publishing renders the PDF, stores it, notes
on each :class:`GazetteEntry` the pages its document occupies and keeps a copy of the text as
printed, so that the issue's HTML view and search show exactly what the PDF shows, whatever
happens to the document in the legal database afterwards. A published issue never changes.

A :class:`GazetteSubmission` is a document received for publication: Decree 34/2016 gives the
Government Office 15 days from receipt to publish it. It is resolved when the document appears
in a published issue (computed, see ``deadlines.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from vgp.legal.models import LegalDocument


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


def issue_pdf_path(issue: GazetteIssue, filename: str) -> str:
    return f"gazette/{issue.year}/cong-bao-{issue.year}-{issue.number:04d}.pdf"


class GazetteIssueQuerySet(models.QuerySet["GazetteIssue"]):
    def published(self) -> GazetteIssueQuerySet:
        return self.filter(status=IssueStatus.PUBLISHED)


class GazetteIssue(ClusterableModel):
    """One numbered issue of the gazette. Numbers run per year; the scheme is data (ADR 0011)."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(
        _("number"),
        help_text=_("Suggested as the next free number of the year; change it if needed."),
    )
    issue_date = models.DateField(_("issue date"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IssueStatus.choices,
        default=IssueStatus.DRAFT,
        editable=False,
    )

    pdf = models.FileField(_("PDF"), upload_to=issue_pdf_path, blank=True, editable=False)
    pdf_size = models.PositiveIntegerField(_("PDF size in bytes"), default=0, editable=False)
    # Printed on the issue's page so that anyone can check a copy against the original.
    pdf_sha256 = models.CharField(
        _("SHA-256 of the PDF"), max_length=64, blank=True, editable=False
    )
    page_count = models.PositiveIntegerField(_("pages"), default=0, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("submitted by"),
    )
    # Whoever last returned or published the issue.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("reviewer"),
    )
    return_reason = models.TextField(_("reason for returning"), blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("published by"),
    )

    objects = GazetteIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("gazette issue")
        verbose_name_plural = _("gazette issues")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="gazette_issue_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="gazette_number_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-year", "-number"], name="gazette_status_number"),
            models.Index(fields=["status", "-published_at"], name="gazette_status_published"),
        ]
        permissions = [("publish_gazetteissue", "Can publish gazette issues")]

    def __str__(self) -> str:
        return str(_("Official Gazette No. %(number)s/%(year)s") % self.number_kwargs())

    def number_kwargs(self) -> dict[str, Any]:
        return {"number": self.number, "year": self.year}

    @property
    def label(self) -> str:
        """ "12/2026": how the issue is cited."""
        return f"{self.number}/{self.year}"

    @property
    def is_published(self) -> bool:
        return self.status == IssueStatus.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == IssueStatus.DRAFT

    def clean(self) -> None:
        super().clean()
        if self.issue_date and self.year and self.issue_date.year != self.year:
            raise ValidationError(
                {
                    "issue_date": _("The issue date must fall in the issue's year (%(year)s).")
                    % {"year": self.year}
                }
            )

    def get_absolute_url(self) -> str:
        return reverse("gazette_issue", kwargs={"year": self.year, "number": self.number})

    def get_text_url(self) -> str:
        return reverse("gazette_issue_text", kwargs={"year": self.year, "number": self.number})

    def get_pdf_url(self) -> str:
        return reverse("gazette_issue_pdf", kwargs={"year": self.year, "number": self.number})


class GazetteEntry(Orderable):
    """A document in an issue, in the issue's order; pages and text are fixed at publication."""

    issue = ParentalKey(GazetteIssue, on_delete=models.CASCADE, related_name="entries")
    # PROTECT: a document printed in the gazette cannot leave the database under it.
    document = models.ForeignKey(
        LegalDocument,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document"),
    )
    start_page = models.PositiveIntegerField(_("first page"), null=True, blank=True, editable=False)
    end_page = models.PositiveIntegerField(_("last page"), null=True, blank=True, editable=False)
    # The document as printed (see printing.snapshot_of): header fields and provisions.
    printed = models.JSONField(default=dict, blank=True, editable=False)

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "pk"]
        verbose_name = _("document in the issue")
        verbose_name_plural = _("documents in the issue")
        constraints = [
            models.UniqueConstraint(fields=["issue", "document"], name="gazette_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id}:{self.document_id}"

    @property
    def position(self) -> int:
        """1-based place in the issue (also the anchor of the document in the HTML view)."""
        return (self.sort_order or 0) + 1

    @property
    def anchor(self) -> str:
        return f"van-ban-{self.position}"

    @property
    def page_span(self) -> int:
        """How many pages the document takes (for "page" or "pages")."""
        if not self.start_page:
            return 0
        return max(1, (self.end_page or self.start_page) - self.start_page + 1)

    @property
    def pages_label(self) -> str:
        if not self.start_page:
            return ""
        if self.end_page and self.end_page != self.start_page:
            return f"{self.start_page}\N{EN DASH}{self.end_page}"
        return str(self.start_page)


class GazetteSubmission(models.Model):
    """A document received by the Government Office for publication in the gazette."""

    document = models.ForeignKey(
        LegalDocument, on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    received_on = models.DateField(_("received on"))
    # Fixed at receipt (received_on + GAZETTE_PUBLISH_WITHIN_DAYS): a later change of the
    # setting does not move deadlines already running.
    due_on = models.DateField(_("to be published by"), editable=False)
    sending_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sending agency"),
    )
    note = models.TextField(_("note"), blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("received by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("document received for the gazette")
        verbose_name_plural = _("documents received for the gazette")
        constraints = [
            models.UniqueConstraint(fields=["document"], name="gazette_submission_once"),
        ]
        indexes = [models.Index(fields=["due_on"], name="gazette_submission_due")]

    def __str__(self) -> str:
        return str(self.document)

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days
