"""Citizen feedback, petitions, complaints and denunciations (F6).

A citizen (or another agency's system, through the API) submits a :class:`FeedbackItem`. Portal
reception classifies it and routes it to the competent agency (suggested by
:class:`RoutingRule`); the agency accepts it or returns it naming the competent agency; a unit
head assigns a handler; the handler drafts the reply; a leader approves it; the reply is sent
and, with the citizen's consent, published with personal data removed. Every step is an
:class:`Event` (the citizen's timeline shows the public ones). Deadlines come from
:class:`DeadlineRule` in working days (ADR 0012).

The lifecycle (``actions.py`` is the only code that moves an item)::

    received ──route──▶ routed ──accept──▶ accepted ──assign──▶ assigned ──draft──▶ in_approval
      │  ▲                 │                                        ▲                  │
      │  └─────return──────┘                                        └──send back───────┤
      ├──reject──▶ rejected                                                            │
      └──mark_duplicate──▶ duplicate                                   answered ◀─approve┘

    received / assigned ──request_information──▶ awaiting_citizen ──citizen answers──▶ (back)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vgp.agencies.models import Agency

from . import rules


class Kind(models.TextChoices):
    FEEDBACK = "feedback", _("Feedback on administrative regulations or conduct")
    PETITION = "petition", _("Petition or proposal")
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")


KIND_SHORT = {
    Kind.FEEDBACK: _("Feedback"),
    Kind.PETITION: _("Petition"),
    Kind.COMPLAINT: _("Complaint"),
    Kind.DENUNCIATION: _("Denunciation"),
}


class Status(models.TextChoices):
    RECEIVED = "received", _("Received, being classified")
    AWAITING_CITIZEN = "awaiting_citizen", _("Waiting for the citizen's information")
    ROUTED = "routed", _("Sent to the competent agency")
    ACCEPTED = "accepted", _("Accepted by the agency")
    ASSIGNED = "assigned", _("Being handled")
    IN_APPROVAL = "in_approval", _("Reply awaiting approval")
    ANSWERED = "answered", _("Answered")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Merged with an earlier submission")


OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.AWAITING_CITIZEN,
        Status.ROUTED,
        Status.ACCEPTED,
        Status.ASSIGNED,
        Status.IN_APPROVAL,
    }
)
CLOSED_STATUSES = frozenset({Status.ANSWERED, Status.REJECTED, Status.DUPLICATE})


# Which deadline runs in which stage; none while the item waits for the citizen (its clock is
# stopped) or once it is closed. ``FeedbackItem.current_due`` and
# :func:`current_due_expression` (the same, in SQL) read this one table.
STAGE_DUE = {
    Status.RECEIVED: "routing_due",
    Status.ROUTED: "acceptance_due",
    Status.ACCEPTED: "answer_due",
    Status.ASSIGNED: "answer_due",
    Status.IN_APPROVAL: "answer_due",
}


def current_due_expression() -> models.Case:
    """``FeedbackItem.current_due`` as a database expression, to filter and sort on."""
    return models.Case(
        *[models.When(status=status, then=models.F(field)) for status, field in STAGE_DUE.items()],
        default=models.Value(None),
        output_field=models.DateField(),
    )


class Channel(models.TextChoices):
    WEB = "web", _("Portal form")
    API = "api", _("Agency system (API)")


class Sector(models.Model):
    """A field of public life an item concerns (lĩnh vực); kept by administrators."""

    name = models.CharField(_("name (Vietnamese)"), max_length=150, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("feedback sector")
        verbose_name_plural = _("feedback sectors")

    def __str__(self) -> str:
        return self.name


class _Rule(models.Model):
    """A rule read from the per-process cache of ``rules``: changing one tells every process."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        rules.changed()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        rules.changed()
        return result


