"""The only code that changes official documents (ADR 0014).

Each action checks the actor's permission and that the actor may see the document, runs in one
transaction, locks the document it changes (``select_for_update``), writes the document's
:class:`Event` (its timeline) and an audit record in that transaction, and starts
notifications and re-indexing after commit. The admin, the API, commands and jobs call these
functions; none of them saves a documents model.

``actor`` is the official acting, or ``None`` for the system (a job, a command, an agency's
system through the API, which names the agency it acts for).

Incoming (văn bản đến)::

    received ─register_received→ registered ─present→ presented ─direct→ directed
    register_incoming ──────────↗               ↖ return_task (lead) ─┘   │ assign_handler
                                                                   in_progress ─report_done→
    reported ─close→ closed        (a leader may also close an open one; the clerk may
                                    return_to_sender a registered one)

Outgoing (văn bản đi)::

    draft ─submit_for_review→ in_review ─review (last approval)→ approved ─issue→ issued
      ↖──── review (return) ─────┘                                  dispatch → dispatched
    dispatched ─recall→ recalled (every copy frozen); a replacement ``replaces`` it
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vgp.accounts import permissions
from vgp.accounts.models import User
from vgp.accounts.roles import Role
from vgp.agencies.models import Agency, with_units
from vgp.audit.trail import record
from vgp.core.text import fold
from vgp.signatures import actions as signature_actions
from vgp.signatures import signing

from . import digital_signatures, files, numbering, queries
from .models import (
    INCOMING_OPEN,
    ISSUER_NAME_MAX,
    SUMMARY_MAX,
    Access,
    Attachment,
    AttachmentKind,
    Channel,
    Delivery,
    DeliveryStatus,
    Direction,
    Document,
    DocumentType,
    Event,
    EventKind,
    HandlingDirection,
    ReviewRule,
    ReviewStatus,
    ReviewStep,
    ReviewStepKind,
    Secrecy,
    Status,
    Task,
    TaskRole,
    TaskStatus,
    Urgency,
    Version,
)
from .queries import (
    PERM_ASSIGN,
    PERM_DIRECT,
    PERM_HANDLE,
    PERM_REGISTER,
    PERM_SIGN,
    acts_for,
    can_view,
    in_unit,
)

logger = logging.getLogger(__name__)

# The chain used where an agency configured none: unit head, office leader, signer.
DEFAULT_REVIEW_STEPS: list[list[str]] = [
    [ReviewStepKind.UNIT_HEAD],
    [ReviewStepKind.LEADER],
    [ReviewStepKind.SIGNER],
]
SIGNING_PREFIXES = ("TM.", "Q.", "KT.", "TL.", "TUQ.")

# Hooks for the signing issue and the inter-agency exchange (ADR 0014): functions called inside
# ``issue`` before the number is drawn (may raise ValidationError: "not signed yet"), and
# channels that take an external delivery once the document is dispatched.
BeforeIssue = Callable[[Any, Document], None]
_before_issue: list[BeforeIssue] = []
ExternalChannel = Callable[[Delivery], None]
_external_channel: dict[str, ExternalChannel] = {}


def register_before_issue(hook: BeforeIssue) -> None:
    if hook not in _before_issue:
        _before_issue.append(hook)


def register_external_channel(channel: str, send: ExternalChannel) -> None:
    """Give external deliveries of ``channel`` (``Channel.EXCHANGE``) a way to travel; called
    after commit with each delivery, which the channel then updates through
    :func:`record_delivery`."""
    _external_channel[channel] = send


# --- Helpers ------------------------------------------------------------------------------


def _summary(message: str, **params: Any) -> str:
    """Audit summaries and timeline notes are data: written once, in the installation's
    language, whatever the language of the person acting. ``message`` is marked with
    ``gettext_noop`` where it is written; lazy ``params`` (choice labels) are translated
    here too."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            key: str(value) if isinstance(value, Promise) else value
            for key, value in params.items()
        }
        return _(message) % values


def _lock(document: Document) -> Document:
    return Document.objects.select_for_update().select_related("agency").get(pk=document.pk)


def _require_status(document: Document, *allowed: str) -> None:
    if document.status not in allowed:
        raise ValidationError(
            _("This document is now “%(status)s”: that step is not possible.")
            % {"status": document.get_status_display()}
        )


def _require(actor: Any, perm: str, document: Document | None = None) -> None:
    """``perm`` through a role, in the organisation keeping the document, on a document the
    actor may see (a classified one only when named or by role)."""
    if actor is None:
        return
    permissions.require(actor, perm)
    if document is None:
        return
    if not can_view(actor, document):
        raise PermissionDenied(_("You may not see this document."))
    if not _involved(actor, document):
        raise PermissionDenied(_("This document belongs to another organisation's register."))


def _involved(actor: Any, document: Document) -> bool:
    if acts_for(actor, document.agency_id):
        return True
    # A unit taking part in it, or a person named on it, outside the register's tree (a
    # supporting unit of another agency does not exist inside one register, but a named
    # reader may).
    return Access.objects.filter(
        Q(user_id=actor.pk) | Q(unit_id__in=queries.unit_ids_of(actor)), document=document
    ).exists()


def _actor_agency(actor: Any, agency: Agency | None) -> Agency:
    if agency is not None:
        if actor is not None and not acts_for(actor, agency):
            raise PermissionDenied(_("You may only keep the registers of your own organisation."))
        return agency
    if actor is None or actor.agency is None:
        raise ValidationError({"agency": _("Choose the register's organisation.")})
    return actor.agency


def _event(
    document: Document,
    kind: str,
    *,
    actor: Any = None,
    message: str = "",
    data: dict[str, Any] | None = None,
    due_on: dt.date | None = None,
) -> Event:
    return Event.objects.create(
        document=document,
        kind=kind,
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        holder_unit_id=document.holder_unit_id,
        holder_id=document.holder_id,
        due_on=due_on if due_on is not None else document.due_on,
        message=message,
        data=data or {},
    )


def _audit(action: str, actor: Any, document: Document, summary: str, **changes: Any) -> None:
    # Never the content: the trail is read by auditors, who may not read a classified text.
    record(
        action=f"documents.{action}",
        actor=actor,
        obj=document,
        object_repr=str(document.reference),
        summary=summary,
        changes={key: list(value) for key, value in changes.items()},
        agency_code=document.agency.code if actor is None else None,
    )


def _grant(document: Document, *, units: Iterable[int] = (), users: Iterable[int] = ()) -> None:
    """Let these units and people see the document (ids; falsy ones are skipped)."""
    rows = [Access(document=document, unit_id=unit_id) for unit_id in units if unit_id]
    rows += [Access(document=document, user_id=user_id) for user_id in users if user_id]
    if rows:
        Access.objects.bulk_create(rows, ignore_conflicts=True)


def _hold(document: Document, *, unit: Agency | int | None, user: Any = None) -> None:
    """Hand the document on: who holds it now and since when (F9), and let them see it
    (a document not saved yet is shown to its holders by :func:`_save_new`)."""
    unit_id = unit if isinstance(unit, int) or unit is None else unit.pk
    document.holder_unit_id = unit_id
    document.holder_id = user.pk if user is not None else None
    document.held_since = timezone.now()
    if document.pk is not None:
        _grant(document, units=[unit_id] if unit_id else [], users=[document.holder_id or 0])


def _save_new(document: Document) -> None:
    document.search_text = _search_text(document)
    document.save()
    _grant(document, units=[document.holder_unit_id or 0], users=[document.holder_id or 0])


HOLD_FIELDS = ["holder_unit", "holder", "held_since"]


def _schedule(document: Document, event: Event | None = None) -> None:
    """After commit: re-index the document, and tell its new holders at once when urgent."""
    from . import notifications, search_index

    search_index.schedule_document(document.pk)
    if event is not None:
        notifications.schedule(event)


def _clean_text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError(
            {field: _("At most %(n)d characters (Decree 30).") % {"n": max_length}}
        )
    return text


def _search_text(document: Document) -> str:
    parts = [document.number_symbol, document.summary, document.issuer_name, document.signer_name]
    return fold(" ".join(part for part in parts if part))


def _store(uploads: Sequence[tuple[str, File]]) -> list[tuple[str, files.StoredFile]]:
    """Check and store files before the transaction (a refused file changes nothing)."""
    stored: list[tuple[str, files.StoredFile]] = []
    try:
        for kind, upload in uploads:
            stored.append((kind, files.store(upload)))
    except Exception:
        _forget(stored)
        raise
    return stored


def _forget(stored: Sequence[tuple[str, files.StoredFile]]) -> None:
    """Remove stored copies whose transaction failed: nothing half-written stays behind."""
    for _kind, item in stored:
        files.delete_stored(item.stored_name)


def _attach(
    document: Document, stored: Sequence[tuple[str, files.StoredFile]], actor: Any
) -> list[Attachment]:
    now = timezone.now()
    return Attachment.objects.bulk_create(
        [
            Attachment(
                document=document,
                kind=kind,
                stored_name=item.stored_name,
                original_name=item.original_name[:200],
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                page_count=item.page_count,
                text=item.text,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
                uploaded_at=now,
            )
            for kind, item in stored
        ]
    )


def _roles_field(roles: Iterable[str]) -> str:
    valid = {role.value for role in Role}
    chosen = [role for role in roles if role]
    unknown = [role for role in chosen if role not in valid]
    if unknown:
        raise ValidationError({"secret_roles": _("Unknown role: %(role)s.") % {"role": unknown[0]}})
    return f",{','.join(sorted(set(chosen)))}," if chosen else ""


# --- Duplicates -----------------------------------------------------------------------------


