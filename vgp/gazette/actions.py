"""The only code that changes gazette issues and submissions.

Each action checks the actor's permission (``actor=None`` is the system: a command or the demo
loader), runs in one transaction, locks the issue it changes (``select_for_update``), and writes
its audit record in that transaction. The admin screens, the API and the commands call these
functions; none of them saves a gazette model.

The lifecycle of an issue (ADR 0011)::

    draft ──submit_for_review──▶ in_review ──publish_issue──▶ published (never changes again)
      ▲                              │
      └──────return_to_draft─────────┘   (with a reason)

Only a draft is edited (documents added, removed, reordered; number and date changed). The
editor who submitted an issue cannot publish it: a second gazette editor checks it (four eyes).
Publishing renders the PDF (``pdf.py``), seals it with the publisher's seal when the signing
setting says so (``vgp.signatures.publishing``; unsigned rather than late when it cannot),
stores it under ``gazette/<year>/``, notes each document's pages and keeps the text as printed
on each entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vgp.accounts import permissions
from vgp.agencies.models import Agency
from vgp.audit.trail import record
from vgp.legal.models import LegalDocument
from vgp.signatures import publishing
from vgp.signatures.models import PublicationKind

from . import deadlines, printing, search_index
from .models import GazetteEntry, GazetteIssue, GazetteSubmission, IssueStatus
from .pdf import FontsMissing

logger = logging.getLogger(__name__)

PERM_ADD = "gazette.add_gazetteissue"
PERM_CHANGE = "gazette.change_gazetteissue"
PERM_DELETE = "gazette.delete_gazetteissue"
PERM_PUBLISH = "gazette.publish_gazetteissue"
PERM_RECEIVE = "gazette.add_gazettesubmission"
PERM_CHANGE_SUBMISSION = "gazette.change_gazettesubmission"


def _require(actor: Any, perm: str) -> None:
    if actor is None:  # the system itself (commands, the demo loader)
        return
    permissions.require(actor, perm)


def _summary(message: str, **params: Any) -> str:
    """Audit summaries are data: written in the installation's language, not the request's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % params


