"""Official documents (F8, F9): incoming and outgoing registers, handling and tracking.

One ``Document`` table holds both directions (ADR 0014): an incoming document (văn bản đến) in
the register of the organisation that received it, an outgoing one (văn bản đi) in the register
of the organisation that issues it. They share the Decree 30 metadata (type, number and
symbol, date, summary, urgency, secrecy, signer, pages) and the machinery around it: the
timeline (``Event``), the files, who may see a classified document (``Access``), search.

The organisation keeping a register is an ``Agency`` (the agency itself or one of its units).
Incoming handling: a leader's direction (``Direction``, the handling slip) gives ``Task`` rows to
a lead unit and supporting units; a unit head names each task's handler; the handler may split
it into sub-tasks. Outgoing: ``Version`` rows keep each draft, ``ReviewStep`` rows the review
chain (configured by ``ReviewRule``), ``Delivery`` rows the recipients and what became of the
copy each received. Numbers come from ``NumberingSeries`` rows, locked while a number is drawn
(``numbering.py``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vgp.agencies.models import Agency

# Appendix VI of Decree 30 (field lengths of the document's metadata).
SUMMARY_MAX = 500
ISSUER_NAME_MAX = 200
SIGNER_NAME_MAX = 50
SIGNER_POSITION_MAX = 100
NUMBER_MAX = 11
NOTATION_MAX = 30


class Direction(models.TextChoices):
    INCOMING = "in", _("Incoming")
    OUTGOING = "out", _("Outgoing")


class Urgency(models.IntegerChoices):
    """Độ khẩn. Higher is more urgent: queues sort by it first."""

    NORMAL = 0, _("Normal")
    URGENT = 1, _("Urgent (khẩn)")
    VERY_URGENT = 2, _("Very urgent (thượng khẩn)")
    FLASH = 3, _("Flash (hỏa tốc)")


class Secrecy(models.IntegerChoices):
    """Độ mật. Anything above NONE is classified: named readers only, its own numbering, and
    never dispatched outside the agency electronically."""

    NONE = 0, _("Not classified")
    CONFIDENTIAL = 1, _("Confidential (mật)")
    SECRET = 2, _("Secret (tối mật)")
    TOP_SECRET = 3, _("Top secret (tuyệt mật)")


class Status(models.TextChoices):
    # Incoming.
    RECEIVED = "received", _("Arrived, to register")
    REGISTERED = "registered", _("Registered, to present")
    PRESENTED = "presented", _("Presented to a leader")
    DIRECTED = "directed", _("Directed, to assign")
    IN_PROGRESS = "in_progress", _("Being handled")
    REPORTED = "reported", _("Handled, to close")
    CLOSED = "closed", _("Closed")
    RETURNED_TO_SENDER = "returned", _("Returned to the sender")
    # Outgoing.
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", pgettext_lazy("official documents", "In review")
    APPROVED = "approved", _("Approved, to issue")
    ISSUED = "issued", _("Issued, to dispatch")
    DISPATCHED = "dispatched", _("Dispatched")
    # Both: an outgoing document its issuer recalled, and every copy it made.
    RECALLED = "recalled", _("Recalled")


INCOMING_OPEN = (
    Status.RECEIVED,
    Status.REGISTERED,
    Status.PRESENTED,
    Status.DIRECTED,
    Status.IN_PROGRESS,
    Status.REPORTED,
)
# Incoming documents somebody must still act on, in the order of their flow.
HANDLING = (Status.DIRECTED, Status.IN_PROGRESS, Status.REPORTED)
OUTGOING_OPEN = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.ISSUED)


class Channel(models.TextChoices):
    """How an incoming document arrived, or how a delivery travels."""

    PAPER = "paper", _("On paper")
    EMAIL = "email", _("By e-mail")
    INTERNAL = "internal", _("Inside this system")
    EXCHANGE = "exchange", _("Inter-agency exchange")
    API = "api", _("From an agency system (API)")


class DocumentType(models.Model):
    """A type of document of Decree 30 (Appendix III) or of the Law on legal documents."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=10,
        blank=True,
        help_text=_("As written in the symbol (QĐ, TB, …); empty for a Công văn."),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    legal_normative = models.BooleanField(
        _("may be a legal normative document"),
        default=False,
        help_text=_("Such documents carry the year in their symbol and have their own series."),
    )
    always_legal_normative = models.BooleanField(
        _("always a legal normative document"), default=False
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.name_vi


class NumberingSeries(models.Model):
    """The last number drawn in one series of one register (ADR 0014).

    ``key`` names the series: ``in`` and ``in-secret`` for incoming numbers, ``out:<type>``,
    ``legal:<type>`` and ``secret:<type>`` for issued documents. The row is locked while a
    number is drawn, in the transaction that stores the document, so a rolled-back
    registration gives its number back: no gaps and no duplicates."""

    wagtail_reference_index_ignore = True

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=30)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agency", "year", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "key"], name="documents_series_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.key}: {self.last_number}"