def duplicates_of(
    agency: Agency,
    *,
    identifier: str = "",
    number_symbol: str = "",
    issuer_name: str = "",
    issuer: Agency | None = None,
    exclude: int | None = None,
) -> QuerySet[Document]:
    """Incoming documents of the same register already holding this one (Decree 30: same
    identifier, or same number + symbol + issuer)."""
    query = Q(pk__in=[])
    if identifier:
        query |= Q(identifier=identifier)
    if number_symbol:
        same_issuer = Q(issuer=issuer) if issuer is not None else Q(issuer_name__iexact=issuer_name)
        query |= Q(number_symbol=number_symbol) & same_issuer
    found = Document.objects.incoming().filter(agency=agency).filter(query)
    if exclude:
        found = found.exclude(pk=exclude)
    return found.exclude(status=Status.RECALLED).order_by("-id")


def _parse_number_symbol(text: str) -> numbering.DocumentSymbol:
    try:
        return numbering.parse_symbol(text)
    except numbering.SymbolError as error:
        raise ValidationError({"number_symbol": str(error)}) from error


# --- Incoming -------------------------------------------------------------------------------


def register_incoming(
    actor: Any,
    *,
    agency: Agency | None = None,
    document_type: DocumentType,
    summary: str,
    number_symbol: str,
    document_date: dt.date | None,
    issuer: Agency | None = None,
    issuer_name: str = "",
    urgency: int = Urgency.NORMAL,
    secrecy: int = Secrecy.NONE,
    due_on: dt.date | None = None,
    page_count: int | None = None,
    channel: str = Channel.PAPER,
    identifier: str = "",
    signer_name: str = "",
    signer_position: str = "",
    content: str = "",
    files_: Sequence[tuple[str, File]] = (),
    readers: Sequence[Any] = (),
    secret_roles: Sequence[str] = (Role.LEADER,),
    allow_duplicate: bool = False,
    received_at: dt.datetime | None = None,
    api_key: Any = None,
    idempotency_key: str | None = None,
    submission_digest: str = "",
) -> Document:
    """A clerk (or an agency's system) registers an incoming document: it gets the next
    incoming number of its register's year and series.

    Raises ``ValidationError`` with code ``duplicate`` (and the duplicates' ids in its params)
    when the register already holds it, unless ``allow_duplicate``. An agency's system may
    send an ``idempotency_key`` (scoped by the caller, e.g. ``"<key id>:<value>"``) with a
    digest of what it sent: a retry raises :class:`AlreadyRegistered` with the document of the
    first attempt; the same key with other content is refused (code ``idempotency_conflict``).
    A classified document never comes in over the network (``Channel.API``): the attempt is
    refused and audited."""
    register = _actor_agency(actor, agency)
    if actor is not None:
        permissions.require(actor, PERM_REGISTER)
    if channel == Channel.API and secrecy != Secrecy.NONE:
        refuse_classified_intake(register, api_key, number_symbol)
    if idempotency_key:
        _replay(idempotency_key, submission_digest)
    summary = _clean_text(summary, "summary", max_length=SUMMARY_MAX)
    symbol = _parse_number_symbol(number_symbol)
    if issuer is not None and not issuer_name:
        issuer_name = issuer.name_vi
    issuer_name = _clean_text(issuer_name, "issuer_name", max_length=ISSUER_NAME_MAX)
    today = timezone.localdate()
    if document_date is not None and document_date > today:
        raise ValidationError({"document_date": _("The document's date cannot be in the future.")})
    if due_on is not None and due_on < today:
        raise ValidationError({"due_on": _("The deadline cannot be in the past.")})
    if secrecy not in Secrecy.values or urgency not in Urgency.values:
        raise ValidationError(_("Unknown urgency or secrecy level."))
    roles_value = _roles_field(secret_roles) if secrecy > Secrecy.NONE else ""
    stored = _store(files_)
    try:
        document = _register_incoming(
            actor,
            register,
            stored,
            received_at=received_at,
            channel=channel,
            fields={
                "document_type": document_type,
                "legal_normative": symbol.year is not None,
                "number": symbol.number,
                "notation": symbol.notation[:30],
                "number_symbol": symbol.canonical,
                "document_date": document_date,
                "issuer": issuer,
                "issuer_name": issuer_name,
                "summary": summary,
                "content": content,
                "urgency": urgency,
                "secrecy": secrecy,
                "page_count": page_count,
                "signer_name": signer_name[:50],
                "signer_position": signer_position[:100],
                "identifier": identifier[:60],
                "secret_roles": roles_value,
                "due_on": due_on,
                "api_key": api_key,
                "idempotency_key": idempotency_key or None,
                "submission_digest": submission_digest if idempotency_key else "",
            },
            readers=readers,
            allow_duplicate=allow_duplicate,
        )
    except IntegrityError:
        _forget(stored)
        if idempotency_key:
            # A concurrent retry with the same key committed first: this one rolled back
            # (its number went back to the series); answer with the first one's document.
            _replay(idempotency_key, submission_digest)
        raise
    except Exception:
        _forget(stored)
        raise
    return document


class AlreadyRegistered(Exception):
    """A retry of a registration that succeeded: ``document`` is the one it made."""

    def __init__(self, document: Document) -> None:
        super().__init__(document.pk)
        self.document = document


def _replay(idempotency_key: str, submission_digest: str) -> None:
    existing = Document.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return
    if existing.submission_digest != submission_digest:
        raise ValidationError(
            _("This Idempotency-Key was used for another document."),
            code="idempotency_conflict",
        )
    raise AlreadyRegistered(existing)


def refuse_classified_intake(register: Agency, api_key: Any, number_symbol: str) -> None:
    """Refuse a classified document sent over the network, and keep the attempt in the audit
    trail (it is committed even though the registration is refused)."""
    with transaction.atomic():
        record(
            action="documents.intake_refused",
            actor=None,
            object_type="documents.document",
            object_id="",
            object_repr=number_symbol[:45],
            agency_code=register.code,
            summary=_summary(
                gettext_noop(
                    "Refused: a classified document (%(symbol)s) sent over the network with API "
                    "key %(key)s."
                ),
                symbol=number_symbol[:45],
                key=str(api_key) if api_key is not None else "-",
            ),
        )
    raise PermissionDenied(
        _(
            "Classified documents are never registered through the API: they never travel over "
            "the network. Register the paper copy at the clerk's office."
        )
    )


def _check_duplicates(register: Agency, fields: dict[str, Any]) -> None:
    """Runs after the series row is locked: two registrations of one register cannot both
    miss each other."""
    found = list(
        duplicates_of(
            register,
            identifier=fields["identifier"],
            number_symbol=fields["number_symbol"],
            issuer=fields["issuer"],
            issuer_name=fields["issuer_name"],
        ).values_list("pk", flat=True)[:5]
    )
    if found:
        raise ValidationError(
            _(
                "This register already holds this document (same identifier, or same number, "
                "symbol and issuer)."
            ),
            code="duplicate",
            params={"ids": found},
        )