class RoutingRule(_Rule):
    """Which agency is competent: the most specific matching rule wins (ADR 0012).

    A rule matches when each of its conditions that is set (kind, sector, province) equals the
    item's; among matching rules the one with most conditions wins, then the lowest priority.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.CASCADE
    )
    province = models.ForeignKey(
        Agency,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "province"},
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("competent agency"), on_delete=models.CASCADE, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Lower numbers win between equally specific rules.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.conditions_label()} → {self.agency}"

    def conditions_label(self) -> str:
        parts = [
            str(Kind(self.kind).label) if self.kind else "",
            str(self.sector) if self.sector_id else "",
            str(self.province) if self.province_id else "",
        ]
        return " · ".join(p for p in parts if p) or str(_("any submission"))

    @property
    def specificity(self) -> int:
        return sum(1 for value in (self.kind, self.sector_id, self.province_id) if value)


class DeadlineRule(_Rule):
    """Time limits of one kind (optionally one sector), in working days (STANDARDS.md §4)."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: every sector without a rule of its own."),
    )
    routing_days = models.PositiveSmallIntegerField(
        _("days to route"), default=5, help_text=_("Working days for reception to route it.")
    )
    acceptance_days = models.PositiveSmallIntegerField(
        _("days to accept"), default=10, help_text=_("Working days for the agency to accept it.")
    )
    answer_days = models.PositiveSmallIntegerField(
        _("days to answer"), help_text=_("Working days from acceptance to the reply.")
    )
    extension_days = models.PositiveSmallIntegerField(
        _("days of an extension"),
        default=0,
        help_text=_("Added by one extension for a complex case."),
    )
    remote_extension_days = models.PositiveSmallIntegerField(
        _("days added for remote areas"), default=0
    )
    max_extensions = models.PositiveSmallIntegerField(_("extensions allowed"), default=1)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        ordering = ["kind", "sector_id", "id"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "sector"], name="feedback_deadline_kind_sector_unique"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(sector__isnull=True),
                name="feedback_deadline_kind_default_unique",
            ),
        ]

    def __str__(self) -> str:
        label = str(Kind(self.kind).label)
        return f"{label} · {self.sector}" if self.sector_id else label


class FeedbackItemQuerySet(models.QuerySet["FeedbackItem"]):
    def open(self) -> FeedbackItemQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def published(self) -> FeedbackItemQuerySet:
        """Answered items the public may read: consent given, never a denunciation."""
        return self.filter(published_at__isnull=False).exclude(kind=Kind.DENUNCIATION)


