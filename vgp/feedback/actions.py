"""The only code that changes citizen submissions (see the lifecycle in ``models.py``).

Each action checks the actor's permission, runs in one transaction, locks the item it changes
(``select_for_update``), writes the item's :class:`Event` and an audit record in that
transaction, and sends e-mails after commit. The form, the tracking page, the API, the admin
and the scheduled jobs call these functions; none of them saves a feedback model.

Who may act (ADR 0012):

- portal reception (``receive``): classify, route, reject, merge, ask the citizen — on items
  still at reception;
- the handling agency's staff, each within their agency and its units: a clerk accepts or
  returns (``accept``), a unit head assigns a handler (``assign``), the handler drafts and may
  ask the citizen (``handle``), a leader approves and sends the reply or extends the deadline
  (``approve``).

A denunciation's submitter is known only to those handling it (:func:`may_see_identity`);
every reading of it is audited (:func:`reveal_identity`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vgp.accounts import permissions
from vgp.accounts.roles import Role
from vgp.agencies.models import Agency, AgencyKind, with_units
from vgp.audit.trail import record, record_many
from vgp.core import request_context
from vgp.search.analysis import fold
from vgp.signatures import publishing
from vgp.signatures.models import PublicationKind
from vgp.workdays.deadlines import add_working_days

from . import attachments, deadlines, redaction, reply_letter, rules
from .models import (
    Attachment,
    Channel,
    Event,
    EventKind,
    FeedbackItem,
    InformationRequest,
    Intake,
    Kind,
    Sector,
    Status,
)

logger = logging.getLogger(__name__)

PERM_VIEW = "feedback.view_feedbackitem"
PERM_RECEIVE = "feedback.receive_feedbackitem"
PERM_ACCEPT = "feedback.accept_feedbackitem"
PERM_ASSIGN = "feedback.assign_feedbackitem"
PERM_HANDLE = "feedback.handle_feedbackitem"
PERM_APPROVE = "feedback.approve_feedbackitem"

# Tracking codes: 12 characters of Crockford's base 32 (no I, L, O, U), about 60 bits.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class IdempotencyConflict(ValidationError):
    """The idempotency key was used before for a different submission."""


@dataclass
class Submission:
    """What a citizen (or an agency's system) submits; the form and the API fill it."""

    kind: str
    name: str
    title: str
    content: str
    email: str = ""
    phone: str = ""
    address: str = ""
    province: Agency | None = None
    id_number: str = ""
    sector: Sector | None = None
    concerned_agency: Agency | None = None
    consent_to_publish: bool = False
    files: Sequence[UploadedFile] = field(default_factory=list)

    def digest(self) -> str:
        # Field by field rather than dataclasses.asdict, which deep-copies the agencies.
        facts: dict[str, Any] = {
            f.name: getattr(self, f.name) for f in fields(self) if f.name != "files"
        }
        facts["province"] = self.province.pk if self.province else None
        facts["sector"] = self.sector.pk if self.sector else None
        facts["concerned_agency"] = self.concerned_agency.pk if self.concerned_agency else None
        facts["files"] = [(f.name, f.size) for f in self.files]
        return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


# --- helpers ----------------------------------------------------------------------------


def _summary(message: str, **params: Any) -> str:
    """Audit summaries are data: written in the installation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % params


def _lock(item: FeedbackItem) -> FeedbackItem:
    return FeedbackItem.objects.select_for_update().get(pk=item.pk)


def _require_status(item: FeedbackItem, *allowed: Status) -> None:
    if item.status not in allowed:
        raise ValidationError(
            _("This submission is now “%(status)s”: that step is no longer possible.")
            % {"status": item.get_status_display()}
        )


def _require(actor: Any, perm: str) -> None:
    if actor is None:
        return
    permissions.require(actor, perm)


def _require_agency(actor: Any, perm: str, item: FeedbackItem) -> None:
    """``perm`` on an item held by the actor's agency (or one of its units)."""
    if actor is None:
        return
    permissions.require(actor, perm)
    if permissions.is_nationwide(actor):
        return
    if item.agency_id is None or item.agency_id not in permissions.agency_ids_of(actor):
        raise PermissionDenied(_("This submission is handled by another agency."))


def _event(
    item: FeedbackItem,
    kind: EventKind,
    *,
    actor: Any = None,
    public: bool = False,
    message: str = "",
    agency: Agency | None = None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Event:
    return Event.objects.create(
        item=item,
        kind=kind,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        agency=agency,
        public=public,
        message=message,
        data=data or {},
    )


def _audit(action: str, actor: Any, item: FeedbackItem, summary: str, **changes: Any) -> None:
    # Never the submitter's identity: the audit trail is read by auditors, and a denouncer's
    # name must stay with those handling the case.
    record(
        action=f"feedback.{action}",
        actor=actor,
        obj=item,
        object_repr=item.code,
        summary=summary,
        changes={key: list(value) for key, value in changes.items()},
    )


def _notify(item: FeedbackItem, message: str) -> None:
    from . import notifications

    item_id = item.pk
    transaction.on_commit(lambda: notifications.enqueue_citizen_message(item_id, message))


def _new_code() -> str:
    # 60 random bits, 5 to a character (one read of the system's random source, not twelve).
    number = int.from_bytes(secrets.token_bytes(8), "big") >> 4
    raw = "".join(_CODE_ALPHABET[(number >> shift) & 31] for shift in range(55, -1, -5))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def suggest_rule(
    kind: str, sector_id: int | None, province_id: int | None
) -> rules.RoutingRuleFacts | None:
    """The routing rule that applies: the most specific match, then the lowest priority."""
    best: tuple[int, int, int] | None = None
    chosen: rules.RoutingRuleFacts | None = None
    for rule in rules.current().routing:
        if rule.kind and rule.kind != kind:
            continue
        if rule.sector_id and rule.sector_id != sector_id:
            continue
        if rule.province_id and rule.province_id != province_id:
            continue
        rank = (-rule.specificity, rule.priority, rule.pk)
        if best is None or rank < best:
            best, chosen = rank, rule
    return chosen


def suggest_agency(kind: str, sector_id: int | None, province_id: int | None) -> Agency | None:
    """The competent agency by the routing rules."""
    rule = suggest_rule(kind, sector_id, province_id)
    return Agency.objects.filter(pk=rule.agency_id).first() if rule else None


def _validate(data: Submission) -> None:
    errors: dict[str, str] = {}
    if data.kind not in Kind.values:
        errors["kind"] = _("Choose what kind of submission this is.")
    if not data.name.strip():
        errors["name"] = _("Enter your full name.")
    if not data.email.strip() and not normalise_phone(data.phone):
        errors["email"] = _("Give an email address or a telephone number so we can reply.")
    elif data.email.strip():
        try:
            validate_email(data.email.strip())
        except ValidationError:
            errors["email"] = _("Enter an email address such as ten@example.vn.")
    if data.phone.strip() and not 9 <= len(normalise_phone(data.phone)) <= 11:
        errors["phone"] = _("Enter a telephone number of 10 digits, e.g. 0912 345 678.")
    if data.id_number and not re.fullmatch(r"\d{9}|\d{12}", data.id_number.strip()):
        errors["id_number"] = _("An identity card number has 12 digits (or 9 for old cards).")
    if not data.title.strip():
        errors["title"] = _("Enter a short title.")
    if len(data.content.strip()) < 20:
        errors["content"] = _("Describe the matter in at least 20 characters.")
    if data.province is not None and data.province.kind != AgencyKind.PROVINCE:
        errors["province"] = _("Choose a province or centrally-run city.")
    if errors:
        raise ValidationError(errors)


def _checked_files(files: Sequence[UploadedFile]) -> list[attachments.CheckedFile]:
    try:
        return attachments.check_uploads(list(files))
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from error


def _attach(
    item: FeedbackItem,
    files: Sequence[UploadedFile],
    checked: list[attachments.CheckedFile],
    stored: list[str],
    at: dt.datetime,
    request: InformationRequest | None = None,
) -> None:
    """Store the checked files and their rows; ``stored`` collects the names, so the caller
    can delete the files if the transaction rolls back."""
    for upload, facts in zip(files, checked, strict=True):
        name = attachments.store(upload, facts)
        stored.append(name)
        Attachment.objects.create(
            item=item,
            information_request=request,
            stored_name=name,
            original_name=facts.original_name,
            content_type=facts.content_type,
            size=facts.size,
            sha256=facts.sha256,
            uploaded_at=at,
        )


def _search_text(item: FeedbackItem) -> str:
    return fold(" ".join([item.public_title, item.public_content, item.public_reply]))


# --- intake -----------------------------------------------------------------------------
# Two steps (ADR 0013). ``receive`` checks a submission, stores its files and writes one
# Intake row: the citizen has a tracking code and nothing is lost. ``register_intakes`` turns
# received rows into items (the item, its first event, its audit record, the e-mail) in
# batches, in a background task soon after; ``submit`` does both at once (the portal's form).

INTAKE_BATCH = 200
INTAKE_MAX_ATTEMPTS = 5


def submit(
    data: Submission,
    *,
    channel: str = Channel.WEB,
    api_key: Any = None,
    idempotency_key: str = "",
) -> tuple[FeedbackItem, bool]:
    """Receive and register a submission at once; returns ``(item, created)``.

    With an ``idempotency_key`` a retry of the same submission returns the item already
    created (``created`` is False); the same key with different content is refused.
    """
    with transaction.atomic():
        intake, created = receive(
            data,
            channel=channel,
            api_key=api_key,
            idempotency_key=idempotency_key,
            enqueue=False,
        )
        return register_intake(intake), created


def receive(
    data: Submission,
    *,
    channel: str = Channel.WEB,
    api_key: Any = None,
    idempotency_key: str = "",
    enqueue: bool = True,
) -> tuple[Intake, bool]:
    """Check a submission, store its files and record it; returns ``(intake, created)``.

    The tracking code is drawn here. The item is made by :func:`register_intakes` (a task
    enqueued after commit) or by :func:`register_intake`. A retry with the same
    ``idempotency_key`` and the same content returns the first intake (``created`` False);
    with other content it raises :class:`IdempotencyConflict`. ``enqueue=False``: the caller
    registers it itself.
    """
    _validate(data)
    checked = _checked_files(data.files)
    scope = f"api{api_key.pk}" if api_key is not None else "web"
    key = f"{scope}:{idempotency_key}" if idempotency_key else None
    digest = data.digest()
    now = timezone.now()
    limits = deadlines.limits_for(data.kind, data.sector.pk if data.sector else None)
    stored: list[str] = []
    try:
        files = [
            {**_stored_file(upload, facts, stored), "uploaded_at": now.isoformat()}
            for upload, facts in zip(data.files, checked, strict=True)
        ]
        intake = Intake(
            kind=data.kind,
            channel=channel,
            api_key=api_key,
            idempotency_key=key,
            submission_digest=digest,
            payload=_payload(data, files),
            origin=_origin(),
            received_at=now,
            routing_due=deadlines.routing_due(now, limits),
        )
        # No look-up first: a retry is rare, and the unique key refuses its insert.
        for _attempt in range(5):
            intake.code = _new_code()
            try:
                _insert(intake)
                break
            except IntegrityError:
                if key and Intake.objects.filter(idempotency_key=key).exists():
                    raise
                intake.pk = None
        else:  # pragma: no cover - 5 collisions in 2**60 codes
            raise RuntimeError("could not draw a free tracking code")
    except IntegrityError:
        for name in stored:
            attachments.delete_stored(name)
        existing = Intake.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return _replay(existing, digest), False
    except BaseException:
        for name in stored:
            attachments.delete_stored(name)
        raise
    if enqueue:
        transaction.on_commit(_kick_registration)
    return intake, True


def _insert(intake: Intake) -> None:
    if transaction.get_connection().in_atomic_block:
        # In a savepoint: a refused insert leaves the caller's transaction usable.
        with transaction.atomic():
            intake.save(force_insert=True)
    else:
        # One statement, committed by itself (no BEGIN and COMMIT round trips).
        intake.save(force_insert=True)


def _replay(existing: Intake, digest: str) -> Intake:
    if existing.submission_digest != digest:
        raise IdempotencyConflict(
            _("This Idempotency-Key was already used for a different submission.")
        )
    return existing


def _stored_file(
    upload: UploadedFile, facts: attachments.CheckedFile, stored: list[str]
) -> dict[str, Any]:
    name = attachments.store(upload, facts)
    stored.append(name)
    return {
        "stored_name": name,
        "original_name": facts.original_name,
        "content_type": facts.content_type,
        "size": facts.size,
        "sha256": facts.sha256,
    }


def _payload(data: Submission, files: list[dict[str, Any]]) -> dict[str, Any]:
    """What the item is made of, as JSON: the submission's fields cleaned, ids for rows."""
    return {
        "name": data.name.strip(),
        "email": data.email.strip(),
        "phone": data.phone.strip(),
        "address": data.address.strip(),
        "province": data.province.pk if data.province else None,
        "id_number": data.id_number.strip(),
        "title": data.title.strip(),
        "content": data.content.strip(),
        "sector": data.sector.pk if data.sector else None,
        "concerned_agency": data.concerned_agency.pk if data.concerned_agency else None,
        "consent_to_publish": data.consent_to_publish and data.kind != Kind.DENUNCIATION,
        "files": files,
    }


def _origin() -> dict[str, Any]:
    """Who sent it, for the audit record written when it is registered (perhaps by a task)."""
    context = request_context.current()
    if context is None:
        return {}
    return {
        "ip": context.ip,
        "user_agent": context.user_agent,
        "via": context.via,
        "actor_label": context.actor_label,
        "agency_code": context.agency_code,
    }


_last_kick = 0.0


def _kick_registration() -> None:
    """Enqueue the registration task, at most once per ``FEEDBACK_INTAKE_KICK_SECONDS`` in this
    process: one run registers everything received until then. A failure to enqueue loses
    nothing (the scheduler's sweep runs the task every minute), so it is logged, not raised."""
    global _last_kick
    now = time.monotonic()
    if now - _last_kick < settings.FEEDBACK_INTAKE_KICK_SECONDS:
        return
    _last_kick = now
    from .tasks import register_feedback_intakes

    try:
        register_feedback_intakes.enqueue()
    except Exception:
        logger.exception("Could not enqueue the registration of received submissions")


@dataclass
class RegistrationReport:
    registered: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"registered": len(self.registered), "failed": self.failed}


def register_intakes(*, batch: int = INTAKE_BATCH, max_seconds: float = 50.0) -> RegistrationReport:
    """Register received submissions, oldest first, ``batch`` to a transaction, until none is
    left or ``max_seconds`` have passed. Rows another worker holds are skipped. A row that
    fails is left pending with its error and tried again on the next run, at most
    ``INTAKE_MAX_ATTEMPTS`` times; after that it waits for the IT centre (``/healthz`` and
    ``manage.py feedback_register`` show it)."""
    report = RegistrationReport()
    started = time.monotonic()
    failed_now: list[int] = []  # tried once in this run is enough
    while time.monotonic() - started < max_seconds:
        failures: list[tuple[int, str]] = []
        with transaction.atomic():
            rows = list(
                Intake.objects.select_for_update(skip_locked=True)
                .filter(item__isnull=True, attempts__lt=INTAKE_MAX_ATTEMPTS)
                .exclude(pk__in=failed_now)
                .order_by("id")[:batch]
            )
            if not rows:
                break
            try:
                # The whole batch at once: a few statements for all its rows.
                with transaction.atomic():
                    _register(rows)
                report.registered += [intake.code for intake in rows]
                rows_alone: list[Intake] = []
            except Exception:
                # One of them fails: each in its own savepoint, to find which.
                rows_alone = rows
            for intake in rows_alone:
                try:
                    with transaction.atomic():
                        _register([intake])
                    report.registered.append(intake.code)
                except Exception as error:
                    logger.exception("Could not register the submission %s", intake.code)
                    failures.append((intake.pk, f"{type(error).__name__}: {error}"))
                    report.failed.append(intake.code)
        for pk, message in failures:
            failed_now.append(pk)
            Intake.objects.filter(pk=pk).update(
                attempts=models.F("attempts") + 1, last_error=message[:2000]
            )
        if len(rows) < batch:
            break
    return report


def intake_backlog() -> dict[str, Any]:
    """What waits for registration: rows still to try, rows given up on (``failed``, after
    ``INTAKE_MAX_ATTEMPTS``), and the age of the oldest waiting row in seconds."""
    waiting = Intake.objects.filter(item__isnull=True)
    oldest = waiting.order_by("id").values_list("received_at", flat=True).first()
    return {
        "pending": waiting.filter(attempts__lt=INTAKE_MAX_ATTEMPTS).count(),
        "failed": waiting.filter(attempts__gte=INTAKE_MAX_ATTEMPTS).count(),
        "oldest_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else None,
    }


def intake_stalled(backlog: dict[str, Any]) -> bool:
    """Has a submission waited longer than ``FEEDBACK_INTAKE_STALL_SECONDS`` (no worker is
    registering)? ``backlog`` as :func:`intake_backlog` gives it."""
    oldest = backlog["oldest_seconds"]
    return (
        bool(backlog["pending"])
        and oldest is not None
        and oldest > settings.FEEDBACK_INTAKE_STALL_SECONDS
    )


def retry_failed_intakes() -> int:
    """Give the rows given up on new attempts (once the IT centre fixed the cause); the next
    registration run takes them. Returns how many."""
    failed = Intake.objects.filter(item__isnull=True, attempts__gte=INTAKE_MAX_ATTEMPTS)
    return failed.update(attempts=0)


def register_intake(intake: Intake) -> FeedbackItem:
    """The item of this intake, registering it now if no worker has yet (the tracking page,
    the portal's form)."""
    if intake.item_id is not None:
        return intake.item  # type: ignore[return-value]
    with transaction.atomic():
        locked = Intake.objects.select_for_update().get(pk=intake.pk)
        if locked.item_id is None:
            _register([locked])
        intake.item_id, intake.registered_at = locked.item_id, locked.registered_at
    return FeedbackItem.objects.get(intake=intake)


def _register(intakes: list[Intake]) -> None:
    """The items of these intakes, their attachments, their first events and their audit
    records; the e-mails after commit. Runs in the caller's transaction with the intake rows
    locked; a few statements for the whole list (one per audit record)."""
    now = timezone.now()
    items = [_item_of(intake) for intake in intakes]
    FeedbackItem.objects.bulk_create(items)
    Attachment.objects.bulk_create(
        [
            Attachment(
                item=item,
                stored_name=file["stored_name"],
                original_name=file["original_name"],
                content_type=file["content_type"],
                size=file["size"],
                sha256=file["sha256"],
                uploaded_at=dt.datetime.fromisoformat(file["uploaded_at"]),
            )
            for intake, item in zip(intakes, items, strict=True)
            for file in intake.payload["files"]
        ]
    )
    Event.objects.bulk_create(
        [
            Event(
                item=item,
                kind=EventKind.SUBMITTED,
                at=intake.received_at,
                public=True,
                data={"channel": intake.channel},
            )
            for intake, item in zip(intakes, items, strict=True)
        ]
    )
    # Never the submitter's identity in the audit trail (see _audit); the request's facts as
    # recorded at receipt, so the record names the API key and its agency.
    record_many(
        [
            {
                "action": "feedback.submit",
                "obj": item,
                "object_repr": item.code,
                "summary": _summary(
                    "Submission %(code)s received (%(kind)s) through %(channel)s.",
                    code=item.code,
                    kind=Kind(item.kind).label,
                    channel=Channel(item.channel).label,
                ),
                "context": _context_of(intake),
            }
            for intake, item in zip(intakes, items, strict=True)
        ]
    )
    for intake, item in zip(intakes, items, strict=True):
        intake.item, intake.registered_at, intake.last_error = item, now, ""
        # The item holds the submission now: no second copy of the citizen's personal data (a
        # denouncer's name above all) stays behind in the receipt log.
        intake.payload = {}
    Intake.objects.bulk_update(intakes, ["item", "registered_at", "last_error", "payload"])
    from . import notifications

    for item in items:
        _notify(item, notifications.RECEIVED)


def _item_of(intake: Intake) -> FeedbackItem:
    data = intake.payload
    rule = suggest_rule(intake.kind, data["sector"], data["province"])
    return FeedbackItem(
        code=intake.code,
        kind=intake.kind,
        status=Status.RECEIVED,
        channel=intake.channel,
        api_key_id=intake.api_key_id,
        idempotency_key=intake.idempotency_key,
        submission_digest=intake.submission_digest,
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        address=data["address"],
        province_id=data["province"],
        id_number=data["id_number"],
        contact_email=normalise_email(data["email"]),
        contact_phone=normalise_phone(data["phone"]),
        title=data["title"],
        content=data["content"],
        sector_id=data["sector"],
        concerned_agency_id=data["concerned_agency"],
        consent_to_publish=data["consent_to_publish"],
        suggested_agency_id=rule.agency_id if rule else None,
        received_at=intake.received_at,
        routing_due=intake.routing_due,
    )


def _context_of(intake: Intake) -> request_context.RequestContext | None:
    """The request the intake arrived in, as far as the audit trail needs it."""
    origin = intake.origin
    if not origin:
        return request_context.current()
    return request_context.RequestContext(
        ip=origin.get("ip"),
        user_agent=origin.get("user_agent", ""),
        via=origin.get("via", "task"),
        actor_label=origin.get("actor_label", ""),
        agency_code=origin.get("agency_code", ""),
    )


# --- reception --------------------------------------------------------------------------


@transaction.atomic
def classify(
    actor: Any, item: FeedbackItem, *, kind: str, sector: Sector | None, remote_area: bool = False
) -> FeedbackItem:
    _require(actor, PERM_RECEIVE)
    item = _lock(item)
    _require_status(item, Status.RECEIVED)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    before = (item.kind, item.sector_id, item.remote_area)
    item.kind, item.sector, item.remote_area = kind, sector, remote_area
    if kind == Kind.DENUNCIATION:
        item.consent_to_publish = False
    item.suggested_agency = item.suggested_agency or suggest_agency(
        kind, item.sector_id, item.province_id
    )
    item.save(
        update_fields=["kind", "sector", "remote_area", "consent_to_publish", "suggested_agency"]
    )
    _event(
        item,
        EventKind.CLASSIFIED,
        actor=actor,
        data={"kind": kind, "sector": sector.pk if sector else None},
    )
    _audit(
        "classify",
        actor,
        item,
        _summary("Submission %(code)s classified.", code=item.code),
        kind=(before[0], kind),
        sector=(before[1], item.sector_id),
    )
    return item


@transaction.atomic
def route(actor: Any, item: FeedbackItem, agency: Agency, *, note: str = "") -> FeedbackItem:
    """Send the item to the competent agency."""
    _require(actor, PERM_RECEIVE)
    item = _lock(item)
    _require_status(item, Status.RECEIVED)
    now = timezone.now()
    limits = deadlines.limits_for(item.kind, item.sector_id)
    item.status = Status.ROUTED
    item.agency = agency
    item.routed_at = now
    item.acceptance_due = deadlines.acceptance_due(now, limits)
    item.save(update_fields=["status", "agency", "routed_at", "acceptance_due"])
    _event(
        item,
        EventKind.ROUTED,
        actor=actor,
        agency=agency,
        public=True,
        message=note,
        data={"agency": agency.pk},
    )
    _audit(
        "route",
        actor,
        item,
        _summary("Submission %(code)s sent to %(agency)s.", code=item.code, agency=agency),
    )
    from . import notifications

    _notify(item, notifications.ROUTED)
    return item


@transaction.atomic
def reject(actor: Any, item: FeedbackItem, *, reason: str) -> FeedbackItem:
    _require(actor, PERM_RECEIVE)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason; the citizen will read it.")})
    item = _lock(item)
    _require_status(item, Status.RECEIVED)
    item.status = Status.REJECTED
    item.rejection_reason = reason.strip()
    item.closed_at = timezone.now()
    item.save(update_fields=["status", "rejection_reason", "closed_at"])
    _event(item, EventKind.REJECTED, actor=actor, public=True, message=item.rejection_reason)
    _audit("reject", actor, item, _summary("Submission %(code)s rejected.", code=item.code))
    from . import notifications

    _notify(item, notifications.REJECTED)
    return item


@transaction.atomic
def mark_duplicate(actor: Any, item: FeedbackItem, original: FeedbackItem) -> FeedbackItem:
    _require(actor, PERM_RECEIVE)
    if original.pk == item.pk:
        raise ValidationError({"original": _("A submission cannot duplicate itself.")})
    item = _lock(item)
    _require_status(item, Status.RECEIVED)
    if original.status == Status.DUPLICATE and original.duplicate_of_id:
        original = FeedbackItem.objects.get(pk=original.duplicate_of_id)
    item.status = Status.DUPLICATE
    item.duplicate_of = original
    item.closed_at = timezone.now()
    item.save(update_fields=["status", "duplicate_of", "closed_at"])
    _event(item, EventKind.DUPLICATE, actor=actor, public=True, data={"original": original.pk})
    _audit(
        "mark_duplicate",
        actor,
        item,
        _summary(
            "Submission %(code)s merged with %(original)s.", code=item.code, original=original.code
        ),
    )
    from . import notifications

    _notify(item, notifications.DUPLICATE)
    return item


# --- the citizen's information ----------------------------------------------------------


@transaction.atomic
def request_information(actor: Any, item: FeedbackItem, *, question: str) -> InformationRequest:
    """Ask the citizen for more; the deadline pauses until the answer (``deadlines``)."""
    if not question.strip():
        raise ValidationError({"question": _("Write the question for the citizen.")})
    item = _lock(item)
    if item.status == Status.RECEIVED:
        _require(actor, PERM_RECEIVE)
    elif item.status in (Status.ACCEPTED, Status.ASSIGNED):
        _require_agency(actor, PERM_HANDLE, item)
    else:
        _require_status(item, Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED)
    if not item.email and not item.phone:  # pragma: no cover - intake requires a contact
        raise ValidationError(_("The citizen left no contact to ask."))
    now = timezone.now()
    request = InformationRequest.objects.create(
        item=item, question=question.strip(), asked_at=now, asked_by=actor
    )
    item.resume_status = item.status
    item.status = Status.AWAITING_CITIZEN
    item.paused_at = now
    item.save(update_fields=["resume_status", "status", "paused_at"])
    _event(
        item,
        EventKind.INFO_REQUESTED,
        actor=actor,
        agency=item.agency,
        public=True,
        message=request.question,
        data={"request": request.pk},
        at=now,
    )
    _audit(
        "request_information",
        actor,
        item,
        _summary("More information asked of the submitter of %(code)s.", code=item.code),
    )
    from . import notifications

    _notify(item, notifications.INFO_REQUESTED)
    return request


def provide_information(
    item: FeedbackItem, *, answer: str, files: Sequence[UploadedFile] = ()
) -> InformationRequest:
    """The citizen's answer (the tracking page has checked the code and the contact)."""
    if not answer.strip():
        raise ValidationError({"answer": _("Write your answer.")})
    checked = _checked_files(files)
    if item.attachments.count() + len(checked) > attachments.max_count():
        raise ValidationError(
            {
                "files": _("A submission holds at most %(count)s files in all.")
                % {"count": attachments.max_count()}
            }
        )
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _answer(item, answer.strip(), files, checked, stored)
    except BaseException:
        for name in stored:
            attachments.delete_stored(name)
        raise


def _answer(
    item: FeedbackItem,
    answer: str,
    files: Sequence[UploadedFile],
    checked: list[attachments.CheckedFile],
    stored: list[str],
) -> InformationRequest:
    item = _lock(item)
    _require_status(item, Status.AWAITING_CITIZEN)
    request = item.information_requests.filter(answered_at__isnull=True).last()
    if request is None:  # pragma: no cover - the status says one is open
        raise ValidationError(_("No question is waiting for an answer."))
    now = timezone.now()
    request.answer, request.answered_at = answer, now
    request.save(update_fields=["answer", "answered_at"])
    _attach(item, files, checked, stored, now, request=request)
    paused = deadlines.paused_days(item.paused_at or now, now)
    deadlines.shift(item, paused)
    item.paused_working_days += paused
    item.status = item.resume_status or Status.RECEIVED
    item.resume_status = ""
    item.paused_at = None
    item.save(
        update_fields=[
            "status",
            "resume_status",
            "paused_at",
            "paused_working_days",
            "routing_due",
            "acceptance_due",
            "answer_due",
        ]
    )
    _event(
        item,
        EventKind.INFO_PROVIDED,
        public=True,
        message=answer,
        data={"request": request.pk, "files": len(checked), "paused_days": paused},
        at=now,
    )
    _audit(
        "provide_information",
        None,
        item,
        _summary(
            "The submitter of %(code)s answered (%(days)s working days paused).",
            code=item.code,
            days=paused,
        ),
    )
    return request


# --- the handling agency ----------------------------------------------------------------


@transaction.atomic
def accept(actor: Any, item: FeedbackItem) -> FeedbackItem:
    """The agency takes the item on (thụ lý); the answer deadline starts."""
    _require_agency(actor, PERM_ACCEPT, item)
    item = _lock(item)
    _require_status(item, Status.ROUTED)
    now = timezone.now()
    limits = deadlines.limits_for(item.kind, item.sector_id)
    item.status = Status.ACCEPTED
    item.accepted_at = now
    item.answer_due = deadlines.answer_due(
        now, limits, remote=item.remote_area, extensions=item.extensions
    )
    item.save(update_fields=["status", "accepted_at", "answer_due"])
    _event(item, EventKind.ACCEPTED, actor=actor, agency=item.agency, public=True)
    _audit("accept", actor, item, _summary("Submission %(code)s accepted.", code=item.code))
    from . import notifications

    _notify(item, notifications.ACCEPTED)
    return item


@transaction.atomic
def return_to_reception(
    actor: Any, item: FeedbackItem, *, competent_agency: Agency | None, reason: str
) -> FeedbackItem:
    """Not this agency's matter: it must say which agency is competent, and why."""
    _require_agency(actor, PERM_ACCEPT, item)
    errors = {}
    if competent_agency is None:
        errors["competent_agency"] = _("Name the agency that is competent.")
    elif competent_agency.pk == item.agency_id:
        errors["competent_agency"] = _("Name another agency than your own.")
    if not reason.strip():
        errors["reason"] = _("Explain why that agency is competent.")
    if errors:
        raise ValidationError(errors)
    assert competent_agency is not None
    item = _lock(item)
    _require_status(item, Status.ROUTED)
    returning = item.agency
    now = timezone.now()
    limits = deadlines.limits_for(item.kind, item.sector_id)
    item.status = Status.RECEIVED
    item.agency = None
    item.suggested_agency = competent_agency
    item.routing_due = deadlines.routing_due(now, limits)
    item.acceptance_due = None
    item.save(
        update_fields=["status", "agency", "suggested_agency", "routing_due", "acceptance_due"]
    )
    _event(
        item,
        EventKind.RETURNED,
        actor=actor,
        agency=returning,
        public=True,
        message=reason.strip(),
        data={"competent_agency": competent_agency.pk},
    )
    _audit(
        "return",
        actor,
        item,
        _summary(
            "Submission %(code)s returned by %(agency)s: competent is %(competent)s.",
            code=item.code,
            agency=returning,
            competent=competent_agency,
        ),
    )
    return item


def assignable_handlers(item: FeedbackItem) -> Any:
    """Officials of the handling agency (and its units) who hold the handler role."""
    from vgp.accounts.models import User

    if item.agency_id is None:
        return User.objects.none()
    from vgp.accounts.roles import group_name

    agencies = with_units({item.agency_id})
    return (
        User.objects.filter(
            is_active=True, agency_id__in=agencies, groups__name=group_name(Role.HANDLER)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def assign(actor: Any, item: FeedbackItem, handler: Any) -> FeedbackItem:
    _require_agency(actor, PERM_ASSIGN, item)
    item = _lock(item)
    _require_status(item, Status.ACCEPTED, Status.ASSIGNED)
    if not assignable_handlers(item).filter(pk=handler.pk).exists():
        raise ValidationError({"handler": _("Choose a handler of the agency handling it.")})
    before = item.handler_id
    item.status = Status.ASSIGNED
    item.handler = handler
    item.save(update_fields=["status", "handler"])
    _event(
        item,
        EventKind.ASSIGNED,
        actor=actor,
        agency=item.agency,
        public=before is None,
        data={"handler": handler.pk},
    )
    _audit(
        "assign",
        actor,
        item,
        _summary("Handler of %(code)s: %(handler)s.", code=item.code, handler=handler),
        handler=(before, handler.pk),
    )
    return item


@transaction.atomic
def draft_reply(actor: Any, item: FeedbackItem, *, text: str) -> FeedbackItem:
    _require_agency(actor, PERM_HANDLE, item)
    if len(text.strip()) < 20:
        raise ValidationError({"reply": _("Write the reply (at least 20 characters).")})
    item = _lock(item)
    _require_status(item, Status.ASSIGNED)
    if actor is not None and item.handler_id != actor.pk and not permissions.is_nationwide(actor):
        raise PermissionDenied(_("Only the assigned handler drafts the reply."))
    item.status = Status.IN_APPROVAL
    item.reply = text.strip()
    item.reply_drafted_by = actor
    item.save(update_fields=["status", "reply", "reply_drafted_by"])
    _event(item, EventKind.REPLY_DRAFTED, actor=actor, agency=item.agency)
    _audit("draft_reply", actor, item, _summary("Reply to %(code)s drafted.", code=item.code))
    return item


@transaction.atomic
def send_back(actor: Any, item: FeedbackItem, *, reason: str) -> FeedbackItem:
    _require_agency(actor, PERM_APPROVE, item)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what to change.")})
    item = _lock(item)
    _require_status(item, Status.IN_APPROVAL)
    item.status = Status.ASSIGNED
    item.save(update_fields=["status"])
    _event(item, EventKind.REPLY_SENT_BACK, actor=actor, agency=item.agency, message=reason)
    _audit("send_back", actor, item, _summary("Reply to %(code)s sent back.", code=item.code))
    return item


def approve_reply(
    actor: Any,
    item: FeedbackItem,
    *,
    reply: str | None = None,
    publish: bool = True,
    public_title: str = "",
    public_content: str = "",
) -> FeedbackItem:
    """Send the reply; publish it (personal data removed) when the citizen consented; make the
    reply letter (PDF), sealed by the agency when the signing setting says so."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _approve_reply(
                actor,
                item,
                stored,
                reply=reply,
                publish=publish,
                public_title=public_title,
                public_content=public_content,
            )
    except BaseException:
        # The row never named the letter: do not leave the file behind either.
        for name in stored:
            reply_letter.delete_stored(name)
        raise


def _approve_reply(
    actor: Any,
    item: FeedbackItem,
    stored: list[str],
    *,
    reply: str | None,
    publish: bool,
    public_title: str,
    public_content: str,
) -> FeedbackItem:
    _require_agency(actor, PERM_APPROVE, item)
    item = _lock(item)
    _require_status(item, Status.IN_APPROVAL)
    if reply is not None and reply.strip():
        item.reply = reply.strip()
    now = timezone.now()
    item.status = Status.ANSWERED
    item.answered_at = item.closed_at = now
    item.reply_approved_by = actor
    fields = ["status", "answered_at", "closed_at", "reply_approved_by", "reply"]
    published = publish and item.consent_to_publish and item.kind != Kind.DENUNCIATION
    if published:
        known = [item.name, item.email, item.phone, item.address, item.id_number]
        item.public_title = redaction.redact(public_title.strip() or item.title, known)
        item.public_content = redaction.redact(public_content.strip() or item.content, known)
        item.public_reply = redaction.redact(item.reply, known)
        item.published_at = now
        item.search_text = _search_text(item)
        fields += ["public_title", "public_content", "public_reply", "published_at", "search_text"]
    if _make_reply_letter(item, stored, now):
        fields += ["reply_letter", "reply_letter_sha256", "reply_letter_signed"]
    letter = {"letter": bool(item.reply_letter), "signed": item.reply_letter_signed}
    _event(
        item,
        EventKind.ANSWERED,
        actor=actor,
        agency=item.agency,
        public=True,
        message=item.reply,
        data=letter,
    )
    if published:
        _event(item, EventKind.PUBLISHED, actor=actor, agency=item.agency, public=True)
    item.save(update_fields=fields)
    _audit(
        "approve_reply",
        actor,
        item,
        _summary(
            "Reply to %(code)s approved and sent%(published)s.",
            code=item.code,
            published=" (published)" if item.published_at else "",
        ),
        reply_letter=(None, item.reply_letter_sha256 or None),
        reply_letter_signed=(None, item.reply_letter_signed),
    )
    from . import notifications

    _notify(item, notifications.ANSWERED)
    return item


def _make_reply_letter(item: FeedbackItem, stored: list[str], now: dt.datetime) -> bool:
    """Render the reply letter, have the agency seal it, store it and note it on ``item``.

    The reply goes out whatever happens to its letter: a letter that cannot be made (fonts
    missing, a rendering bug) is logged at ERROR and the item keeps no letter; a seal that
    cannot be applied leaves the letter unsigned (``signatures.publishing`` logs why)."""
    try:
        pdf = reply_letter.render(reply_letter.letter_for(item))
    except Exception:
        logger.exception("No reply letter for %s: the PDF could not be made.", item.code)
        return False
    signed = False
    if item.agency is not None:
        pdf, signed = publishing.sign_publication(
            PublicationKind.FEEDBACK_REPLY,
            pdf,
            agency=item.agency,
            purpose=_summary("Reply to submission %(code)s", code=item.code),
        )
    name = reply_letter.store(pdf, now)
    stored.append(name)
    item.reply_letter = name
    item.reply_letter_sha256 = hashlib.sha256(pdf).hexdigest()
    item.reply_letter_signed = signed
    return True


@transaction.atomic
def extend_deadline(
    actor: Any, item: FeedbackItem, *, reason: str, remote_area: bool = False
) -> FeedbackItem:
    """A recorded decision to extend (complex case, or a remote area recognised late)."""
    _require_agency(actor, PERM_APPROVE, item)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the legal ground for the extension.")})
    item = _lock(item)
    _require_status(item, Status.ACCEPTED, Status.ASSIGNED, Status.IN_APPROVAL)
    limits = deadlines.limits_for(item.kind, item.sector_id)
    if remote_area:
        if item.remote_area:
            raise ValidationError({"remote_area": _("The remote-area time is already counted.")})
        item.remote_area = True
    else:
        if item.extensions >= limits.max_extensions or limits.extension_days == 0:
            raise ValidationError(_("No further extension is allowed for this kind of submission."))
        item.extensions += 1
    before = item.answer_due
    assert before is not None
    extra = limits.remote_extension_days if remote_area else limits.extension_days
    item.answer_due = add_working_days(before, extra)
    item.save(update_fields=["remote_area", "extensions", "answer_due"])
    _event(
        item,
        EventKind.EXTENDED,
        actor=actor,
        agency=item.agency,
        public=True,
        message=reason.strip(),
        data={"from": before.isoformat() if before else None, "to": item.answer_due.isoformat()},
    )
    _audit(
        "extend_deadline",
        actor,
        item,
        _summary("Deadline of %(code)s extended.", code=item.code),
        answer_due=(before, item.answer_due),
    )
    return item


@transaction.atomic
def add_note(actor: Any, item: FeedbackItem, *, text: str) -> Event:
    """An internal note: never shown to the citizen."""
    if item.status == Status.RECEIVED or item.agency_id is None:
        _require(actor, PERM_RECEIVE)
    else:
        _require_agency(actor, PERM_VIEW, item)
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    event = _event(item, EventKind.NOTE, actor=actor, agency=item.agency, message=text.strip())
    _audit("note", actor, item, _summary("Note on %(code)s.", code=item.code))
    return event


# --- the denouncer's identity ------------------------------------------------------------


def may_see_identity(user: Any, item: FeedbackItem) -> bool:
    """Who may read the submitter's identity. For a denunciation (Law on Denunciations 2018,
    art. 47): reception while the item is at reception, and in the handling agency the
    assigned handler and those who assign and approve; nobody else, whatever their role."""
    if not item.is_denunciation:
        return can_view(user, item)
    if not getattr(user, "is_authenticated", False):
        return False
    at_reception = item.status == Status.RECEIVED or (
        item.status == Status.AWAITING_CITIZEN and item.resume_status == Status.RECEIVED
    )
    if at_reception and permissions.can(user, PERM_RECEIVE):
        return True
    if item.agency_id is None or item.agency_id not in permissions.agency_ids_of(user):
        return False
    if item.handler_id == user.pk and permissions.can(user, PERM_HANDLE):
        return True
    return permissions.can(user, PERM_ASSIGN) or permissions.can(user, PERM_APPROVE)


def can_view(user: Any, item: FeedbackItem) -> bool:
    """Reception follows every item; an agency's staff see the items their agency holds."""
    if not permissions.can(user, PERM_VIEW):
        return False
    if permissions.is_nationwide(user) or permissions.can(user, PERM_RECEIVE):
        return True
    return item.agency_id is not None and item.agency_id in permissions.agency_ids_of(user)


@transaction.atomic
def reveal_identity(actor: Any, item: FeedbackItem) -> dict[str, str]:
    """The submitter's identity, for someone allowed to see it; a denunciation's is audited."""
    if not may_see_identity(actor, item):
        raise PermissionDenied(_("The identity of a denouncer is protected."))
    if item.is_denunciation:
        _audit(
            "identity_viewed",
            actor,
            item,
            _summary("Identity of the denouncer of %(code)s read.", code=item.code),
        )
    return {
        "name": item.name,
        "email": item.email,
        "phone": item.phone,
        "address": item.address,
        "id_number": item.id_number,
        "province": str(item.province) if item.province_id else "",
    }