@transaction.atomic
def _register_incoming(
    actor: Any,
    register: Agency,
    stored: Sequence[tuple[str, files.StoredFile]],
    *,
    received_at: dt.datetime | None,
    channel: str,
    fields: dict[str, Any],
    readers: Sequence[Any],
    allow_duplicate: bool,
) -> Document:
    received = received_at or timezone.now()
    year = timezone.localtime(received).year
    clerk = actor if getattr(actor, "is_authenticated", False) else None
    series = numbering.incoming_series(fields["secrecy"])
    arrival_number = numbering.draw(register.pk, year, series)
    if not allow_duplicate:
        _check_duplicates(register, fields)
    document = Document(
        direction=Direction.INCOMING,
        agency=register,
        status=Status.REGISTERED,
        arrival_year=year,
        series_key=series,
        arrival_number=arrival_number,
        received_at=received,
        channel=channel,
        registered_by=clerk,
        **fields,
    )
    _hold(document, unit=register, user=clerk)
    _save_new(document)
    _grant(document, users=[r.pk for r in readers])
    _attach(document, stored, actor)
    event = _event(
        document,
        EventKind.REGISTERED,
        actor=actor,
        data={"arrival_number": document.arrival_number, "channel": channel},
    )
    _audit(
        "register_incoming",
        actor,
        document,
        _summary(
            gettext_noop("Incoming no. %(number)s registered: %(symbol)s from %(issuer)s."),
            number=document.reference,
            symbol=document.number_symbol,
            issuer=document.issuer_name,
        ),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return document


@transaction.atomic
def register_received(
    actor: Any, document: Document, *, due_on: dt.date | None = None, allow_duplicate: bool = False
) -> Document:
    """The recipient's clerk registers a document that arrived inside the system: it gets its
    incoming number, and the sender sees that it was registered (the receipt notice)."""
    _require(actor, PERM_REGISTER, document)
    document = _lock(document)
    _require_status(document, Status.RECEIVED)
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The deadline cannot be in the past.")})
    if (
        not allow_duplicate
        and duplicates_of(
            document.agency, identifier=document.identifier, exclude=document.pk
        ).exists()
    ):
        raise ValidationError(
            _("This register already holds this document (same identifier)."), code="duplicate"
        )
    now = timezone.now()
    year = timezone.localtime(now).year
    document.arrival_year = year
    document.series_key = numbering.incoming_series(document.secrecy)
    document.arrival_number = numbering.draw(document.agency_id, year, document.series_key)
    document.status = Status.REGISTERED
    document.received_at = document.received_at or now
    document.due_on = due_on or document.due_on
    document.registered_by = actor if getattr(actor, "is_authenticated", False) else None
    _hold(document, unit=document.agency, user=document.registered_by)
    document.save(
        update_fields=[
            "arrival_year",
            "series_key",
            "arrival_number",
            "status",
            "received_at",
            "due_on",
            "registered_by",
            *HOLD_FIELDS,
            "updated_at",
        ]
    )
    event = _event(
        document,
        EventKind.REGISTERED,
        actor=actor,
        data={"arrival_number": document.arrival_number},
    )
    delivery = document.source_delivery
    if delivery is not None:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.REGISTERED,
            registered_at=now,
            read_at=delivery.read_at or now,
        )
        _event(
            delivery.document,
            EventKind.RECEIPT,
            actor=actor,
            data={
                "delivery": delivery.pk,
                "recipient": delivery.recipient_id,
                "arrival_number": document.reference,
            },
            message=_summary(
                gettext_noop("%(recipient)s registered it as incoming no. %(number)s."),
                recipient=delivery.recipient_name,
                number=document.reference,
            ),
        )
    _audit(
        "register_received",
        actor,
        document,
        _summary(
            gettext_noop("Incoming no. %(number)s registered: %(symbol)s."),
            number=document.reference,
            symbol=document.number_symbol,
        ),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return document


@transaction.atomic
def mark_read(actor: Any, document: Document) -> None:
    """The first time someone of the recipient opens a copy that arrived inside the system,
    its sender sees it was read."""
    delivery = document.source_delivery
    if actor is None or delivery is None or delivery.read_at is not None:
        return
    if not acts_for(actor, document.agency_id) or not can_view(actor, document):
        return
    now = timezone.now()
    updated = Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(
        read_at=now,
        status=DeliveryStatus.READ
        if delivery.status == DeliveryStatus.DELIVERED
        else delivery.status,
    )
    if updated:
        delivery.read_at = now
        _event(
            delivery.document,
            EventKind.READ,
            actor=actor,
            data={"delivery": delivery.pk, "recipient": delivery.recipient_id},
            message=delivery.recipient_name,
        )


def _leader_of(document: Document, leader: Any) -> None:
    if leader is None or not leader.is_active or not permissions.has_role(leader, Role.LEADER):
        raise ValidationError({"leader": _("Choose a leader.")})
    if not acts_for(leader, document.agency_id) or not permissions.can(leader, PERM_DIRECT):
        raise ValidationError({"leader": _("Choose a leader of this organisation.")})


@transaction.atomic
def present(actor: Any, document: Document, *, leader: Any, note: str = "") -> Document:
    """The clerk presents a registered document to a leader (urgent ones notify at once)."""
    _require(actor, PERM_REGISTER, document)
    document = _lock(document)
    _require_status(document, Status.REGISTERED, Status.PRESENTED)
    _leader_of(document, leader)
    document.status = Status.PRESENTED
    _hold(document, unit=document.agency, user=leader)
    document.save(update_fields=["status", *HOLD_FIELDS, "updated_at"])
    event = _event(
        document, EventKind.PRESENTED, actor=actor, message=note.strip(), data={"leader": leader.pk}
    )
    _audit(
        "present",
        actor,
        document,
        _summary(
            gettext_noop("%(number)s presented to %(leader)s."),
            number=document.reference,
            leader=leader.get_full_name() or leader.get_username(),
        ),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return document


def _check_units(document: Document, units: Iterable[Agency], field: str) -> None:
    allowed = with_units({document.agency_id})
    for unit in units:
        if unit.pk not in allowed:
            raise ValidationError({field: _("Choose units of this organisation.")})


@transaction.atomic
def direct(
    actor: Any,
    document: Document,
    *,
    lead_unit: Agency,
    supporting_units: Sequence[Agency] = (),
    due_on: dt.date | None = None,
    instructions: str = "",
) -> HandlingDirection:
    """A leader's handling slip: lead unit, supporting units, deadline, instructions. A new
    direction replaces the open tasks of an earlier one."""
    _require(actor, PERM_DIRECT, document)
    document = _lock(document)
    _require_status(
        document, Status.REGISTERED, Status.PRESENTED, Status.DIRECTED, Status.IN_PROGRESS
    )
    if lead_unit is None:
        raise ValidationError({"lead_unit": _("Choose the lead unit.")})
    supporting = [unit for unit in supporting_units if unit.pk != lead_unit.pk]
    _check_units(document, [lead_unit], "lead_unit")
    _check_units(document, supporting, "supporting_units")
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The deadline cannot be in the past.")})
    now = timezone.now()
    slip = HandlingDirection.objects.create(
        document=document,
        leader=actor,
        lead_unit=lead_unit,
        due_on=due_on,
        instructions=instructions.strip(),
        at=now,
    )
    slip.supporting_units.set(supporting)
    cancelled = document.tasks.filter(status=TaskStatus.OPEN).update(status=TaskStatus.CANCELLED)
    creator = actor if getattr(actor, "is_authenticated", False) else None
    Task.objects.bulk_create(
        [
            Task(
                document=document,
                direction=slip,
                role=TaskRole.LEAD,
                unit=lead_unit,
                due_on=due_on,
                created_by=creator,
                created_at=now,
            ),
            *[
                Task(
                    document=document,
                    direction=slip,
                    role=TaskRole.SUPPORT,
                    unit=unit,
                    due_on=due_on,
                    created_by=creator,
                    created_at=now,
                )
                for unit in supporting
            ],
        ]
    )
    document.status = Status.DIRECTED
    document.due_on = due_on or document.due_on
    _hold(document, unit=lead_unit)
    _grant(document, units=[unit.pk for unit in supporting])
    document.save(update_fields=["status", "due_on", *HOLD_FIELDS, "updated_at"])
    event = _event(
        document,
        EventKind.DIRECTED,
        actor=actor,
        message=slip.instructions,
        data={
            "lead_unit": lead_unit.pk,
            "supporting_units": [u.pk for u in supporting],
            "replaced_tasks": cancelled,
        },
    )
    _audit(
        "direct",
        actor,
        document,
        _summary(
            gettext_noop("Direction for %(number)s: lead unit %(unit)s."),
            number=document.reference,
            unit=lead_unit.name_vi,
        ),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return slip


def _lock_task(task: Task) -> tuple[Task, Document]:
    document = _lock(task.document)
    task = Task.objects.select_for_update().select_related("unit").get(pk=task.pk)
    return task, document


def _may_manage_task(actor: Any, task: Task, document: Document) -> bool:
    """The unit head of the task's unit (or above), or a leader of the organisation."""
    if actor is None or permissions.is_nationwide(actor):
        return True
    if permissions.can(actor, PERM_DIRECT) and acts_for(actor, document.agency_id):
        return True
    return permissions.can(actor, PERM_ASSIGN) and in_unit(actor, task.unit_id)


def handlers_for(unit: Agency | int) -> QuerySet[User]:
    """Officials who may be given a task of ``unit``: its members and its divisions'."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    return (
        User.objects.filter(is_active=True, unit_id__in=with_units({unit_id}))
        .filter(
            Q(groups__permissions__codename="handle_document")
            | Q(groups__permissions__codename="assign_document")
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def assign_handler(actor: Any, task: Task, handler: Any, *, note: str = "") -> Task:
    """The unit head names who handles the unit's task."""
    _require(actor, PERM_ASSIGN, task.document)
    task, document = _lock_task(task)
    _require_status(document, Status.DIRECTED, Status.IN_PROGRESS)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is no longer open."))
    if not _may_manage_task(actor, task, document):
        raise PermissionDenied(_("Only the head of the task's unit assigns its handler."))
    if handler is None or not handlers_for(task.unit_id).filter(pk=handler.pk).exists():
        raise ValidationError({"handler": _("Choose a handler of the task's unit.")})
    before = task.handler_id
    task.handler = handler
    task.assigned_at = timezone.now()
    task.save(update_fields=["handler", "assigned_at"])
    fields = ["updated_at"]
    if task.role == TaskRole.LEAD:
        document.status = Status.IN_PROGRESS
        _hold(document, unit=task.unit_id, user=handler)
        fields += ["status", *HOLD_FIELDS]
    else:
        _grant(document, users=[handler.pk])
    document.save(update_fields=fields)
    event = _event(
        document,
        EventKind.ASSIGNED,
        actor=actor,
        message=note.strip(),
        due_on=task.due_on,
        data={"task": task.pk, "handler": handler.pk, "unit": task.unit_id, "role": task.role},
    )
    _audit(
        "assign_handler",
        actor,
        document,
        _summary(
            gettext_noop("%(number)s: %(handler)s handles the task (%(role)s)."),
            number=document.reference,
            handler=handler.get_username(),
            role=TaskRole(task.role).label,
        ),
        handler=(before, handler.pk),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return task


def _may_work(actor: Any, task: Task, document: Document) -> bool:
    return actor is None or task.handler_id == actor.pk or _may_manage_task(actor, task, document)


@transaction.atomic
def add_subtask(
    actor: Any, task: Task, *, handler: Any, title: str, due_on: dt.date | None = None
) -> Task:
    """The handler (or the unit head) splits a task: a sub-task for a colleague."""
    _require(
        actor,
        PERM_HANDLE if not permissions.can(actor, PERM_ASSIGN) else PERM_ASSIGN,
        task.document,
    )
    task, document = _lock_task(task)
    _require_status(document, Status.DIRECTED, Status.IN_PROGRESS)
    if task.status != TaskStatus.OPEN or not _may_work(actor, task, document):
        raise PermissionDenied(_("Only the task's handler or unit head splits it."))
    title = _clean_text(title, "title", max_length=300)
    if handler is None or not handlers_for(task.unit_id).filter(pk=handler.pk).exists():
        raise ValidationError({"handler": _("Choose a handler of the task's unit.")})
    if due_on is not None and task.due_on is not None and due_on > task.due_on:
        raise ValidationError({"due_on": _("A sub-task cannot end after its task.")})
    now = timezone.now()
    sub = Task.objects.create(
        document=document,
        parent=task,
        role=TaskRole.SUBTASK,
        unit_id=task.unit_id,
        handler=handler,
        title=title,
        due_on=due_on or task.due_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        assigned_at=now,
    )
    _grant(document, users=[handler.pk])
    document.save(update_fields=["updated_at"])
    event = _event(
        document,
        EventKind.SUBTASK,
        actor=actor,
        message=title,
        due_on=sub.due_on,
        data={"task": sub.pk, "parent": task.pk, "handler": handler.pk},
    )
    _audit(
        "add_subtask",
        actor,
        document,
        _summary(
            gettext_noop("%(number)s: sub-task for %(handler)s."),
            number=document.reference,
            handler=handler.get_username(),
        ),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return sub


@transaction.atomic
def complete_task(actor: Any, task: Task, *, result: str) -> Task:
    """A supporting unit's or a sub-task's work is done (the lead task ends by
    :func:`report_done`)."""
    _require(
        actor, PERM_HANDLE if permissions.can(actor, PERM_HANDLE) else PERM_ASSIGN, task.document
    )
    task, document = _lock_task(task)
    if task.role == TaskRole.LEAD:
        raise ValidationError(_("The lead task ends when its handler reports the handling done."))
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is no longer open."))
    if not _may_work(actor, task, document):
        raise PermissionDenied(_("Only the task's handler or unit head completes it."))
    task.status = TaskStatus.DONE
    task.result = _clean_text(result, "result", max_length=5000)
    task.done_at = timezone.now()
    task.save(update_fields=["status", "result", "done_at"])
    document.save(update_fields=["updated_at"])
    _event(
        document,
        EventKind.TASK_DONE,
        actor=actor,
        message=task.result,
        data={"task": task.pk, "unit": task.unit_id, "role": task.role},
    )
    _audit(
        "complete_task",
        actor,
        document,
        _summary(
            gettext_noop("%(number)s: task done (%(role)s)."),
            number=document.reference,
            role=TaskRole(task.role).label,
        ),
    )
    transaction.on_commit(lambda: _schedule(document))
    return task


def lead_task(document: Document) -> Task | None:
    return (
        document.tasks.filter(role=TaskRole.LEAD)
        .exclude(status=TaskStatus.CANCELLED)
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def report_done(actor: Any, document: Document, *, result: str) -> Document:
    """The lead handler reports the handling done; the leader who directed it closes it."""
    _require(actor, PERM_HANDLE, document)
    document = _lock(document)
    _require_status(document, Status.IN_PROGRESS)
    task = lead_task(document)
    if task is None or not _may_work(actor, task, document):
        raise PermissionDenied(_("Only the lead handler reports the handling done."))
    result = _clean_text(result, "result", max_length=5000)
    now = timezone.now()
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.DONE, result=result, done_at=now)
    slip = task.direction
    document.status = Status.REPORTED
    _hold(document, unit=document.agency, user=slip.leader if slip else None)
    document.save(update_fields=["status", *HOLD_FIELDS, "updated_at"])
    event = _event(
        document, EventKind.REPORTED, actor=actor, message=result, data={"task": task.pk}
    )
    _audit(
        "report_done",
        actor,
        document,
        _summary(gettext_noop("%(number)s: handling reported done."), number=document.reference),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return document


@transaction.atomic
def close(actor: Any, document: Document, *, note: str = "") -> Document:
    """A leader closes the document (handled, or nothing more to do)."""
    _require(actor, PERM_DIRECT, document)
    document = _lock(document)
    _require_status(document, *INCOMING_OPEN)
    if document.status == Status.RECEIVED:
        raise ValidationError(_("Register the document before closing it."))
    if document.status != Status.REPORTED and not note.strip():
        raise ValidationError({"note": _("Say why it is closed before the handling is reported.")})
    now = timezone.now()
    open_tasks = document.tasks.filter(status=TaskStatus.OPEN)
    on_time = open_tasks.update(
        status=TaskStatus.DONE,
        done_at=now,
        result=note.strip() or _summary(gettext_noop("Closed by the leader.")),
    )
    document.status = Status.CLOSED
    document.closed_at = now
    _hold(document, unit=document.agency)
    document.save(update_fields=["status", "closed_at", *HOLD_FIELDS, "updated_at"])
    _event(
        document,
        EventKind.CLOSED,
        actor=actor,
        message=note.strip(),
        data={"tasks_closed": on_time},
    )
    _audit(
        "close",
        actor,
        document,
        _summary(gettext_noop("%(number)s closed."), number=document.reference),
    )
    transaction.on_commit(lambda: _schedule(document))
    return document


@transaction.atomic
def return_task(actor: Any, task: Task, *, reason: str) -> Task:
    """The unit (its head or handler) returns its task with a reason: not its remit. A
    returned lead task sends the document back to the leader for a new direction."""
    _require(
        actor, PERM_HANDLE if permissions.can(actor, PERM_HANDLE) else PERM_ASSIGN, task.document
    )
    task, document = _lock_task(task)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is no longer open."))
    if not _may_work(actor, task, document):
        raise PermissionDenied(_("Only the task's unit returns it."))
    reason = _clean_text(reason, "reason", max_length=2000)
    task.status = TaskStatus.RETURNED
    task.result = reason
    task.done_at = timezone.now()
    task.save(update_fields=["status", "result", "done_at"])
    fields = ["updated_at"]
    if task.role == TaskRole.LEAD:
        task.subtasks.filter(status=TaskStatus.OPEN).update(status=TaskStatus.CANCELLED)
        slip = task.direction
        document.status = Status.PRESENTED
        _hold(document, unit=document.agency, user=slip.leader if slip else None)
        fields += ["status", *HOLD_FIELDS]
    document.save(update_fields=fields)
    event = _event(
        document,
        EventKind.RETURNED,
        actor=actor,
        message=reason,
        data={"task": task.pk, "unit": task.unit_id, "role": task.role},
    )
    _audit(
        "return_task",
        actor,
        document,
        _summary(gettext_noop("%(number)s: task returned by its unit."), number=document.reference),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return task


@transaction.atomic
def request_extension(actor: Any, task: Task, *, until: dt.date, reason: str) -> Task:
    """The handler asks for more time; a leader decides (:func:`decide_extension`)."""
    _require(
        actor, PERM_HANDLE if permissions.can(actor, PERM_HANDLE) else PERM_ASSIGN, task.document
    )
    task, document = _lock_task(task)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is no longer open."))
    if not _may_work(actor, task, document):
        raise PermissionDenied(_("Only the task's handler or unit head asks for more time."))
    if until is None or (task.due_on is not None and until <= task.due_on):
        raise ValidationError({"until": _("Ask for a date after the current deadline.")})
    task.extension_requested_to = until
    task.extension_reason = _clean_text(reason, "reason", max_length=2000)
    task.save(update_fields=["extension_requested_to", "extension_reason"])
    event = _event(
        document,
        EventKind.EXTENSION_ASKED,
        actor=actor,
        message=task.extension_reason,
        due_on=task.due_on,
        data={"task": task.pk, "until": until.isoformat()},
    )
    document.save(update_fields=["updated_at"])
    _audit(
        "request_extension",
        actor,
        document,
        _summary(
            gettext_noop("%(number)s: extension asked until %(date)s."),
            number=document.reference,
            date=until.strftime("%d/%m/%Y"),
        ),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return task


@transaction.atomic
def decide_extension(
    actor: Any, task: Task, *, grant: bool, until: dt.date | None = None, reason: str = ""
) -> Task:
    _require(actor, PERM_DIRECT, task.document)
    task, document = _lock_task(task)
    if task.extension_requested_to is None:
        raise ValidationError(_("No extension was asked for this task."))
    new_due = until or task.extension_requested_to
    if grant and new_due < timezone.localdate():
        raise ValidationError({"until": _("The deadline cannot be in the past.")})
    before = task.due_on
    if grant:
        task.due_on = new_due
        if task.role == TaskRole.LEAD:
            document.due_on = new_due
            document.save(update_fields=["due_on", "updated_at"])
        task.subtasks.filter(status=TaskStatus.OPEN, due_on__isnull=False).update(due_on=new_due)
    task.extension_requested_to = None
    task.save(update_fields=["due_on", "extension_requested_to"])
    kind = EventKind.EXTENDED if grant else EventKind.EXTENSION_REFUSED
    event = _event(
        document,
        kind,
        actor=actor,
        message=reason.strip(),
        due_on=task.due_on,
        data={"task": task.pk},
    )
    if not grant:
        document.save(update_fields=["updated_at"])
    _audit(
        "decide_extension",
        actor,
        document,
        _summary(
            gettext_noop("%(number)s: extension granted.")
            if grant
            else gettext_noop("%(number)s: extension refused."),
            number=document.reference,
        ),
        due_on=(
            before.isoformat() if before else None,
            task.due_on.isoformat() if task.due_on else None,
        ),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return task


@transaction.atomic
def add_note(actor: Any, document: Document, *, text: str) -> Event:
    """A note on the timeline, by anyone who may see the document and takes part in it."""
    if actor is not None:
        permissions.require(actor, queries.PERM_VIEW)
        if not can_view(actor, document):
            raise PermissionDenied(_("You may not see this document."))
    document = _lock(document)
    text = _clean_text(text, "text", max_length=5000)
    event = _event(document, EventKind.NOTE, actor=actor, message=text)
    document.save(update_fields=["updated_at"])
    _audit(
        "note",
        actor,
        document,
        _summary(gettext_noop("Note on %(number)s."), number=document.reference),
    )
    return event


@transaction.atomic
def return_to_sender(actor: Any, document: Document, *, reason: str) -> Document:
    """The clerk sends back a document that is invalid or not for this organisation."""
    _require(actor, PERM_REGISTER, document)
    document = _lock(document)
    _require_status(document, Status.RECEIVED, Status.REGISTERED)
    reason = _clean_text(reason, "reason", max_length=2000)
    document.status = Status.RETURNED_TO_SENDER
    document.closed_at = timezone.now()
    document.save(update_fields=["status", "closed_at", "updated_at"])
    _event(document, EventKind.RETURNED_TO_SENDER, actor=actor, message=reason)
    delivery = document.source_delivery
    if delivery is not None:
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, error=reason)
        _event(
            delivery.document,
            EventKind.RETURNED_TO_SENDER,
            actor=actor,
            message=reason,
            data={"delivery": delivery.pk, "recipient": delivery.recipient_id},
        )
    _audit(
        "return_to_sender",
        actor,
        document,
        _summary(gettext_noop("%(number)s returned to its sender."), number=document.reference),
    )
    transaction.on_commit(lambda: _schedule(document))
    return document


# --- Classified documents -------------------------------------------------------------------


@transaction.atomic
def grant_reader(actor: Any, document: Document, reader: Any) -> None:
    """Name one more person who may read a classified document (a leader or the clerk)."""
    if actor is not None and not (
        permissions.can(actor, PERM_DIRECT) or permissions.can(actor, PERM_REGISTER)
    ):
        raise PermissionDenied(_("Only a leader or the clerk names the readers."))
    _require(actor, queries.PERM_VIEW, document)
    document = _lock(document)
    if reader is None or not reader.is_active or not acts_for(reader, document.agency_id):
        raise ValidationError({"reader": _("Choose an official of this organisation.")})
    _grant(document, users=[reader.pk])
    _event(
        document,
        EventKind.UPDATED,
        actor=actor,
        data={"reader": reader.pk},
        message=_summary(gettext_noop("Reader added: %(name)s."), name=reader.get_username()),
    )
    _audit(
        "grant_reader",
        actor,
        document,
        _summary(
            gettext_noop("%(name)s may read %(number)s."),
            name=reader.get_username(),
            number=document.reference,
        ),
    )


# --- Outgoing -------------------------------------------------------------------------------


def _check_signer(signer: Any, agency: Agency) -> None:
    if signer is None:
        return
    if not signer.is_active or not permissions.can(signer, PERM_SIGN):
        raise ValidationError({"signer": _("The signer must be an official who signs documents.")})
    if not acts_for(signer, agency):
        raise ValidationError({"signer": _("The signer must belong to the issuing organisation.")})


def _set_recipients(
    document: Document, internal: Sequence[Agency], external: Sequence[str]
) -> None:
    document.deliveries.filter(status=DeliveryStatus.QUEUED, sent_at__isnull=True).delete()
    names = [" ".join(name.split())[:ISSUER_NAME_MAX] for name in external if name.strip()]
    seen: set[int] = set()
    rows = []
    for agency in internal:
        if agency.pk in seen or agency.pk == document.agency_id:
            continue
        seen.add(agency.pk)
        rows.append(
            Delivery(document=document, recipient=agency, recipient_name=agency.name_vi, channel="")
        )
    rows += [Delivery(document=document, recipient_name=name, channel="") for name in names]
    Delivery.objects.bulk_create(rows)


def create_draft(
    actor: Any,
    *,
    document_type: DocumentType,
    summary: str,
    content: str = "",
    file: File | None = None,
    recipients: Sequence[Agency] = (),
    external_recipients: Sequence[str] = (),
    urgency: int = Urgency.NORMAL,
    secrecy: int = Secrecy.NONE,
    signer: Any = None,
    signing_prefix: str = "",
    signer_position: str = "",
    legal_normative: bool = False,
    in_reply_to: Document | None = None,
    replaces: Document | None = None,
    readers: Sequence[Any] = (),
    secret_roles: Sequence[str] = (Role.LEADER, Role.CLERK),
    agency: Agency | None = None,
) -> Document:
    """A handler drafts an outgoing document in their organisation's register; version 1."""
    if actor is None:
        raise PermissionDenied(_("Only an official drafts a document."))
    permissions.require(actor, PERM_HANDLE)
    register = _actor_agency(actor, agency)
    summary = _clean_text(summary, "summary", max_length=SUMMARY_MAX)
    if not content.strip() and file is None:
        raise ValidationError({"content": _("Write the content or upload the draft's file.")})
    if signing_prefix and signing_prefix not in SIGNING_PREFIXES:
        raise ValidationError({"signing_prefix": _("Use TM., Q., KT., TL. or TUQ.")})
    if document_type.always_legal_normative:
        legal_normative = True
    elif legal_normative and not document_type.legal_normative:
        raise ValidationError(
            {"legal_normative": _("This type is never a legal normative document.")}
        )
    if secrecy not in Secrecy.values or urgency not in Urgency.values:
        raise ValidationError(_("Unknown urgency or secrecy level."))
    _check_signer(signer, register)
    if in_reply_to is not None and (
        not in_reply_to.is_incoming or not can_view(actor, in_reply_to)
    ):
        raise ValidationError({"in_reply_to": _("Reply to an incoming document you handle.")})
    if replaces is not None:
        replaces = Document.objects.get(pk=replaces.pk)
    if replaces is not None and (
        replaces.status != Status.RECALLED or replaces.agency_id != register.pk
    ):
        raise ValidationError(
            {"replaces": _("Only a recalled document of this register is replaced.")}
        )
    roles_value = _roles_field(secret_roles) if secrecy > Secrecy.NONE else ""
    document = Document(
        direction=Direction.OUTGOING,
        agency=register,
        status=Status.DRAFT,
        document_type=document_type,
        legal_normative=legal_normative,
        issuer=register,
        issuer_name=register.name_vi[:ISSUER_NAME_MAX],
        summary=summary,
        content=content.strip(),
        urgency=urgency,
        secrecy=secrecy,
        signer=signer,
        signer_name=_person(signer)[:50] if signer else "",
        signer_position=(signer_position or (signer.position if signer else ""))[:100],
        signing_prefix=signing_prefix,
        drafting_unit=actor.unit or register,
        drafted_by=actor,
        secret_roles=roles_value,
        in_reply_to=in_reply_to,
        replaces=replaces,
    )
    stored = _store([(AttachmentKind.DRAFT, file)] if file is not None else [])
    try:
        with transaction.atomic():
            _hold(document, unit=document.drafting_unit, user=actor)
            _save_new(document)
            _grant(document, users=[r.pk for r in readers] + ([signer.pk] if signer else []))
            attached = _attach(document, stored, actor)
            Version.objects.create(
                document=document,
                number=1,
                summary=summary,
                content=document.content,
                attachment=attached[0] if attached else None,
                note=_summary(gettext_noop("First draft.")),
                created_by=actor,
                created_at=timezone.now(),
            )
            _set_recipients(document, recipients, external_recipients)
            _event(document, EventKind.DRAFTED, actor=actor, data={"version": 1})
            if in_reply_to is not None:
                _event(
                    in_reply_to,
                    EventKind.REPLY_LINKED,
                    actor=actor,
                    data={"reply": document.pk},
                    message=summary,
                )
                Document.objects.filter(pk=in_reply_to.pk).update(updated_at=timezone.now())
            _audit(
                "create_draft",
                actor,
                document,
                _summary(
                    gettext_noop("Draft outgoing document: %(type)s."), type=document_type.name_vi
                ),
            )
            transaction.on_commit(lambda: _schedule(document))
    except Exception:
        _forget(stored)
        raise
    return document


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _require_drafter(actor: Any, document: Document) -> None:
    _require(actor, PERM_HANDLE, document)
    if actor is None or permissions.is_nationwide(actor):
        return
    if document.drafted_by_id == actor.pk or in_unit(actor, document.drafting_unit_id):
        return
    raise PermissionDenied(_("Only the drafting unit changes the draft."))


def save_version(
    actor: Any,
    document: Document,
    *,
    summary: str,
    content: str = "",
    file: File | None = None,
    note: str = "",
    recipients: Sequence[Agency] | None = None,
    external_recipients: Sequence[str] | None = None,
    signer: Any = None,
    urgency: int | None = None,
    secrecy: int | None = None,
) -> Version:
    """A new version of a draft (the earlier ones are kept, to compare)."""
    _require_drafter(actor, document)
    summary = _clean_text(summary, "summary", max_length=SUMMARY_MAX)
    stored = _store([(AttachmentKind.DRAFT, file)] if file is not None else [])
    try:
        with transaction.atomic():
            return _save_version(
                actor,
                document,
                stored,
                summary=summary,
                content=content,
                note=note,
                recipients=recipients,
                external_recipients=external_recipients,
                signer=signer,
                urgency=urgency,
                secrecy=secrecy,
            )
    except Exception:
        _forget(stored)
        raise


def _save_version(
    actor: Any,
    document: Document,
    stored: Sequence[tuple[str, files.StoredFile]],
    *,
    summary: str,
    content: str,
    note: str,
    recipients: Sequence[Agency] | None,
    external_recipients: Sequence[str] | None,
    signer: Any,
    urgency: int | None,
    secrecy: int | None,
) -> Version:
    document = _lock(document)
    _require_status(document, Status.DRAFT)
    if signer is not None:
        _check_signer(signer, document.agency)
        document.signer = signer
        document.signer_name = _person(signer)[:50]
        _grant(document, users=[signer.pk])
    last = document.versions.aggregate(n=Max("number"))["n"] or 0
    attached = _attach(document, stored, actor)
    attachment = attached[0] if attached else None
    if attachment is None and last:
        attachment = document.versions.get(number=last).attachment
    text = content.strip()
    if not text and attachment is None:
        raise ValidationError({"content": _("Write the content or upload the draft's file.")})
    version = Version.objects.create(
        document=document,
        number=last + 1,
        summary=summary,
        content=text,
        attachment=attachment,
        note=note.strip()[:300],
        created_by=actor,
        created_at=timezone.now(),
    )
    document.summary = summary
    document.content = text
    if urgency is not None:
        document.urgency = urgency
    if secrecy is not None:
        document.secrecy = secrecy
    document.search_text = _search_text(document)
    document.save()
    if recipients is not None or external_recipients is not None:
        _set_recipients(document, recipients or [], external_recipients or [])
    _event(
        document,
        EventKind.DRAFTED,
        actor=actor,
        message=version.note,
        data={"version": version.number},
    )
    _audit(
        "save_version",
        actor,
        document,
        _summary(gettext_noop("Draft version %(n)d saved."), n=version.number),
    )
    transaction.on_commit(lambda: _schedule(document))
    return version


def review_steps_for(document: Document) -> list[list[str]]:
    """The review chain of ``document``: the rule for its type in its agency (or the nearest
    agency above), else that agency's rule for every type, else :data:`DEFAULT_REVIEW_STEPS`."""
    ancestors = _ancestors(document.agency)
    rules = ReviewRule.objects.filter(agency_id__in=ancestors).filter(
        Q(document_type=document.document_type) | Q(document_type__isnull=True)
    )
    ranked = sorted(
        rules, key=lambda rule: (rule.document_type_id is None, ancestors.index(rule.agency_id))
    )
    steps = ranked[0].steps if ranked else DEFAULT_REVIEW_STEPS
    return [[str(kind) for kind in group] for group in steps]


def _ancestors(agency: Agency) -> list[int]:
    ids = []
    node: Agency | None = agency
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return ids


@transaction.atomic
def submit_for_review(
    actor: Any, document: Document, *, opinion_units: Sequence[Agency] = ()
) -> list[ReviewStep]:
    """The drafter sends the latest version along the review chain (a new round)."""
    _require_drafter(actor, document)
    document = _lock(document)
    _require_status(document, Status.DRAFT)
    if document.signer_id is None:
        raise ValidationError({"signer": _("Name the signer before sending the draft for review.")})
    version = document.versions.order_by("-number").first()
    chain = review_steps_for(document)
    document.review_round += 1
    rows: list[ReviewStep] = []
    drafting_unit = document.drafting_unit_id or document.agency_id
    for order, group in enumerate(chain, start=1):
        for kind in group:
            base = {
                "document": document,
                "round": document.review_round,
                "order": order,
                "kind": kind,
                "version": version,
                "status": ReviewStatus.WAITING,
            }
            if kind == ReviewStepKind.SIGNER:
                rows.append(ReviewStep(**base, reviewer_id=document.signer_id))
            elif kind in (ReviewStepKind.UNIT_HEAD, ReviewStepKind.SPECIALIST):
                role = Role.UNIT_HEAD if kind == ReviewStepKind.UNIT_HEAD else Role.HANDLER
                rows.append(ReviewStep(**base, unit_id=drafting_unit, role=role))
            elif kind == ReviewStepKind.LEADER:
                rows.append(ReviewStep(**base, unit_id=document.agency_id, role=Role.LEADER))
            elif kind == ReviewStepKind.OPINION:
                if not opinion_units:
                    raise ValidationError(
                        {"opinion_units": _("Name the units whose opinion the chain asks for.")}
                    )
                _check_units(document, opinion_units, "opinion_units")
                for unit in opinion_units:
                    rows.append(ReviewStep(**base, unit_id=unit.pk, role=Role.UNIT_HEAD))
            else:
                raise ValidationError(_("Unknown review step: %(kind)s.") % {"kind": kind})
    if not rows:
        raise ValidationError(
            {"opinion_units": _("Name the units whose opinion the chain asks for.")}
        )
    for row in rows:
        row.status = ReviewStatus.PENDING if row.order == rows[0].order else ReviewStatus.WAITING
    ReviewStep.objects.bulk_create(rows)
    document.status = Status.IN_REVIEW
    _grant(
        document,
        units=[row.unit_id for row in rows if row.unit_id],
        users=[row.reviewer_id for row in rows if row.reviewer_id],
    )
    if document.is_classified:
        # A classified draft is not seen by a unit as a whole: each official who may take a
        # step is named on it.
        _grant(document, users=[user.pk for row in rows for user in _step_officials(row)])
    first = rows[0]
    _hold(
        document,
        unit=first.unit_id or document.agency_id,
        user=User.objects.get(pk=first.reviewer_id) if first.reviewer_id else None,
    )
    document.save(update_fields=["status", "review_round", *HOLD_FIELDS, "updated_at"])
    event = _event(
        document,
        EventKind.SUBMITTED,
        actor=actor,
        data={
            "round": document.review_round,
            "version": version.number if version else None,
            "chain": chain,
        },
    )
    _audit(
        "submit_for_review",
        actor,
        document,
        _summary(gettext_noop("Draft sent for review (round %(n)d)."), n=document.review_round),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return rows


def _step_officials(step: ReviewStep) -> list[User]:
    if step.reviewer_id is not None or not step.unit_id:
        return []
    units = with_units({step.unit_id})
    field = "agency_id__in" if step.role == Role.LEADER else "unit_id__in"
    from vgp.accounts.roles import group_name

    return list(
        User.objects.filter(
            is_active=True, groups__name=group_name(step.role), **{field: units}
        ).distinct()
    )


def may_review(actor: Any, step: ReviewStep) -> bool:
    if actor is None:
        return True
    if step.status != ReviewStatus.PENDING:
        return False
    if step.reviewer_id is not None:
        return step.reviewer_id == actor.pk
    if not permissions.has_role(actor, step.role):
        return False
    if step.role == Role.LEADER:
        return acts_for(actor, step.unit_id)
    return in_unit(actor, step.unit_id)


def pending_steps(actor: Any, document: Document) -> list[ReviewStep]:
    """The review steps waiting for ``actor`` (only the current round has pending steps)."""
    steps = document.review_steps.filter(status=ReviewStatus.PENDING).order_by("order", "id")
    return [step for step in steps if may_review(actor, step)]


def _decide(step: ReviewStep, status: str, comment: str, actor: Any, at: dt.datetime) -> None:
    step.status = status
    step.comment = comment
    step.decided_by = actor
    step.decided_at = at
    step.save(update_fields=["status", "comment", "decided_by", "decided_at"])


@transaction.atomic
def review(actor: Any, step: ReviewStep, *, decision: str, comment: str = "") -> ReviewStep:
    """A reviewer approves, comments on or returns the draft at their step."""
    document = _lock(step.document)
    step = ReviewStep.objects.select_for_update().get(pk=step.pk)
    if actor is not None and not can_view(actor, document):
        raise PermissionDenied(_("You may not see this document."))
    _require_status(document, Status.IN_REVIEW)
    if step.round != document.review_round or step.status != ReviewStatus.PENDING:
        raise ValidationError(_("This review step is not waiting for a decision."))
    if not may_review(actor, step):
        raise PermissionDenied(_("This review step belongs to someone else."))
    comment = comment.strip()
    now = timezone.now()
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    if decision == "comment":
        if not comment:
            raise ValidationError({"comment": _("Write the comment.")})
        _event(
            document,
            EventKind.REVIEW_COMMENT,
            actor=actor,
            message=comment,
            data={"step": step.pk, "kind": step.kind},
        )
        document.save(update_fields=["updated_at"])
        _audit("review_comment", actor, document, _summary(gettext_noop("Review comment.")))
        return step
    if decision == "return":
        if not comment:
            raise ValidationError({"comment": _("Say what to change.")})
        _decide(step, ReviewStatus.RETURNED, comment, actor_user, now)
        document.review_steps.filter(
            round=document.review_round, status__in=[ReviewStatus.PENDING, ReviewStatus.WAITING]
        ).update(status=ReviewStatus.SUPERSEDED)
        document.status = Status.DRAFT
        _hold(document, unit=document.drafting_unit_id, user=document.drafted_by)
        document.save(update_fields=["status", *HOLD_FIELDS, "updated_at"])
        event = _event(
            document,
            EventKind.REVIEW_RETURNED,
            actor=actor,
            message=comment,
            data={"step": step.pk, "kind": step.kind},
        )
        _audit(
            "review_return",
            actor,
            document,
            _summary(
                gettext_noop("Draft returned at the %(kind)s step."),
                kind=ReviewStepKind(step.kind).label,
            ),
        )
        transaction.on_commit(lambda: _schedule(document, event))
        return step
    if decision != "approve":
        raise ValidationError(_("Unknown decision."))
    _decide(step, ReviewStatus.APPROVED, comment, actor_user, now)
    rest = document.review_steps.filter(round=document.review_round)
    fields = ["updated_at"]
    if not rest.filter(order=step.order, status=ReviewStatus.PENDING).exists():
        following = rest.filter(status=ReviewStatus.WAITING).order_by("order")
        nxt = following.first()
        if nxt is None:
            document.status = Status.APPROVED
            final = digital_signatures.final_file(document)
            document.approved_sha256 = (
                final.sha256 if final is not None and digital_signatures.is_pdf(final) else ""
            )
            _hold(document, unit=document.agency_id)
            fields += ["status", "approved_sha256"]
        else:
            following.filter(order=nxt.order).update(status=ReviewStatus.PENDING)
            _hold(
                document,
                unit=nxt.unit_id or document.agency_id,
                user=nxt.reviewer if nxt.reviewer_id else None,
            )
        fields += HOLD_FIELDS
    document.save(update_fields=fields)
    event = _event(
        document,
        EventKind.REVIEW_APPROVED,
        actor=actor,
        message=comment,
        data={"step": step.pk, "kind": step.kind},
    )
    _audit(
        "review_approve",
        actor,
        document,
        _summary(
            gettext_noop("Draft approved at the %(kind)s step."),
            kind=ReviewStepKind(step.kind).label,
        ),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return step


def _certificate_refusal(error: ValidationError | PermissionDenied) -> ValidationError:
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    return ValidationError(" ".join(messages))


def sign(actor: Any, document: Document) -> Document:
    """The signer named on the draft signs the approved PDF with their certificate (PAdES B-T,
    visible: position, handwritten image, name). Refused if the stored PDF is no longer the one
    the reviewers approved."""
    if actor is None:
        raise PermissionDenied(_("Only the signer signs a document."))
    _require(actor, PERM_SIGN, document)
    document = Document.objects.select_related("agency").get(pk=document.pk)
    _check_signable(actor, document)
    final = digital_signatures.final_file(document)
    if not digital_signatures.is_pdf(final):
        raise ValidationError(
            _("The approved version has no PDF file: upload the final PDF as a new version.")
        )
    assert final is not None
    data = digital_signatures.read(final)
    if hashlib.sha256(data).hexdigest() != document.approved_sha256:
        raise ValidationError(
            _(
                "The PDF changed since it was approved: it cannot be signed. Send it for review again."
            )
        )
    certificate = signature_actions.current_certificate(actor)
    if certificate is None:
        raise ValidationError(
            _("You have no valid signing certificate: ask the IT administrator for one.")
        )
    try:
        signed = signing.sign_pdf(
            actor,
            data,
            certificate=certificate,
            level=signing.Level.B_T,
            appearance=digital_signatures.signer_appearance(document, bytes(certificate.image)),
            reason="Ký ban hành văn bản",
            purpose=_summary(gettext_noop("Outgoing document %(pk)s signed."), pk=document.pk),
        )
    except (ValidationError, PermissionDenied) as error:
        raise _certificate_refusal(error) from error
    stored = files.store(
        ContentFile(signed, name=digital_signatures.signed_name(final.original_name, "ky-so"))
    )
    try:
        with transaction.atomic():
            return _signed(actor, document, stored, final.sha256)
    except Exception:
        _forget([("main", stored)])
        raise


def _check_signable(actor: Any, document: Document) -> None:
    _require_status(document, Status.APPROVED)
    if document.signer_id != actor.pk:
        raise PermissionDenied(_("Only the signer named on the draft signs it."))
    if document.signed_at is not None:
        raise ValidationError(_("This document is already signed."))


def _signed(actor: Any, document: Document, stored: files.StoredFile, approved: str) -> Document:
    document = _lock(document)
    _check_signable(actor, document)
    if document.approved_sha256 != approved:
        raise ValidationError(_("The document changed while it was being signed."))
    _attach(document, [(AttachmentKind.MAIN, stored)], actor)
    document.signed_at = timezone.now()
    document.signed_by = actor
    document.save(update_fields=["signed_at", "signed_by", "updated_at"])
    event = _event(document, EventKind.SIGNED, actor=actor, data={"sha256": stored.sha256})
    _audit(
        "sign",
        actor,
        document,
        _summary(gettext_noop("Signed digitally by %(name)s."), name=_person(actor)),
        sha256=stored.sha256,
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return document


def add_annex(actor: Any, document: Document, *, file: File) -> Attachment:
    """An annex (phụ lục) of a draft; at issue it gets the organisation's signature."""
    _require_drafter(actor, document)
    stored = _store([(AttachmentKind.ANNEX, file)])
    try:
        with transaction.atomic():
            document = _lock(document)
            _require_status(document, Status.DRAFT)
            (annex,) = _attach(document, stored, actor)
            _audit(
                "add_annex",
                actor,
                document,
                _summary(gettext_noop("Annex %(name)s added."), name=annex.original_name),
            )
            transaction.on_commit(lambda: _schedule(document))
            return annex
    except Exception:
        _forget(stored)
        raise


def remove_annex(actor: Any, annex: Attachment) -> None:
    document = annex.document
    _require_drafter(actor, document)
    with transaction.atomic():
        document = _lock(document)
        _require_status(document, Status.DRAFT)
        annex = Attachment.objects.select_for_update().get(pk=annex.pk, document=document)
        if annex.kind != AttachmentKind.ANNEX:
            raise ValidationError(_("Only an annex can be removed here."))
        name, stored_name = annex.original_name, annex.stored_name
        annex.delete()
        _audit(
            "remove_annex",
            actor,
            document,
            _summary(gettext_noop("Annex %(name)s removed."), name=name),
        )
        transaction.on_commit(lambda: files.delete_stored(stored_name))


def _seal(
    actor: Any, document: Document, now: dt.datetime, produced: list[files.StoredFile]
) -> None:
    """The seal, then the number and date with the organisation's signature, on the signed PDF;
    the organisation's signature on each annex. Inside ``issue``'s transaction: a refusal
    leaves the document approved and unnumbered."""
    seal = signature_actions.current_seal(document.agency_id)
    main = digital_signatures.main_file(document)
    if seal is None:
        raise ValidationError(
            _("The organisation has no valid seal certificate: ask the IT administrator.")
        )
    if main is None:
        raise ValidationError(_("The signed PDF is missing."))
    data = digital_signatures.read(main)
    if hashlib.sha256(data).hexdigest() != main.sha256:
        raise ValidationError(_("The signed PDF was changed after signing: it cannot be issued."))
    annexes = list(document.attachments.filter(kind=AttachmentKind.ANNEX).order_by("id"))
    for annex in annexes:
        if not digital_signatures.is_pdf(annex):
            raise ValidationError(
                _("The annex %(name)s is not a PDF: it cannot carry the organisation's signature.")
                % {"name": annex.original_name}
            )
    purpose = _summary(gettext_noop("Issued as %(symbol)s."), symbol=document.number_symbol)
    try:
        sealed = signing.sign_pdf(
            actor,
            data,
            certificate=seal,
            level=signing.Level.B_T,
            appearance=digital_signatures.seal_appearance(bytes(seal.image)),
            reason="Đóng dấu",
            purpose=purpose,
        )
        numbered = signing.sign_pdf(
            actor,
            sealed,
            certificate=seal,
            level=signing.Level.B_LT,
            appearance=digital_signatures.number_appearance(document),
            reason="Phát hành",
            purpose=purpose,
        )
        signed_annexes = [
            signing.sign_pdf(
                actor,
                digital_signatures.read(annex),
                certificate=seal,
                level=signing.Level.B_LT,
                appearance=digital_signatures.annex_appearance(document, now),
                reason="Phát hành",
                purpose=purpose,
            )
            for annex in annexes
        ]
    except (ValidationError, PermissionDenied) as error:
        raise _certificate_refusal(error) from error
    old_names: list[str] = []
    for attachment, content in [(main, numbered), *zip(annexes, signed_annexes, strict=True)]:
        stored = files.store(
            ContentFile(content, name=attachment.original_name), name=attachment.original_name
        )
        produced.append(stored)
        old_names.append(attachment.stored_name)
        Attachment.objects.filter(pk=attachment.pk).update(
            stored_name=stored.stored_name, size=stored.size, sha256=stored.sha256
        )

    def forget_old() -> None:
        for name in old_names:
            files.delete_stored(name)

    transaction.on_commit(forget_old)


def issue(actor: Any, document: Document) -> Document:
    """The clerk issues an approved document: number and symbol per Decree 30, the date, the
    identifier, and its line in the outgoing register. Where digital signing applies, the
    organisation's seal and its signature with the number and date go onto the signed PDF,
    and its signature onto each annex (``digital_signatures``)."""
    produced: list[files.StoredFile] = []
    try:
        return _issue(actor, document, produced)
    except Exception:
        _forget([("main", item) for item in produced])
        raise


@transaction.atomic
def _issue(actor: Any, document: Document, produced: list[files.StoredFile]) -> Document:
    _require(actor, PERM_REGISTER, document)
    document = _lock(document)
    _require_status(document, Status.APPROVED)
    digital = digital_signatures.applies(document)
    if (
        digital
        and document.signed_at is None
        and digital_signatures.is_pdf(digital_signatures.final_file(document))
    ):
        raise ValidationError(_("The signer has not signed the document yet."))
    for hook in _before_issue:
        hook(actor, document)
    now = timezone.now()
    local = timezone.localtime(now)
    key = numbering.outgoing_series(
        document.document_type, legal_normative=document.legal_normative, secrecy=document.secrecy
    )
    number = numbering.format_number(numbering.draw(document.agency_id, local.year, key))
    document.series_key = key
    document.issued_year = local.year
    document.number = number
    document.notation = numbering.issued_notation(document)[:30]
    document.number_symbol = numbering.number_symbol(
        number, document.notation, year=local.year if document.legal_normative else None
    )
    document.document_date = local.date()
    document.issued_at = now
    document.issued_by = actor if getattr(actor, "is_authenticated", False) else None
    document.identifier = f"{document.agency.code}.{local.year}.{document.pk}"
    document.status = Status.ISSUED
    document.search_text = _search_text(document)
    _hold(document, unit=document.agency_id, user=document.issued_by)
    if document.signed_at is not None:
        # Signed digitally: it leaves only with the seal and the organisation's signature.
        _seal(actor, document, now, produced)
    if document.page_count is None:
        # The register's "pages" column: the issued file's, when it was counted.
        final = digital_signatures.main_file(document) or digital_signatures.final_file(document)
        if final is not None and final.page_count:
            document.page_count = final.page_count
    document.save()
    event = _event(
        document,
        EventKind.ISSUED,
        actor=actor,
        data={"number_symbol": document.number_symbol, "series": key},
    )
    if document.replaces is not None:
        _event(
            document.replaces,
            EventKind.REPLACED,
            actor=actor,
            data={"replacement": document.pk},
            message=document.number_symbol,
        )
    _audit(
        "issue",
        actor,
        document,
        _summary(gettext_noop("Issued as %(symbol)s."), symbol=document.number_symbol),
    )
    transaction.on_commit(lambda: _schedule(document, event))
    return document


def is_internal(recipient: Agency | None, issuer: Agency) -> bool:
    """A recipient inside the issuing agency's own tree receives through this system; any
    other goes through the inter-agency exchange (or on paper)."""
    if recipient is None:
        return False
    root = issuer
    while root.parent is not None:
        root = root.parent
    return recipient.pk in with_units({root.pk})


def dispatch(actor: Any, document: Document, *, on_paper: Sequence[int] = ()) -> Document:
    """Send an issued document to its recipients (same or next working day; urgent at once).

    Internal recipients get it in their own register's arrivals at once; external ones go to
    the inter-agency exchange, or on paper for those listed in ``on_paper`` (delivery ids).
    A classified document never leaves the agency electronically: the attempt is refused and
    audited."""
    _require(actor, PERM_REGISTER, document)
    refused = _classified_leaving(document, on_paper)
    if refused:
        with transaction.atomic():
            _event(
                document,
                EventKind.DISPATCH_REFUSED,
                actor=actor,
                data={"deliveries": [d.pk for d in refused]},
            )
            _audit(
                "dispatch_refused",
                actor,
                document,
                _summary(
                    gettext_noop(
                        "Refused: classified %(number)s may not leave the agency "
                        "electronically (%(names)s)."
                    ),
                    number=document.reference,
                    names="; ".join(d.recipient_name for d in refused),
                ),
            )
        raise PermissionDenied(
            _(
                "A classified document is never sent outside the agency electronically: send it "
                "on paper to %(names)s."
            )
            % {"names": "; ".join(d.recipient_name for d in refused)}
        )
    return _dispatch(actor, document, set(on_paper))


def _classified_leaving(document: Document, on_paper: Sequence[int]) -> list[Delivery]:
    if document.secrecy == Secrecy.NONE:
        return []
    return [
        delivery
        for delivery in document.deliveries.select_related("recipient").filter(
            status=DeliveryStatus.QUEUED
        )
        if delivery.pk not in set(on_paper) and not is_internal(delivery.recipient, document.agency)
    ]


@transaction.atomic
def _dispatch(actor: Any, document: Document, on_paper: set[int]) -> Document:
    document = _lock(document)
    _require_status(document, Status.ISSUED)
    deliveries = list(
        document.deliveries.select_related("recipient").filter(status=DeliveryStatus.QUEUED)
    )
    if not deliveries:
        raise ValidationError(_("Name at least one recipient before dispatching."))
    if _classified_leaving(document, list(on_paper)):
        raise PermissionDenied(
            _("A classified document is never sent outside the agency electronically.")
        )
    now = timezone.now()
    external: list[Delivery] = []
    for delivery in deliveries:
        if delivery.pk in on_paper:
            delivery.channel = Channel.PAPER
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = now
        elif is_internal(delivery.recipient, document.agency):
            delivery.channel = Channel.INTERNAL
            delivery.status = DeliveryStatus.DELIVERED
            delivery.sent_at = delivery.delivered_at = now
            _deliver_internally(actor, document, delivery)
        else:
            delivery.channel = Channel.EXCHANGE
            delivery.status = DeliveryStatus.QUEUED
            external.append(delivery)
        delivery.attempts += 1
        delivery.save(update_fields=["channel", "status", "sent_at", "delivered_at", "attempts"])
    document.status = Status.DISPATCHED
    _hold(document, unit=document.agency_id)
    document.save(update_fields=["status", *HOLD_FIELDS, "updated_at"])
    _event(
        document,
        EventKind.DISPATCHED,
        actor=actor,
        data={
            "internal": [d.pk for d in deliveries if d.channel == Channel.INTERNAL],
            "exchange": [d.pk for d in external],
            "paper": [d.pk for d in deliveries if d.channel == Channel.PAPER],
        },
    )
    _audit(
        "dispatch",
        actor,
        document,
        _summary(
            gettext_noop("%(symbol)s dispatched to %(n)d recipients."),
            symbol=document.number_symbol,
            n=len(deliveries),
        ),
    )

    def after() -> None:
        _schedule(document)
        send = _external_channel.get(Channel.EXCHANGE)
        for delivery in external:
            if send is None:
                logger.info(
                    "documents: delivery %s waits for the inter-agency exchange", delivery.pk
                )
                continue
            send(delivery)

    transaction.on_commit(after)
    return document


def _deliver_internally(actor: Any, source: Document, delivery: Delivery) -> Document:
    """The recipient's copy: an incoming document in its register, waiting to be registered."""
    assert delivery.recipient is not None
    now = timezone.now()
    copy = Document(
        direction=Direction.INCOMING,
        agency=delivery.recipient,
        status=Status.RECEIVED,
        document_type=source.document_type,
        legal_normative=source.legal_normative,
        number=source.number,
        notation=source.notation,
        number_symbol=source.number_symbol,
        document_date=source.document_date,
        issuer=source.agency,
        issuer_name=source.issuer_name,
        summary=source.summary,
        content=source.content,
        urgency=source.urgency,
        secrecy=source.secrecy,
        page_count=source.page_count,
        signer_name=source.signer_name,
        signer_position=source.signer_position,
        identifier=source.identifier,
        secret_roles=source.secret_roles or (",clerk,leader," if source.secrecy else ""),
        received_at=now,
        channel=Channel.INTERNAL,
        source_delivery=delivery,
    )
    _hold(copy, unit=delivery.recipient)
    _save_new(copy)
    Attachment.objects.bulk_create(
        [
            Attachment(
                document=copy,
                kind=item.kind,
                stored_name=item.stored_name,
                original_name=item.original_name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                page_count=item.page_count,
                text=item.text,
                uploaded_by=item.uploaded_by,
                uploaded_at=now,
            )
            for item in source.attachments.exclude(kind=AttachmentKind.DRAFT)
        ]
    )
    event = _event(
        copy,
        EventKind.RECEIVED,
        actor=actor,
        data={"from_document": source.pk, "delivery": delivery.pk},
    )
    _event(
        source,
        EventKind.DELIVERED,
        actor=actor,
        data={"delivery": delivery.pk, "recipient": delivery.recipient_id, "copy": copy.pk},
        message=delivery.recipient_name,
    )
    transaction.on_commit(lambda: _schedule(copy, event))
    return copy


@transaction.atomic
def record_delivery(delivery: Delivery, *, status: str, error: str = "") -> Delivery:
    """A channel (the inter-agency exchange) reports what became of an external delivery."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    now = timezone.now()
    delivery.status = status
    delivery.error = error[:2000]
    if status == DeliveryStatus.SENT:
        delivery.sent_at = now
    elif status == DeliveryStatus.DELIVERED:
        delivery.delivered_at = now
    elif status == DeliveryStatus.READ:
        delivery.read_at = now
    elif status == DeliveryStatus.REGISTERED:
        delivery.registered_at = now
    delivery.save()
    document = delivery.document
    kinds: dict[str, str] = {
        DeliveryStatus.DELIVERED: EventKind.DELIVERED,
        DeliveryStatus.READ: EventKind.READ,
        DeliveryStatus.REGISTERED: EventKind.RECEIPT,
    }
    kind = kinds.get(status, EventKind.UPDATED)
    _event(
        document,
        kind,
        data={"delivery": delivery.pk, "status": status},
        message=delivery.recipient_name,
    )
    _audit(
        "record_delivery",
        None,
        document,
        _summary(
            gettext_noop("Delivery to %(name)s: %(status)s."),
            name=delivery.recipient_name,
            status=DeliveryStatus(status).label,
        ),
    )
    return delivery


@transaction.atomic
def mark_sent_on_paper(actor: Any, delivery: Delivery) -> Delivery:
    """The clerk posted the paper copy of a delivery still waiting for its channel."""
    _require(actor, PERM_REGISTER, delivery.document)
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.QUEUED or delivery.document.status != Status.DISPATCHED:
        raise ValidationError(_("This delivery is not waiting to be sent."))
    delivery.channel = Channel.PAPER
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["channel", "status", "sent_at"])
    _event(
        delivery.document,
        EventKind.DISPATCHED,
        actor=actor,
        data={"paper": [delivery.pk]},
        message=delivery.recipient_name,
    )
    _audit(
        "mark_sent_on_paper",
        actor,
        delivery.document,
        _summary(gettext_noop("Sent on paper to %(name)s."), name=delivery.recipient_name),
    )
    return delivery


@transaction.atomic
def recall(actor: Any, document: Document, *, reason: str) -> Document:
    """The issuer recalls a dispatched document: every copy is frozen and marked recalled."""
    if actor is not None and not (
        permissions.can(actor, PERM_SIGN) or permissions.can(actor, PERM_REGISTER)
    ):
        raise PermissionDenied(_("Only the issuing organisation's leader or clerk recalls it."))
    _require(actor, queries.PERM_VIEW, document)
    document = _lock(document)
    _require_status(document, Status.ISSUED, Status.DISPATCHED)
    reason = _clean_text(reason, "reason", max_length=2000)
    now = timezone.now()
    document.status = Status.RECALLED
    document.recalled_at = now
    document.recall_reason = reason
    document.save(update_fields=["status", "recalled_at", "recall_reason", "updated_at"])
    deliveries = list(document.deliveries.exclude(status=DeliveryStatus.RECALLED))
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=DeliveryStatus.RECALLED, recalled_at=now
    )
    copies = list(
        Document.objects.select_for_update().filter(source_delivery__in=[d.pk for d in deliveries])
    )
    for copy in copies:
        Task.objects.filter(document=copy, status=TaskStatus.OPEN).update(
            status=TaskStatus.CANCELLED
        )
        copy.status = Status.RECALLED
        copy.recalled_at = now
        copy.recall_reason = reason
        copy.save(update_fields=["status", "recalled_at", "recall_reason", "updated_at"])
        _event(
            copy,
            EventKind.RECALLED,
            actor=actor,
            message=reason,
            data={"from_document": document.pk},
        )
    _event(
        document,
        EventKind.RECALLED,
        actor=actor,
        message=reason,
        data={"copies": [c.pk for c in copies]},
    )
    _audit(
        "recall",
        actor,
        document,
        _summary(
            gettext_noop("%(symbol)s recalled; %(n)d copies frozen."),
            symbol=document.number_symbol,
            n=len(copies),
        ),
    )

    def after() -> None:
        _schedule(document)
        for copy in copies:
            _schedule(copy)

    transaction.on_commit(after)
    return document