def _short_date(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _lock(issue: GazetteIssue) -> GazetteIssue:
    return GazetteIssue.objects.select_for_update().get(pk=issue.pk)


def _refuse_unless_draft(issue: GazetteIssue) -> None:
    if issue.status == IssueStatus.PUBLISHED:
        raise ValidationError(_("A published issue cannot be changed."))
    if issue.status == IssueStatus.IN_REVIEW:
        raise ValidationError(
            _("This issue is waiting for review: return it to draft before changing it.")
        )


def _check_documents(documents: Sequence[LegalDocument]) -> None:
    """Only published documents, each once."""
    seen: set[int] = set()
    for document in documents:
        if document.pk in seen:
            raise ValidationError(
                _("%(document)s is in the issue twice: a document appears once per issue.")
                % {"document": document.display_name}
            )
        seen.add(document.pk)
    for document in documents:
        if not document.live:
            raise ValidationError(
                _(
                    "%(document)s is not published in the legal database: only published "
                    "documents can go into the gazette."
                )
                % {"document": document.display_name}
            )


def _check_issue_fields(year: int, number: int, issue_date: dt.date, exclude: int | None) -> None:
    errors: dict[str, str] = {}
    if number < 1:
        errors["number"] = _("The issue number must be 1 or more.")
    if issue_date.year != year:
        errors["issue_date"] = _("The issue date must fall in the issue's year (%(year)s).") % {
            "year": year
        }
    taken = GazetteIssue.objects.filter(year=year, number=number).exclude(pk=exclude).exists()
    if taken:
        errors["number"] = _("Issue %(number)s/%(year)s already exists.") % {
            "number": number,
            "year": year,
        }
    if errors:
        raise ValidationError(errors)


def _save_issue(issue: GazetteIssue, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            issue.save(**kwargs)
    except IntegrityError as exc:
        # Checked above, but another editor may have taken the number since.
        raise ValidationError(
            {
                "number": _("Issue %(number)s/%(year)s already exists.")
                % {"number": issue.number, "year": issue.year}
            }
        ) from exc


def _entries(issue: GazetteIssue) -> list[GazetteEntry]:
    return list(
        GazetteEntry.objects.filter(issue=issue)
        .select_related("document", "document__doc_type", "document__issuer")
        .order_by("sort_order", "pk")
    )


def _write_documents(issue: GazetteIssue, documents: Sequence[LegalDocument]) -> list[int]:
    """Make the issue's entries ``documents``, in that order; return the document ids before."""
    _check_documents(documents)
    current = {entry.document_id: entry for entry in _entries(issue)}
    before = [entry.document_id for entry in current.values()]
    wanted = [document.pk for document in documents]
    GazetteEntry.objects.filter(issue=issue).exclude(document_id__in=wanted).delete()
    to_update, to_create = [], []
    for order, document in enumerate(documents):
        entry = current.get(document.pk)
        if entry is None:
            to_create.append(GazetteEntry(issue=issue, document=document, sort_order=order))
        elif entry.sort_order != order:
            entry.sort_order = order
            to_update.append(entry)
    GazetteEntry.objects.bulk_update(to_update, ["sort_order"])
    GazetteEntry.objects.bulk_create(to_create)
    return before


# --- Assembling an issue --------------------------------------------------------------------


def create_issue(
    actor: Any,
    *,
    year: int,
    number: int,
    issue_date: dt.date,
    documents: Sequence[LegalDocument] = (),
) -> GazetteIssue:
    """A new draft issue, with ``documents`` in that order (each published, each once)."""
    _require(actor, PERM_ADD)
    with transaction.atomic():
        _check_issue_fields(year, number, issue_date, exclude=None)
        issue = GazetteIssue(
            year=year,
            number=number,
            issue_date=issue_date,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        _save_issue(issue, force_insert=True)
        _write_documents(issue, documents)
        record(
            action="gazette.issue_created",
            actor=actor,
            obj=issue,
            summary=_summary(
                gettext_noop("Gazette issue %(number)s/%(year)s created as a draft."),
                number=number,
                year=year,
            ),
            changes={
                "year": [None, year],
                "number": [None, number],
                "issue_date": [None, issue_date],
                "documents": [[], [d.pk for d in documents]],
            },
        )
    return issue


def update_issue(
    actor: Any,
    issue: GazetteIssue,
    *,
    year: int | None = None,
    number: int | None = None,
    issue_date: dt.date | None = None,
    documents: Sequence[LegalDocument] | None = None,
) -> GazetteIssue:
    """Change a draft: its number, year and date, and (when given) its documents and order."""
    _require(actor, PERM_CHANGE)
    with transaction.atomic():
        locked = _lock(issue)
        _refuse_unless_draft(locked)
        new_year = year if year is not None else locked.year
        new_number = number if number is not None else locked.number
        new_date = issue_date if issue_date is not None else locked.issue_date
        changes: dict[str, list[Any]] = {
            name: [getattr(locked, name), value]
            for name, value in (
                ("year", new_year),
                ("number", new_number),
                ("issue_date", new_date),
            )
            if getattr(locked, name) != value
        }
        if changes:
            _check_issue_fields(new_year, new_number, new_date, exclude=locked.pk)
            locked.year, locked.number, locked.issue_date = new_year, new_number, new_date
            _save_issue(locked, update_fields=[*changes, "updated_at"])
        if documents is not None:
            before = _write_documents(locked, documents)
            after = [d.pk for d in documents]
            if before != after:
                changes["documents"] = [before, after]
        if changes:
            record(
                action="gazette.issue_updated",
                actor=actor,
                obj=locked,
                summary=_summary(
                    gettext_noop("Draft of gazette issue %(number)s/%(year)s changed."),
                    number=locked.number,
                    year=locked.year,
                ),
                changes=changes,
            )
    return locked


def add_document(actor: Any, issue: GazetteIssue, document: LegalDocument) -> GazetteEntry:
    """Put ``document`` at the end of a draft issue."""
    _require(actor, PERM_CHANGE)
    with transaction.atomic():
        locked = _lock(issue)
        _refuse_unless_draft(locked)
        documents = [entry.document for entry in _entries(locked)]
        _write_documents(locked, [*documents, document])
        record(
            action="gazette.document_added",
            actor=actor,
            obj=locked,
            summary=_summary(
                gettext_noop("%(document)s added to gazette issue %(number)s/%(year)s."),
                document=document.display_name,
                number=locked.number,
                year=locked.year,
            ),
            changes={"document": document.pk, "position": len(documents) + 1},
        )
    return GazetteEntry.objects.get(issue=locked, document=document)


def remove_document(actor: Any, issue: GazetteIssue, document: LegalDocument) -> None:
    """Take ``document`` out of a draft issue; the others close up."""
    _require(actor, PERM_CHANGE)
    with transaction.atomic():
        locked = _lock(issue)
        _refuse_unless_draft(locked)
        documents = [entry.document for entry in _entries(locked)]
        if document.pk not in {d.pk for d in documents}:
            raise ValidationError(
                _("%(document)s is not in this issue.") % {"document": document.display_name}
            )
        _write_documents(locked, [d for d in documents if d.pk != document.pk])
        record(
            action="gazette.document_removed",
            actor=actor,
            obj=locked,
            summary=_summary(
                gettext_noop("%(document)s removed from gazette issue %(number)s/%(year)s."),
                document=document.display_name,
                number=locked.number,
                year=locked.year,
            ),
            changes={"document": document.pk},
        )


def reorder(actor: Any, issue: GazetteIssue, document_ids: Sequence[int]) -> None:
    """Put the documents of a draft issue in the order of ``document_ids`` (all of them)."""
    _require(actor, PERM_CHANGE)
    with transaction.atomic():
        locked = _lock(issue)
        _refuse_unless_draft(locked)
        by_id = {entry.document_id: entry.document for entry in _entries(locked)}
        if sorted(document_ids) != sorted(by_id) or len(set(document_ids)) != len(document_ids):
            raise ValidationError(_("Give every document of the issue once, in the new order."))
        before = _write_documents(locked, [by_id[pk] for pk in document_ids])
        if before == list(document_ids):
            return
        record(
            action="gazette.issue_reordered",
            actor=actor,
            obj=locked,
            summary=_summary(
                gettext_noop("Documents of gazette issue %(number)s/%(year)s reordered."),
                number=locked.number,
                year=locked.year,
            ),
            changes={"documents": [before, list(document_ids)]},
        )


def delete_issue(actor: Any, issue: GazetteIssue) -> None:
    """Delete a draft issue (never one in review or published); its number becomes free."""
    _require(actor, PERM_DELETE)
    with transaction.atomic():
        locked = _lock(issue)
        _refuse_unless_draft(locked)
        documents = [entry.document_id for entry in _entries(locked)]
        record(
            action="gazette.issue_deleted",
            actor=actor,
            obj=locked,
            summary=_summary(
                gettext_noop("Draft gazette issue %(number)s/%(year)s deleted."),
                number=locked.number,
                year=locked.year,
            ),
            changes={"documents": documents},
        )
        locked.delete()


# --- Review and publication -----------------------------------------------------------------


def _check_ready(issue: GazetteIssue) -> list[GazetteEntry]:
    entries = _entries(issue)
    if not entries:
        raise ValidationError(
            _("This issue has no documents: add at least one document before it can go further.")
        )
    _check_documents([entry.document for entry in entries])
    return entries


def submit_for_review(actor: Any, issue: GazetteIssue, *, now: dt.datetime | None = None) -> None:
    """Hand a draft to a second gazette editor, who checks and publishes it."""
    _require(actor, PERM_CHANGE)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(issue)
        _refuse_unless_draft(locked)
        _check_ready(locked)
        locked.status = IssueStatus.IN_REVIEW
        locked.submitted_at = now
        locked.submitted_by = actor if actor is not None and actor.is_authenticated else None
        locked.return_reason = ""
        locked.save(
            update_fields=["status", "submitted_at", "submitted_by", "return_reason", "updated_at"]
        )
        record(
            action="gazette.issue_submitted",
            actor=actor,
            obj=locked,
            summary=_summary(
                gettext_noop("Gazette issue %(number)s/%(year)s submitted for review."),
                number=locked.number,
                year=locked.year,
            ),
            changes={"status": [IssueStatus.DRAFT, IssueStatus.IN_REVIEW]},
        )
    issue.refresh_from_db()


def return_to_draft(actor: Any, issue: GazetteIssue, reason: str) -> None:
    """Send an issue in review back to draft, saying what to change."""
    _require(actor, PERM_CHANGE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the issue goes back to draft.")})
    with transaction.atomic():
        locked = _lock(issue)
        if locked.status != IssueStatus.IN_REVIEW:
            raise ValidationError(_("Only an issue waiting for review can be returned to draft."))
        locked.status = IssueStatus.DRAFT
        locked.reviewer = actor if actor is not None and actor.is_authenticated else None
        locked.return_reason = reason
        locked.submitted_at = None
        locked.submitted_by = None
        locked.save(
            update_fields=[
                "status",
                "reviewer",
                "return_reason",
                "submitted_at",
                "submitted_by",
                "updated_at",
            ]
        )
        record(
            action="gazette.issue_returned",
            actor=actor,
            obj=locked,
            summary=_summary(
                gettext_noop("Gazette issue %(number)s/%(year)s returned to draft."),
                number=locked.number,
                year=locked.year,
            ),
            changes={"status": [IssueStatus.IN_REVIEW, IssueStatus.DRAFT], "reason": reason},
        )
    issue.refresh_from_db()


def _seal(issue: GazetteIssue, pdf: bytes) -> tuple[bytes, bool, str | None]:
    """The issue's PDF sealed by the gazette's publisher per the signing setting: (bytes,
    signed, the publisher's code). Never refuses: an issue is published on its date, unsigned
    if need be (``sign_publication`` logs why; the audit record says ``signed: false``)."""
    agency = printing.publisher_agency()
    if agency is None:
        logger.error(
            "Gazette issue %s/%s published unsigned: no agency has the publisher's code "
            "(GAZETTE_PUBLISHER_CODE or VGP_HOME_AGENCY_CODE).",
            issue.number,
            issue.year,
        )
        return pdf, False, None
    sealed, signed = publishing.sign_publication(
        PublicationKind.GAZETTE_ISSUE,
        pdf,
        agency=agency,
        purpose=_summary(
            gettext_noop("Official Gazette No. %(number)s/%(year)s"),
            number=issue.number,
            year=issue.year,
        ),
    )
    return sealed, signed, agency.code if signed else None


def publish_issue(actor: Any, issue: GazetteIssue, *, now: dt.datetime | None = None) -> None:
    """Publish an issue in review: render, seal and store its PDF, fix page numbers and text.

    Refused when the actor submitted the issue (four eyes), when the issue has no documents,
    when a document is no longer published, and when the issue date is still to come.
    """
    _require(actor, PERM_PUBLISH)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(issue)
        if locked.status == IssueStatus.PUBLISHED:
            raise ValidationError(_("This issue is already published."))
        if locked.status != IssueStatus.IN_REVIEW:
            raise ValidationError(
                _("Only an issue submitted for review can be published: submit it first.")
            )
        if actor is not None and locked.submitted_by_id == actor.pk:
            raise ValidationError(
                _(
                    "You submitted this issue for review, so you cannot publish it: another "
                    "gazette editor must check and publish it."
                )
            )
        entries = _check_ready(locked)
        if locked.issue_date > timezone.localdate(now):
            raise ValidationError(
                _("The issue is dated %(date)s: publish it on that day, or change its date.")
                % {"date": _short_date(locked.issue_date)}
            )
        documents = printing.printed_documents([entry.document for entry in entries])
        try:
            rendered = printing.render_pdf(locked, documents)
        except FontsMissing as exc:
            raise ValidationError(
                _(
                    "The PDF cannot be made: the gazette's fonts are missing on the server. "
                    "Ask the IT centre to install them (make assets)."
                )
            ) from exc
        if len(rendered.start_pages) != len(entries):
            raise RuntimeError("The PDF renderer returned a page map of the wrong length.")
        pdf, signed, signer = _seal(locked, rendered.pdf)

        locked.pdf.save(f"cong-bao-{locked.year}-{locked.number}.pdf", ContentFile(pdf), save=False)
        stored = locked.pdf.name or ""
        try:
            for entry, document, start, end in zip(
                entries, documents, rendered.start_pages, rendered.end_pages, strict=True
            ):
                entry.start_page = start
                entry.end_page = end
                entry.printed = document.to_json()
            GazetteEntry.objects.bulk_update(entries, ["start_page", "end_page", "printed"])
            publisher = actor if actor is not None and actor.is_authenticated else None
            locked.status = IssueStatus.PUBLISHED
            locked.page_count = rendered.page_count
            locked.pdf_size = len(pdf)
            locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            locked.published_at = now
            locked.published_by = publisher
            locked.reviewer = publisher
            locked.save(
                update_fields=[
                    "status",
                    "pdf",
                    "pdf_size",
                    "pdf_sha256",
                    "page_count",
                    "published_at",
                    "published_by",
                    "reviewer",
                    "updated_at",
                ]
            )
            record(
                action="gazette.issue_published",
                actor=actor,
                obj=locked,
                summary=_summary(
                    gettext_noop(
                        "Gazette issue %(number)s/%(year)s published: %(documents)s documents, "
                        "%(pages)s pages."
                    ),
                    number=locked.number,
                    year=locked.year,
                    documents=len(entries),
                    pages=rendered.page_count,
                ),
                changes={
                    "status": [IssueStatus.IN_REVIEW, IssueStatus.PUBLISHED],
                    "pdf": stored,
                    "pdf_sha256": locked.pdf_sha256,
                    "signed": signed,
                    "signed_by": signer,
                    "pages": rendered.page_count,
                    "documents": [
                        [entry.document_id, entry.start_page, entry.end_page] for entry in entries
                    ],
                },
            )
        except BaseException:
            # The row keeps no trace of the file: do not leave it behind either.
            locked.pdf.storage.delete(stored)
            raise
        search_index.schedule_issue(locked.pk)
    issue.refresh_from_db()


# --- Documents received for the gazette -----------------------------------------------------


def receive_for_gazette(
    actor: Any,
    *,
    document: LegalDocument,
    received_on: dt.date,
    sending_agency: Agency | None = None,
    note: str = "",
) -> GazetteSubmission:
    """Register a document received for publication; its deadline starts running."""
    _require(actor, PERM_RECEIVE)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    with transaction.atomic():
        existing = GazetteSubmission.objects.filter(document=document).first()
        if existing is not None:
            raise ValidationError(
                {
                    "document": _("%(document)s was already received on %(date)s.")
                    % {
                        "document": document.display_name,
                        "date": _short_date(existing.received_on),
                    }
                }
            )
        submission = GazetteSubmission(
            document=document,
            received_on=received_on,
            due_on=deadlines.due_date(received_on),
            sending_agency=sending_agency,
            note=note.strip(),
            received_by=actor if actor is not None and actor.is_authenticated else None,
        )
        try:
            with transaction.atomic():
                submission.save(force_insert=True)
        except IntegrityError as exc:
            raise ValidationError(
                {"document": _("This document has already been received for the gazette.")}
            ) from exc
        record(
            action="gazette.document_received",
            actor=actor,
            obj=submission,
            summary=_summary(
                gettext_noop("%(document)s received for the gazette; to be published by %(due)s."),
                document=document.display_name,
                due=submission.due_on.strftime("%d/%m/%Y"),
            ),
            changes={
                "document": document.pk,
                "received_on": received_on,
                "due_on": submission.due_on,
                "sending_agency": sending_agency.pk if sending_agency else None,
            },
        )
    return submission


def update_submission(
    actor: Any,
    submission: GazetteSubmission,
    *,
    received_on: dt.date,
    sending_agency: Agency | None,
    note: str,
) -> GazetteSubmission:
    """Correct a submission's receipt date, sending agency or note (the deadline follows)."""
    _require(actor, PERM_CHANGE_SUBMISSION)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    with transaction.atomic():
        locked = GazetteSubmission.objects.select_for_update().get(pk=submission.pk)
        new = {
            "received_on": received_on,
            "due_on": deadlines.due_date(received_on)
            if received_on != locked.received_on
            else locked.due_on,
            "sending_agency_id": sending_agency.pk if sending_agency else None,
            "note": note.strip(),
        }
        changes = {
            name: [getattr(locked, name), value]
            for name, value in new.items()
            if getattr(locked, name) != value
        }
        if not changes:
            return locked
        for name, value in new.items():
            setattr(locked, name, value)
        locked.save(update_fields=[name.removesuffix("_id") for name in changes])
        record(
            action="gazette.submission_updated",
            actor=actor,
            obj=locked,
            summary=_summary(
                gettext_noop("Receipt of %(document)s for the gazette corrected."),
                document=locked.document.display_name,
            ),
            changes=changes,
        )
    return locked