class FeedbackItem(models.Model):
    """One submission, from intake to the published reply."""

    # Nothing in Wagtail's content refers to these rows: no reference-index task per save.
    wagtail_reference_index_ignore = True

    code = models.CharField(_("tracking code"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    api_key = models.ForeignKey(
        "accounts.ApiKey",
        verbose_name=_("submitted with API key"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # "<scope>:<key>": a client retrying with the same key gets the same item (ADR 0012); the
    # scope is the API key (or "web" for the form's one-time token). The digest of what was
    # submitted tells a retry from a different submission reusing the key.
    idempotency_key = models.CharField(
        max_length=160, null=True, blank=True, unique=True, editable=False
    )
    submission_digest = models.CharField(max_length=64, blank=True, editable=False)

    # Who submitted it. For a denunciation these are shown only to those handling it.
    name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    province = models.ForeignKey(
        Agency,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    id_number = models.CharField(_("identity card number"), max_length=12, blank=True)
    # Contacts in a normalised form, to match a tracking request and to rate-limit.
    contact_email = models.CharField(max_length=254, blank=True, editable=False, db_index=True)
    contact_phone = models.CharField(max_length=20, blank=True, editable=False, db_index=True)

    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT
    )
    concerned_agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency or locality concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_to_publish = models.BooleanField(_("consent to publish the reply"), default=False)

    # Who holds it now.
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("handling agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggested_agency = models.ForeignKey(
        Agency,
        verbose_name=_("suggested agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Named by an agency that returned the item, or by the routing rules."),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    # Where an item waiting for the citizen goes back to.
    resume_status = models.CharField(max_length=20, choices=Status.choices, blank=True)

    # Time.
    received_at = models.DateTimeField(_("received"), db_index=True)
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    routing_due = models.DateField(_("route by"))
    acceptance_due = models.DateField(_("accept by"), null=True, blank=True)
    answer_due = models.DateField(_("answer by"), null=True, blank=True)
    paused_at = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    paused_working_days = models.PositiveSmallIntegerField(
        _("working days paused"), default=0, editable=False
    )
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0, editable=False)
    remote_area = models.BooleanField(_("remote area"), default=False)
    last_reminder_on = models.DateField(null=True, blank=True, editable=False)
    last_escalation_on = models.DateField(null=True, blank=True, editable=False)

    # The reply.
    reply = models.TextField(_("reply"), blank=True)
    reply_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reply drafted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reply approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # The reply as a letter (PDF in the private storage, see ``reply_letter.py``), made when the
    # reply is sent and sealed by the handling agency when the signing setting says so.
    reply_letter = models.CharField(_("reply letter"), max_length=255, blank=True, editable=False)
    reply_letter_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    reply_letter_signed = models.BooleanField(
        _("reply letter signed"), default=False, editable=False
    )

    # What the public list shows (personal data removed when it is published).
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    public_title = models.CharField(_("public title"), max_length=200, blank=True)
    public_content = models.TextField(_("public summary"), blank=True)
    public_reply = models.TextField(_("public reply"), blank=True)
    # Folded (no diacritics) text of what is public, for search (see queries.public_items).
    search_text = models.TextField(blank=True, editable=False)

    objects = FeedbackItemQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("citizen submission")
        verbose_name_plural = _("citizen submissions")
        permissions = [
            ("receive_feedbackitem", "Classify, route, reject and merge submissions"),
            ("accept_feedbackitem", "Accept or return submissions routed to the agency"),
            ("assign_feedbackitem", "Assign a handler to a submission"),
            ("handle_feedbackitem", "Draft replies and ask citizens for information"),
            ("approve_feedbackitem", "Approve and send replies, extend deadlines"),
        ]
        indexes = [
            models.Index(fields=["status", "agency"], name="feedback_status_agency"),
            models.Index(fields=["agency", "answered_at"], name="feedback_agency_answered"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_denunciation(self) -> bool:
        return self.kind == Kind.DENUNCIATION

    @property
    def current_due(self) -> dt.date | None:
        """The deadline of the stage the item is in (None once closed or while paused)."""
        field = STAGE_DUE.get(Status(self.status))
        return getattr(self, field) if field else None

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None or self.answer_due is None:
            return None
        from vgp.workdays.deadlines import local_date

        return local_date(self.answered_at) <= self.answer_due


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CLASSIFIED = "classified", _("Classified")
    INFO_REQUESTED = "info_requested", _("More information requested")
    INFO_PROVIDED = "info_provided", _("Information provided by the citizen")
    ROUTED = "routed", _("Sent to the competent agency")
    RETURNED = "returned", _("Returned by the agency")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Handler assigned")
    REPLY_DRAFTED = "reply_drafted", _("Reply drafted")
    REPLY_SENT_BACK = "reply_sent_back", _("Reply sent back for changes")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Reply published")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Merged with an earlier submission")
    EXTENDED = "extended", _("Deadline extended")
    NOTE = "note", _("Internal note")
    REMINDER = "reminder", _("Deadline reminder")
    ESCALATED = "escalated", _("Overdue, escalated")


class Event(models.Model):
    """One step in an item's history. ``public`` steps appear in the citizen's timeline."""

    # Nothing in Wagtail's content refers to these rows: no reference-index task per save.
    wagtail_reference_index_ignore = True

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    public = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return f"{self.item.code} · {self.get_kind_display()}"


class InformationRequest(models.Model):
    """A question to the citizen; the deadline pauses until it is answered (ADR 0012)."""

    # Nothing in Wagtail's content refers to these rows: no reference-index task per save.
    wagtail_reference_index_ignore = True

    item = models.ForeignKey(
        FeedbackItem, on_delete=models.CASCADE, related_name="information_requests"
    )
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")

    def __str__(self) -> str:
        return f"{self.item.code} · {self.asked_at:%d/%m/%Y}"


class Attachment(models.Model):
    """A citizen's file, checked by content, stored outside the web root under a new name."""

    # Nothing in Wagtail's content refers to these rows: no reference-index task per save.
    wagtail_reference_index_ignore = True

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="attachments")
    information_request = models.ForeignKey(
        InformationRequest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    stored_name = models.CharField(max_length=255, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def describe(self) -> dict[str, Any]:
        return {"name": self.original_name, "type": self.content_type, "size": self.size}


class Intake(models.Model):
    """A submission as received, before it is registered as a :class:`FeedbackItem` (ADR 0013).

    The API writes only this row while the client waits: the tracking code, the checked and
    normalised submission (agencies and sector by id, attachments already stored) and who sent
    it. ``actions.register_intakes`` (a background task, soon after) makes the item, its first
    event and its audit record in batches; the tracking page registers a pending row at once
    when its citizen looks it up. A row stays after registration: it keeps the retry key and
    records when and how the submission arrived.
    """

    wagtail_reference_index_ignore = True

    code = models.CharField(_("tracking code"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    api_key = models.ForeignKey(
        "accounts.ApiKey",
        verbose_name=_("submitted with API key"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # As FeedbackItem.idempotency_key: "<scope>:<client key>".
    idempotency_key = models.CharField(max_length=160, null=True, blank=True, unique=True)
    submission_digest = models.CharField(max_length=64)
    # The fields of actions.Submission (agencies and the sector by id) and the stored files.
    payload = models.JSONField()
    # Request facts for the audit record written at registration (IP, user agent, API key).
    origin = models.JSONField(default=dict)
    received_at = models.DateTimeField(_("received"))
    routing_due = models.DateField()
    item = models.OneToOneField(
        FeedbackItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intake",
    )
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("received submission")
        verbose_name_plural = _("received submissions")
        indexes = [
            models.Index(
                fields=["id"], condition=Q(item__isnull=True), name="feedback_intake_pending"
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def pending(self) -> bool:
        return self.item_id is None
