"""E-mails to officials about official documents they now hold (issue 6: "urgent documents go to
the top of every queue and notify at once").

**When.** An action that hands a document on calls :func:`schedule` after its transaction
commits. Only an *urgent* document (``urgency`` ≥ ``Urgency.URGENT``: khẩn, thượng khẩn, hỏa
tốc) is e-mailed at once, whatever the step — including a presentation to a leader and an
assignment to a handler. A normal document is not: it waits in its holder's queue (the admin's
lists sort by urgency, then by deadline) and the deadline reminders and escalations of
:mod:`.reminders` chase it. One e-mail per hand-over of every normal document would bury the
urgent ones, which Decree 30 wants handled the same day.

**Who.** The new holders of the step (:func:`recipients`): the person the document was handed
to when the event names one (the leader it was presented to, the handler assigned, the drafter a
draft went back to); otherwise the officials of the unit now holding it whose role fits the step
— the clerks of the register for an arrival, a registration or an approved draft to issue, the
unit heads of the lead and supporting units for a direction, the leaders for a report or a
returned lead task, the reviewers of the steps now pending in a review round. Never the official
who acted, nobody without an e-mail address, nobody who may not see the document
(:func:`~vgp.documents.queries.can_view`).

**What.** A short e-mail in the installation's language (``LANGUAGE_CODE``, Vietnamese) with
the step, the urgency, the deadline and a link to the document's page in the admin. A classified
document's e-mail says only "a classified document, no. …": no summary, issuer, note or
instructions, which might reveal its content.

**How.** :func:`schedule` enqueues the task ``tasks.notify_document_event(event_id)``, which
calls :func:`notify`. ``notify`` claims the event in the database — a conditional UPDATE that
writes ``Event.data["notified"]`` only where it is not there yet — then sends the e-mail, in one
transaction: a second run (a retry, a second worker) finds the marker and sends nothing; a
concurrent one waits on the claimed row and then finds it. An e-mail that cannot be sent raises:
the claim rolls back and the task run fails, listed under Settings → Background tasks, where a
retry sends it. The price: a commit that fails after the mail server accepted the message
leaves the event unclaimed, and a retry sends it again (the same trade-off as the feedback
reminders). No cache is involved, so the guard holds across processes and restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vgp.accounts.models import User
from vgp.accounts.roles import Role, group_name
from vgp.agencies.models import Agency

from . import queries
from .models import Document, Event, EventKind, ReviewStatus, ReviewStep, Status, Urgency

logger = logging.getLogger(__name__)

# Events that hand the document to someone who must act on it next.
HAND_OVER_KINDS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.REGISTERED,
        EventKind.PRESENTED,
        EventKind.DIRECTED,
        EventKind.ASSIGNED,
        EventKind.SUBTASK,
        EventKind.RETURNED,
        EventKind.REPORTED,
        EventKind.SUBMITTED,
        EventKind.REVIEW_APPROVED,
        EventKind.REVIEW_RETURNED,
        EventKind.ISSUED,
        EventKind.DELIVERED,
    }
)

# The marker a sent (or pointless) notification leaves in ``Event.data``.
MARKER = "notified"

# What the new holder is asked to do, by event kind (rendered in LANGUAGE_CODE).
_STEPS: dict[str, str] = {
    EventKind.RECEIVED: gettext_noop("A document arrived in your register: register it"),
    EventKind.REGISTERED: gettext_noop("A document was registered: present it to a leader"),
    EventKind.PRESENTED: gettext_noop("A document was presented to you: give your direction"),
    EventKind.DIRECTED: gettext_noop("Your unit is to handle a document: assign a handler"),
    EventKind.ASSIGNED: gettext_noop("You were assigned to handle a document"),
    EventKind.SUBTASK: gettext_noop("You were given a sub-task of a document"),
    EventKind.RETURNED: gettext_noop("A unit returned its lead task: give a new direction"),
    EventKind.REPORTED: gettext_noop("The handling of a document was reported: close it"),
    EventKind.SUBMITTED: gettext_noop("A draft awaits your review"),
    EventKind.REVIEW_APPROVED: gettext_noop("A draft awaits your review"),
    EventKind.REVIEW_RETURNED: gettext_noop("Your draft was returned for changes"),
    EventKind.ISSUED: gettext_noop("A document was issued: dispatch it"),
    EventKind.DELIVERED: gettext_noop("A document was delivered to your register: register it"),
}
_APPROVED_STEP = gettext_noop("A draft was approved: issue it")


def is_urgent(document: Document) -> bool:
    return document.urgency >= Urgency.URGENT


def wants_notice(event: Event) -> bool:
    """Does this event e-mail its new holders at once? (An urgent document's hand-over.)"""
    return event.kind in HAND_OVER_KINDS and is_urgent(event.document)


def schedule(event: Event) -> None:
    """After commit: tell the new holder(s) of the document at once when it is urgent.

    Called by the actions from ``transaction.on_commit``; enqueues
    ``tasks.notify_document_event``. A queue out of reach is logged, not raised: the action
    is done, and the deadline reminders still chase the document."""
    if not wants_notice(event):
        return
    event_id = event.pk

    def enqueue() -> None:
        from .tasks import notify_document_event

        try:
            notify_document_event.enqueue(event_id)
        except Exception:
            logger.exception("documents: could not enqueue the notice of event %s", event_id)

    # Outside a transaction (the usual case: after commit) this runs at once.
    transaction.on_commit(enqueue)


# --- Who ------------------------------------------------------------------------------------


def ancestors(agency_id: int | None) -> list[int]:
    """``agency_id`` and the agencies above it, nearest first."""
    ids: list[int] = []
    current = agency_id
    while current is not None and current not in ids:
        ids.append(current)
        current = Agency.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return ids


def officials(role: str, unit_id: int | None) -> list[User]:
    """Active officials holding ``role`` who answer for ``unit_id``: those placed in it (or, for
    an agency, in the agency itself and no unit), else those of the nearest unit above it that
    has any — a department's head answers for its divisions, the Office's clerks for a unit
    without its own."""
    holders = User.objects.filter(is_active=True, groups__name=group_name(role)).distinct()
    for agency_id in ancestors(unit_id):
        found = list(
            holders.filter(Q(unit_id=agency_id) | Q(unit__isnull=True, agency_id=agency_id))
            .order_by("last_name", "first_name", "username")
            .select_related("agency")
        )
        if found:
            return found
    return []


def _users(ids: Iterable[int | None]) -> list[User]:
    wanted = [pk for pk in ids if pk]
    if not wanted:
        return []
    by_id = User.objects.in_bulk(wanted)
    return [by_id[pk] for pk in dict.fromkeys(wanted) if pk in by_id]


def step_reviewers(step: ReviewStep, document: Document) -> list[User]:
    """Who may decide a review step: its named reviewer, or the holders of its role."""
    if step.reviewer_id is not None:
        return _users([step.reviewer_id])
    return officials(step.role or Role.UNIT_HEAD, step.unit_id or document.agency_id)


def _pending_reviewers(document: Document, *, after_order: int = 0) -> list[User]:
    steps = ReviewStep.objects.filter(
        document=document,
        round=document.review_round,
        status=ReviewStatus.PENDING,
        order__gt=after_order,
    )
    people: list[User] = []
    for step in steps:
        people += step_reviewers(step, document)
    return people


def _holder_or(event: Event, role: str) -> list[User]:
    if event.holder_id is not None:
        return _users([event.holder_id])
    return officials(role, event.holder_unit_id or event.document.agency_id)


def _candidates(event: Event) -> list[User]:
    document = event.document
    data = event.data or {}
    kind = event.kind
    if kind in (EventKind.ASSIGNED, EventKind.SUBTASK):
        return _users([data.get("handler")])
    if kind == EventKind.DIRECTED:
        people: list[User] = []
        for unit_id in [
            data.get("lead_unit") or event.holder_unit_id,
            *data.get("supporting_units", []),
        ]:
            if unit_id:
                people += officials(Role.UNIT_HEAD, unit_id)
        return people
    if kind in (EventKind.RECEIVED, EventKind.REGISTERED, EventKind.ISSUED):
        return _holder_or(event, Role.CLERK)
    if kind in (EventKind.PRESENTED, EventKind.REPORTED):
        return _holder_or(event, Role.LEADER)
    if kind == EventKind.RETURNED:
        # Only a returned lead task hands the document back (to the leader who directed it).
        return _holder_or(event, Role.LEADER) if data.get("role") == "lead" else []
    if kind == EventKind.REVIEW_RETURNED:
        return _holder_or(event, Role.UNIT_HEAD)
    if kind == EventKind.SUBMITTED:
        if document.status != Status.IN_REVIEW or data.get("round") != document.review_round:
            return []  # the round moved on before the task ran: nobody new holds it
        return _pending_reviewers(document)
    if kind == EventKind.REVIEW_APPROVED:
        if document.status == Status.APPROVED:
            return officials(Role.CLERK, document.agency_id)
        step_id = data.get("step")
        step = (
            ReviewStep.objects.filter(pk=int(step_id), document=document).first()
            if step_id
            else None
        )
        if document.status != Status.IN_REVIEW or step is None:
            return []
        if (
            step.round != document.review_round
            or ReviewStep.objects.filter(
                document=document, round=step.round, order=step.order, status=ReviewStatus.PENDING
            ).exists()
        ):
            return []  # parallel reviewers of the same step are still deciding
        return _pending_reviewers(document, after_order=step.order)
    if kind == EventKind.DELIVERED:
        # A copy made in this installation is announced by its own RECEIVED event.
        if data.get("copy") or not data.get("recipient"):
            return []
        return officials(Role.CLERK, data["recipient"])
    return []


def recipients(event: Event) -> list[User]:
    """The new holders to e-mail about ``event`` (see the module docstring)."""
    document = event.document
    actor_id = event.actor_id
    chosen: dict[int, User] = {}
    for user in _candidates(event):
        if user.pk == actor_id or user.pk in chosen or not user.is_active or not user.email:
            continue
        if not queries.can_view(user, document):
            continue
        chosen[user.pk] = user
    return list(chosen.values())


# --- What -----------------------------------------------------------------------------------


# The document page's URL name, as planned and as the admin's viewset names it.
DOCUMENT_URL_NAMES = ("documents_document:item", "documents:document")


def document_url(document: Document | int) -> str:
    """The document's page in the admin, absolute (its planned address while no URL of
    :data:`DOCUMENT_URL_NAMES` is installed)."""
    pk = document if isinstance(document, int) else document.pk
    path = f"/quan-tri/van-ban/{pk}/"
    with translation.override(settings.LANGUAGE_CODE):
        for name in DOCUMENT_URL_NAMES:
            try:
                path = reverse(name, args=[pk])
            except NoReverseMatch:
                continue
            break
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def describe(document: Document, *, short: bool = False) -> str:
    """How an e-mail names the document: never a classified one's summary."""
    if document.is_classified:
        return _("a classified document, no. %(number)s") % {"number": document.reference}
    summary = document.summary
    if short and len(summary) > 80:
        summary = summary[:79].rstrip() + "…"
    return _("%(type)s no. %(number)s: %(summary)s") % {
        "type": document.document_type.name_vi,
        "number": document.reference,
        "summary": summary,
    }


def urgency_label(document: Document) -> str:
    return str(Urgency(document.urgency).label)


def details(document: Document) -> list[str]:
    """Lines about the document safe for an e-mail (only the reference when classified)."""
    lines = [
        _("Document: %(document)s.") % {"document": describe(document)},
        _("Urgency: %(urgency)s.") % {"urgency": urgency_label(document)},
    ]
    if not document.is_classified:
        if document.number_symbol and document.is_incoming:
            lines.append(_("Number and symbol: %(symbol)s.") % {"symbol": document.number_symbol})
        if document.issuer_name and document.is_incoming:
            lines.append(_("Issued by: %(issuer)s.") % {"issuer": document.issuer_name})
    return lines


def person(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def step_text(event: Event) -> str:
    if event.kind == EventKind.REVIEW_APPROVED and event.document.status == Status.APPROVED:
        return _(_APPROVED_STEP)
    return _(_STEPS.get(event.kind, gettext_noop("A document was handed to you")))


def message(event: Event) -> tuple[str, str]:
    """Subject and body of the notice of ``event`` (call under the installation's language)."""
    document = event.document
    step = step_text(event)
    subject = _("[%(urgency)s] %(step)s: %(document)s") % {
        "urgency": urgency_label(document),
        "step": step,
        "document": describe(document, short=True),
    }
    lines = [step + ".", "", *details(document)]
    if event.due_on:
        lines.append(
            _("Deadline: %(date)s.") % {"date": date_format(event.due_on, "SHORT_DATE_FORMAT")}
        )
    if event.actor_id is not None and event.actor is not None:
        lines.append(_("From: %(name)s.") % {"name": person(event.actor)})
    if event.message and not document.is_classified:
        lines += ["", _("Note:"), event.message]
    lines += ["", _("Open it in the back office: %(url)s") % {"url": document_url(document)}]
    return subject, "\n".join(lines)


def deliver(subject: str, body: str, to: list[str]) -> None:
    """Send one e-mail to ``to`` (raises when the mail server refuses it)."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)


# --- The task's work ------------------------------------------------------------------------


def notify(event_id: int) -> list[int]:
    """E-mail the new holders about event ``event_id`` once; returns their ids ([] when there
    was nothing to send, or it was sent before)."""
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(of=("self",))
            .select_related("document", "document__agency", "document__document_type", "actor")
            .filter(pk=event_id)
            .first()
        )
        if event is None or MARKER in (event.data or {}) or not wants_notice(event):
            return []
        people = recipients(event)
        data = {
            **(event.data or {}),
            MARKER: {"at": timezone.now().isoformat(), "to": [user.pk for user in people]},
        }
        # The claim: a second run (or worker) updates nothing and sends nothing.
        claimed = Event.objects.filter(pk=event.pk).exclude(data__has_key=MARKER).update(data=data)
        if not claimed:
            return []
        if people:
            with translation.override(settings.LANGUAGE_CODE):
                subject, body = message(event)
            deliver(subject, body, [user.email for user in people])
        else:
            logger.info("documents: nobody with an e-mail address to tell of event %s", event_id)
    return [user.pk for user in people]