class DocumentQuerySet(models.QuerySet["Document"]):
    def incoming(self) -> DocumentQuerySet:
        return self.filter(direction=Direction.INCOMING)

    def outgoing(self) -> DocumentQuerySet:
        return self.filter(direction=Direction.OUTGOING)


class Document(models.Model):
    """An official document in one organisation's register (see the module's docstring)."""

    wagtail_reference_index_ignore = True

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("register of"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation whose register holds the document."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)

    # Decree 30 metadata.
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    legal_normative = models.BooleanField(_("legal normative document"), default=False)
    number = models.CharField(_("number"), max_length=NUMBER_MAX, blank=True)
    notation = models.CharField(_("symbol"), max_length=NOTATION_MAX, blank=True)
    # "15/QĐ-BNV": what the register and the searches show; "" until an outgoing one is issued.
    number_symbol = models.CharField(_("number and symbol"), max_length=45, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    issuer = models.ForeignKey(
        Agency,
        verbose_name=_("issuing agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer_name = models.CharField(_("issuing agency (name)"), max_length=ISSUER_NAME_MAX)
    summary = models.CharField(_("summary (trích yếu)"), max_length=SUMMARY_MAX)
    content = models.TextField(_("content"), blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    secrecy = models.PositiveSmallIntegerField(
        _("secrecy"), choices=Secrecy.choices, default=Secrecy.NONE
    )
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=SIGNER_NAME_MAX, blank=True)
    signer_position = models.CharField(
        _("signer's position"), max_length=SIGNER_POSITION_MAX, blank=True
    )
    # Mã định danh: unique per issued document, the sender's for an incoming one.
    identifier = models.CharField(_("identifier"), max_length=60, blank=True, db_index=True)
    # Roles that may read a classified document in its register, besides the named readers
    # (``Access``): e.g. the leaders. Role names of accounts.roles.Role between commas
    # (",leader,clerk,"), so that one LIKE finds them on every database.
    secret_roles = models.CharField(_("roles allowed to read"), max_length=200, blank=True)

    # Incoming.
    arrival_number = models.PositiveIntegerField(_("incoming number"), null=True, blank=True)
    arrival_year = models.PositiveSmallIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    channel = models.CharField(
        pgettext_lazy("official documents", "received by"),
        max_length=10,
        choices=Channel.choices,
        blank=True,
    )
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    source_delivery = models.OneToOneField(
        "Delivery",
        verbose_name=_("delivered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_copy",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Registered by an agency's system: its key, and the retry key it sent ("<key id>:<value>")
    # with a digest of what it sent, so that a retry gets the same document (ADR 0014).
    api_key = models.ForeignKey(
        "accounts.ApiKey",
        verbose_name=_("registered with API key"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField(
        max_length=160, null=True, blank=True, unique=True, editable=False
    )
    submission_digest = models.CharField(max_length=64, blank=True, editable=False)

    # Outgoing.
    drafting_unit = models.ForeignKey(
        Agency,
        verbose_name=_("drafting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signing_prefix = models.CharField(
        _("signing authority"),
        max_length=10,
        blank=True,
        help_text=_("TM., Q., KT., TL. or TUQ., when the signer signs for someone else."),
    )
    # The numbering series (numbering.py) of the incoming or the issued number.
    series_key = models.CharField(max_length=30, blank=True, editable=False)
    issued_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_round = models.PositiveSmallIntegerField(default=0, editable=False)
    # Digital signing (ADR 0016): the SHA-256 of the PDF the last reviewer approved (signing is
    # refused if the stored file no longer has it), then who signed it and when.
    approved_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by (digitally)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacements",
    )
    recalled_at = models.DateTimeField(_("recalled"), null=True, blank=True)
    recall_reason = models.TextField(_("reason for the recall"), blank=True)

    # Where it is now (F9), kept by every action that hands it on.
    holder_unit = models.ForeignKey(
        Agency,
        verbose_name=_("held by unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_since = models.DateTimeField(_("held since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # Folded metadata and file text (search and the admin's quick filter).
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        permissions = [
            ("register_document", _("Can register incoming and issue outgoing documents")),
            ("direct_document", _("Can direct the handling of documents")),
            ("assign_document", _("Can assign documents to handlers")),
            ("handle_document", _("Can handle documents and draft outgoing ones")),
            ("sign_document", _("Can approve and sign outgoing documents")),
            ("report_document", _("Can read registers and processing reports")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "arrival_year", "series_key", "arrival_number"],
                condition=Q(arrival_number__isnull=False),
                name="documents_arrival_number_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "issued_year", "series_key", "number"],
                condition=Q(direction="out") & ~Q(number=""),
                name="documents_issued_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "direction", "-id"], name="documents_register_idx"),
            models.Index(fields=["direction", "status", "urgency"], name="documents_status_idx"),
            # The newest first of one direction, for lists that test each row (a unit's
            # people, by EXISTS on access) and stop after a page.
            models.Index(fields=["direction", "id"], name="documents_direction_idx"),
            # One urgency level (the urgency filter), with the status in the index so that
            # the open urgent documents are told apart without reading the rows: SQLite has no
            # skip scan over ``documents_status_idx`` for an urgency alone.
            models.Index(
                fields=["direction", "urgency", "status", "id"], name="documents_urgency_idx"
            ),
            # The few classified documents, found without reading the register.
            models.Index(
                fields=["agency"],
                condition=Q(secrecy__gt=0),
                name="documents_classified_idx",
            ),
            models.Index(fields=["agency", "direction", "received_at"], name="documents_recv_idx"),
            models.Index(fields=["agency", "direction", "issued_at"], name="documents_issued_idx"),
            models.Index(fields=["holder_unit", "status"], name="documents_holder_idx"),
            models.Index(fields=["number_symbol"], name="documents_symbol_idx"),
            models.Index(fields=["agency", "updated_at", "id"], name="documents_changed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.summary[:80]}"

    @property
    def reference(self) -> str:
        """How staff name it: the incoming number for an incoming document, else its symbol."""
        if self.direction == Direction.INCOMING and self.arrival_number:
            # Classified documents have their own register: "05/2026-M" is not "05/2026".
            suffix = "-M" if self.series_key == "in-secret" else ""
            return f"{self.arrival_number:02d}/{self.arrival_year}{suffix}"
        return self.number_symbol or str(_("(no number yet)"))

    @property
    def is_incoming(self) -> bool:
        return self.direction == Direction.INCOMING

    @property
    def is_classified(self) -> bool:
        return self.secrecy > Secrecy.NONE

    @property
    def is_frozen(self) -> bool:
        return self.status == Status.RECALLED


class Access(models.Model):
    """A person named to read a classified document (or a unit, for an unclassified one that
    it takes part in: lead and supporting units, recipients)."""

    wagtail_reference_index_ignore = True

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "user"],
                condition=Q(user__isnull=False),
                name="documents_access_user_unique",
            ),
            models.UniqueConstraint(
                fields=["document", "unit"],
                condition=Q(unit__isnull=False),
                name="documents_access_unit_unique",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(unit__isnull=False),
                name="documents_access_names_someone",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "document"], name="documents_access_user_idx"),
            models.Index(fields=["unit", "document"], name="documents_access_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.user_id or ''}{self.unit_id or ''}"


class HandlingDirection(models.Model):
    """The handling slip (phiếu giải quyết): what a leader decided for an incoming document."""

    wagtail_reference_index_ignore = True

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="directions")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lead_unit = models.ForeignKey(
        Agency, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="+"
    )
    supporting_units = models.ManyToManyField(
        Agency, verbose_name=_("supporting units"), blank=True, related_name="+"
    )
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("handling slip")
        verbose_name_plural = _("handling slips")

    def __str__(self) -> str:
        return f"{self.document_id} · {self.at:%d/%m/%Y}"


class TaskRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    SUPPORT = "support", _("Support")
    SUBTASK = "subtask", _("Sub-task")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


class Task(models.Model):
    """A unit's (and then a person's) share of handling an incoming document."""

    wagtail_reference_index_ignore = True

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tasks")
    direction = models.ForeignKey(
        HandlingDirection, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks"
    )
    role = models.CharField(_("role"), max_length=10, choices=TaskRole.choices)
    unit = models.ForeignKey(
        Agency, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("what to do"), max_length=300, blank=True)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    result = models.TextField(_("result"), blank=True)
    extension_requested_to = models.DateField(_("extension asked until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    # Empty when the system made it (an agency's system through the API, a job).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    assigned_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # The day a reminder was last sent, and an escalation (at most once a day each).
    reminded_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("official documents", "task")
        verbose_name_plural = pgettext_lazy("official documents", "tasks")
        indexes = [
            models.Index(fields=["unit", "status", "due_on"], name="documents_task_unit_idx"),
            models.Index(fields=["handler", "status", "due_on"], name="documents_task_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.get_role_display()} · {self.unit_id}"


class Version(models.Model):
    """One saved draft of an outgoing document: its text and its file."""

    wagtail_reference_index_ignore = True

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    summary = models.CharField(_("summary (trích yếu)"), max_length=SUMMARY_MAX)
    content = models.TextField(_("content"), blank=True)
    attachment = models.ForeignKey(
        "Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique")
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class ReviewStepKind(models.TextChoices):
    SPECIALIST = "specialist", _("Specialist check")
    UNIT_HEAD = "unit_head", _("Unit head")
    OPINION = "opinion", _("Opinion of a unit")
    LEADER = "leader", _("Office leader")
    SIGNER = "signer", _("Signer")


class ReviewRule(models.Model):
    """The review chain of outgoing documents of one type (or of every type) in one agency.

    ``steps`` is a list, in order, of steps; each step is a list of one or more kinds reviewed
    in parallel, e.g. ``[["unit_head"], ["opinion"], ["leader"], ["signer"]]``. ``opinion``
    steps go to the units named when the draft is sent for review."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    document_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("document type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: every type without its own rule."),
    )
    steps = models.JSONField(_("steps"))

    class Meta:
        ordering = ["agency", "document_type"]
        verbose_name = _("review chain")
        verbose_name_plural = _("review chains")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "document_type"], name="documents_review_rule_unique"
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(document_type__isnull=True),
                name="documents_review_rule_default_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.document_type or _('every type')}"


class ReviewStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an earlier step")
    PENDING = "pending", _("To review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    SUPERSEDED = "superseded", _("Superseded by a new round")


class ReviewStep(models.Model):
    """One reviewer's place in the chain of one review round of an outgoing draft."""

    wagtail_reference_index_ignore = True

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="review_steps")
    round = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(_("step"), max_length=12, choices=ReviewStepKind.choices)
    # The step belongs to a person (the signer) or to whoever holds ``role`` in ``unit``.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=20, blank=True)
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ReviewStatus.choices)
    comment = models.TextField(pgettext_lazy("official documents", "comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "round", "order", "id"]
        indexes = [
            models.Index(fields=["status", "reviewer"], name="documents_review_user_idx"),
            models.Index(fields=["status", "unit", "role"], name="documents_review_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.round}.{self.order} {self.kind}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for its channel")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    REGISTERED = "registered", _("Registered by the recipient")
    FAILED = "failed", _("Failed")
    RECALLED = "recalled", _("Recalled")


class Delivery(models.Model):
    """One recipient of an issued document, and what became of the copy it received."""

    wagtail_reference_index_ignore = True

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_name = models.CharField(_("recipient"), max_length=ISSUER_NAME_MAX)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    recalled_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "recipient"],
                condition=Q(recipient__isnull=False),
                name="documents_delivery_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.recipient_name}"


class AttachmentKind(models.TextChoices):
    MAIN = "main", _("The document")
    ANNEX = "annex", _("Annex")
    DRAFT = "draft", _("Draft file")


class TextStatus(models.TextChoices):
    """Where reading a file's text for search stands (a background task reads it)."""

    PENDING = "pending", _("Text being extracted")
    DONE = "done", _("Text extracted")
    FAILED = "failed", _("Text could not be extracted")


class Attachment(models.Model):
    """A file of a document, in the private storage; its text is extracted for search, after
    the upload commits (``search_index.extract_texts``)."""

    wagtail_reference_index_ignore = True

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    stored_name = models.CharField(max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, editable=False)
    # A new file waits for its text; the rows that existed before this field had theirs.
    text_status = models.CharField(
        _("text for search"),
        max_length=10,
        choices=TextStatus.choices,
        default=TextStatus.PENDING,
        editable=False,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        indexes = [
            # The few files still waiting for their text (the catch-up job looks every minute).
            models.Index(
                fields=["uploaded_at"],
                condition=Q(text_status="pending"),
                name="documents_file_text_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Arrived")
    REGISTERED = "registered", _("Registered")
    PRESENTED = "presented", _("Presented to a leader")
    DIRECTED = "directed", _("Direction recorded")
    ASSIGNED = "assigned", _("Handler assigned")
    SUBTASK = "subtask", _("Sub-task created")
    TASK_DONE = "task_done", _("Task done")
    NOTE = "note", _("Note")
    EXTENSION_ASKED = "ext_asked", _("Extension asked")
    EXTENDED = "extended", _("Deadline extended")
    EXTENSION_REFUSED = "ext_refused", _("Extension refused")
    RETURNED = "returned", _("Returned with a reason")
    REPORTED = "reported", _("Handling reported")
    CLOSED = "closed", _("Closed")
    RETURNED_TO_SENDER = "ret_sender", _("Returned to the sender")
    REPLY_LINKED = "reply", _("Reply drafted")
    DRAFTED = "drafted", _("Draft saved")
    SUBMITTED = "submitted", _("Sent for review")
    REVIEW_APPROVED = "rev_ok", _("Approved in review")
    REVIEW_RETURNED = "rev_back", _("Returned in review")
    REVIEW_COMMENT = "rev_note", _("Review comment")
    SIGNED = "signed", _("Signed digitally")
    ISSUED = "issued", _("Issued and registered")
    DISPATCHED = "dispatched", _("Dispatched")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read by the recipient")
    RECEIPT = "receipt", _("Receipt registered by the recipient")
    DISPATCH_REFUSED = "refused", _("Dispatch refused")
    RECALLED = "recalled", _("Recalled")
    REPLACED = "replaced", _("Replaced")
    REMINDER = "reminder", _("Deadline reminder")
    ESCALATED = "escalated", _("Overdue, escalated")
    UPDATED = "updated", _("Details corrected")


class Event(models.Model):
    """One step of a document's timeline (F9): who did what, who holds it afterwards, until
    when."""

    wagtail_reference_index_ignore = True

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holder_unit = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["document", "at"], name="documents_event_idx")]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.get_kind_display()}"

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "at": self.at.isoformat(), "message": self.message}


# --- Register exports -----------------------------------------------------------------------


class RegisterKind(models.TextChoices):
    """The three registers of Decree 30 (``registers.py`` reads and writes them)."""

    INCOMING = "incoming", _("Incoming documents register")
    OUTGOING = "outgoing", _("Outgoing documents register")
    TRACKING = "tracking", _("Register for tracking the handling of incoming documents")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("official documents", "Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", pgettext_lazy("official documents", "Ready")
    FAILED = "failed", pgettext_lazy("official documents", "Failed")


class RegisterExport(models.Model):
    """A register's XLSX or PDF file made in the background for the official who asked for it
    (``exports.py``): too long to be made while the browser waits.

    The file lists what its requester may see when it is made, so it is theirs: others may
    download it only where it cannot show them more than they may see (``exports``). It is kept
    in the private storage for ``DOCUMENTS_EXPORT_KEEP_DAYS`` days, then removed with its row."""

    wagtail_reference_index_ignore = True

    kind = models.CharField(_("register"), max_length=10, choices=RegisterKind.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("register of"), on_delete=models.PROTECT, related_name="+"
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    file_format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    # The requester's language when they asked: the file's headings are written in it.
    language = models.CharField(max_length=10, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    # Whether the file lists a classified document: then only its requester may download it.
    has_classified = models.BooleanField(default=False, editable=False)
    stored_name = models.CharField(max_length=255, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    # Why it failed (or why the last attempt did), in the requester's language.
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("register export")
        verbose_name_plural = _("register exports")
        indexes = [
            models.Index(fields=["requested_by", "requested_at"], name="documents_export_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_from__lte=models.F("date_to")), name="documents_export_period"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(stored_name=""),
                name="documents_export_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.date_from:%d/%m/%Y} - {self.date_to:%d/%m/%Y}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
