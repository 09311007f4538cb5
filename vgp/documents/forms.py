"""The forms of official documents in the back office: registering an incoming document,
drafting an outgoing one, the steps of the document page, and the review chains' settings.

Forms only collect and clean what an official typed; the actions (``actions.py``) decide
everything else and their ``ValidationError`` is put back on the matching fields by the views
(:func:`add_action_errors`). Dates are typed day first (dd/mm/yyyy; ISO is accepted too).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from vgp.accounts import permissions
from vgp.accounts.models import User
from vgp.accounts.roles import Role, group_name
from vgp.agencies.models import Agency, AgencyKind, with_units

from . import actions, files, queries
from .models import (
    Channel,
    Delivery,
    Document,
    DocumentType,
    ReviewRule,
    ReviewStep,
    ReviewStepKind,
    Secrecy,
    Task,
    Urgency,
)

DATE_FORMAT = "%d/%m/%Y"
DATE_INPUT_FORMATS = [DATE_FORMAT, "%Y-%m-%d"]
DATE_INVALID = gettext_lazy("Enter a real date, day first, for example 02/09/2026.")
# The roles that may be allowed to read a classified document in its register.
SECRET_ROLE_CHOICES = [
    (Role.LEADER.value, Role.LEADER.label),
    (Role.CLERK.value, Role.CLERK.label),
    (Role.UNIT_HEAD.value, Role.UNIT_HEAD.label),
    (Role.HANDLER.value, Role.HANDLER.label),
]
# Channels a clerk registers a document from by hand (the internal one and the API are the
# system's own).
MANUAL_CHANNELS = [
    (Channel.PAPER.value, Channel.PAPER.label),
    (Channel.EMAIL.value, Channel.EMAIL.label),
    (Channel.EXCHANGE.value, Channel.EXCHANGE.label),
]
AGENCY_KIND_ORDER = [
    AgencyKind.GOVERNMENT,
    AgencyKind.MINISTRY,
    AgencyKind.MINISTRY_LEVEL,
    AgencyKind.GOVERNMENT_AGENCY,
    AgencyKind.PROVINCE,
    AgencyKind.OTHER,
    AgencyKind.UNIT,
]


# --- Display helpers ------------------------------------------------------------------------


def person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def person_with_position(user: Any) -> str:
    position = getattr(user, "position", "")
    return f"{person(user)} — {position}" if position else person(user)


def agency_label(agency: Agency | None) -> str:
    if agency is None:
        return ""
    return f"{agency.name} ({agency.abbreviation})" if agency.abbreviation else agency.name


def add_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put an action's ``ValidationError`` on the matching fields of ``form`` (others on
    top of the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Widgets and fields ---------------------------------------------------------------------


class DayFirstDateInput(forms.DateInput):
    """A text box for a date written dd/mm/yyyy (works without JavaScript)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": _("dd/mm/yyyy"), "autocomplete": "off", "size": 12}
        base.update(attrs or {})
        super().__init__(attrs=base, format=DATE_FORMAT)


def date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DayFirstDateInput(),
        input_formats=DATE_INPUT_FORMATS,
        help_text=help_text or gettext_lazy("Day first: dd/mm/yyyy."),
        error_messages={"invalid": DATE_INVALID},
    )


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (annexes)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class OfficialField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_with_position(obj)


class OfficialsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_with_position(obj)


class AgencyField(forms.TypedChoiceField):
    """One agency out of the choices given by the form; cleans to the :class:`Agency`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def clean(self, value: Any) -> Agency | None:
        pk = super().clean(value)
        if pk is None:
            return None
        agency = Agency.objects.filter(pk=pk).first()
        if agency is None:
            raise ValidationError(_("Choose an agency from the list."))
        return agency


class AgenciesField(forms.TypedMultipleChoiceField):
    """Several agencies out of the choices given by the form; cleans to a list."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, **kwargs)

    def clean(self, value: Any) -> list[Agency]:
        ids = super().clean(value) or []
        found = Agency.objects.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


# --- Choices --------------------------------------------------------------------------------


def ancestors_or_self(agency: Agency) -> list[int]:
    return [agency.pk, *[node.pk for node in agency.ancestors()]]


def organisation_units(agency_ids: Iterable[int]) -> list[Agency]:
    """These agencies and their units, each organisation first, then its units by name."""
    ids = with_units(set(agency_ids))
    rows = list(Agency.objects.filter(pk__in=ids))
    rows.sort(key=lambda a: (a.kind == AgencyKind.UNIT, a.parent_id is not None, a.name))
    return rows


def unit_choices(agencies: Sequence[Agency], *, blank: bool = False) -> list[Any]:
    choices: list[Any] = [("", "—")] if blank else []
    return choices + [(agency.pk, agency_label(agency)) for agency in agencies]


def registry_choices(*, exclude: Iterable[int] = (), blank: bool = True) -> list[Any]:
    """Active agencies of the registry, grouped by kind (units under the name of their kind)."""
    excluded = set(exclude)
    groups: dict[str, list[tuple[int, str]]] = {}
    for agency in Agency.objects.active().select_related("parent").order_by("name_vi"):
        if agency.pk in excluded:
            continue
        label = agency_label(agency)
        if agency.kind == AgencyKind.UNIT and agency.parent is not None:
            label = f"{label} — {agency.parent.abbreviation or agency.parent.name}"
        groups.setdefault(agency.kind, []).append((agency.pk, label))
    choices: list[Any] = [("", "—")] if blank else []
    return choices + [
        (str(AgencyKind(kind).label), groups[kind]) for kind in AGENCY_KIND_ORDER if kind in groups
    ]


def officials_in(agency_ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(is_active=True, agency_id__in=set(agency_ids)).order_by(
        "last_name", "first_name", "username"
    )


def leaders_of(agency: Agency) -> QuerySet[User]:
    """Leaders who direct documents of ``agency``'s register (its organisation's or above)."""
    return (
        officials_in(ancestors_or_self(agency))
        .filter(groups__name=group_name(Role.LEADER))
        .distinct()
    )


def signers_of(agency: Agency) -> QuerySet[User]:
    """Officials who may sign for ``agency`` (``documents.sign_document``, in it or above)."""
    return (
        officials_in(ancestors_or_self(agency))
        .filter(
            Q(groups__permissions__codename="sign_document")
            | Q(user_permissions__codename="sign_document")
        )
        .distinct()
    )


def readers_of(agency: Agency) -> QuerySet[User]:
    """Officials who may be named readers of a classified document of ``agency``'s register."""
    return officials_in(ancestors_or_self(agency))


def register_choices(user: Any) -> list[Agency]:
    """The registers ``user`` keeps or drafts in: their organisation and its units."""
    ids = permissions.agency_ids_of(user)
    if not ids and getattr(user, "agency_id", None):
        ids = {user.agency_id}
    return organisation_units(ids) if ids else []


# --- Register an incoming document ----------------------------------------------------------


class ClassifiedFieldsMixin(forms.Form):
    """Roles and named persons allowed to read a classified document."""

    secret_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles allowed to read it"),
        choices=SECRET_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Only for a classified document: holders of these roles in the register's "
            "organisation may read it, besides the persons named below."
        ),
    )
    readers = OfficialsField(
        label=gettext_lazy("Named readers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy("Only for a classified document. Hold Ctrl to choose several."),
    )


class RegisterIncomingForm(ClassifiedFieldsMixin):
    """Everything a clerk enters from an incoming document (Decree 30, Appendix VI)."""

    agency = AgencyField(
        label=gettext_lazy("Register of"),
        help_text=gettext_lazy("Your organisation, or one of its units keeping its own register."),
    )
    document_type = forms.ModelChoiceField(
        label=gettext_lazy("Type"), queryset=DocumentType.objects.none()
    )
    number_symbol = forms.CharField(
        label=gettext_lazy("Number and symbol"),
        max_length=45,
        help_text=gettext_lazy("As written on the document: 1925/BNV-TCBC, 83/2008/QĐ-TTg."),
    )
    document_date = date_field(gettext_lazy("Document date"), required=True)
    issuer = AgencyField(
        label=gettext_lazy("Sender (from the registry)"),
        required=False,
        help_text=gettext_lazy("Agencies of the registry, grouped by kind."),
    )
    issuer_name = forms.CharField(
        label=gettext_lazy("Or the sender's name"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("For a sender outside the agency registry."),
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary (trích yếu)"),
        max_length=500,
        widget=textarea(3),
    )
    urgency = forms.TypedChoiceField(
        label=gettext_lazy("Urgency"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    secrecy = forms.TypedChoiceField(
        label=gettext_lazy("Secrecy"),
        choices=Secrecy.choices,
        coerce=int,
        initial=Secrecy.NONE,
        widget=forms.RadioSelect,
    )
    due_on = date_field(
        pgettext_lazy("documents deadline", "Deadline"),
        help_text=gettext_lazy("When the document asks for an answer by a date (dd/mm/yyyy)."),
    )
    page_count = forms.IntegerField(label=gettext_lazy("Pages"), required=False, min_value=1)
    channel = forms.ChoiceField(
        label=gettext_lazy("Received by"), choices=MANUAL_CHANNELS, initial=Channel.PAPER
    )
    identifier = forms.CharField(
        label=gettext_lazy("Identifier (mã định danh)"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("The sender's identifier of the document, when it has one."),
    )
    signer_name = forms.CharField(label=gettext_lazy("Signed by"), required=False, max_length=50)
    signer_position = forms.CharField(
        label=gettext_lazy("Signer's position"), required=False, max_length=100
    )
    main_file = forms.FileField(
        label=gettext_lazy("The document (PDF or scan)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE}),
    )
    annexes = MultipleFileField(label=gettext_lazy("Annexes"), required=False)
    allow_duplicate = forms.BooleanField(
        label=gettext_lazy("Register anyway: it is not the same document"), required=False
    )

    fieldsets = (
        (pgettext_lazy("official documents", "Register"), ("agency", "channel")),
        (
            gettext_lazy("The document"),
            (
                "document_type",
                "number_symbol",
                "document_date",
                "identifier",
                "issuer",
                "issuer_name",
                "signer_name",
                "signer_position",
                "summary",
                "page_count",
            ),
        ),
        (gettext_lazy("Urgency and deadline"), ("urgency", "due_on")),
        (gettext_lazy("Secrecy"), ("secrecy", "secret_roles", "readers")),
        (gettext_lazy("Files"), ("main_file", "annexes")),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        self.duplicates: list[Document] = []
        registers = register_choices(user)
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("agency", getattr(user, "agency_id", None))
        initial.setdefault("secret_roles", [Role.LEADER.value])
        super().__init__(*args, **kwargs)
        self.registers = registers
        self._field("agency").choices = unit_choices(registers)
        self._field("issuer").choices = registry_choices()
        type_field = self.fields["document_type"]
        assert isinstance(type_field, forms.ModelChoiceField)
        type_field.queryset = DocumentType.objects.filter(active=True)
        readers = self.fields["readers"]
        assert isinstance(readers, forms.ModelMultipleChoiceField)
        readers.queryset = officials_in(permissions.agency_ids_of(user))
        self.fields["issuer"].widget.attrs["data-documents-filter"] = ""
        self.fields["main_file"].help_text = files.help_text()
        self.fields["annexes"].help_text = _("Several files may be chosen at once. %(limits)s") % {
            "limits": files.help_text()
        }

    def _field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def uploads(self) -> list[tuple[str, Any]]:
        data = self.cleaned_data
        chosen: list[tuple[str, Any]] = []
        if data.get("main_file"):
            chosen.append(("main", data["main_file"]))
        chosen += [("annex", upload) for upload in data.get("annexes") or []]
        return chosen

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        classified = (data.get("secrecy") or 0) > Secrecy.NONE
        return {
            "agency": data["agency"],
            "document_type": data["document_type"],
            "summary": data["summary"],
            "number_symbol": data["number_symbol"],
            "document_date": data["document_date"],
            "issuer": data.get("issuer"),
            "issuer_name": data.get("issuer_name", ""),
            "urgency": data["urgency"],
            "secrecy": data["secrecy"],
            "due_on": data.get("due_on"),
            "page_count": data.get("page_count"),
            "channel": data["channel"],
            "identifier": data.get("identifier", ""),
            "signer_name": data.get("signer_name", ""),
            "signer_position": data.get("signer_position", ""),
            "files_": self.uploads(),
            "readers": list(data.get("readers") or []) if classified else [],
            "secret_roles": list(data.get("secret_roles") or []),
            "allow_duplicate": bool(data.get("allow_duplicate")),
        }

    def file_error(self, error: ValidationError) -> None:
        """A refused file: on the field that carried it (the action names the file)."""
        name = (getattr(error, "params", None) or {}).get("name", "")
        main = self.cleaned_data.get("main_file")
        if main is None:
            field = "annexes"
        elif not name or files.clean_original_name(main.name) == name:
            field = "main_file"
        else:
            field = "annexes"
        self.add_error(field, error.messages)


# --- Draft an outgoing document -------------------------------------------------------------


def recipient_choices(user: Any) -> list[Any]:
    """Units of the user's organisation first (they receive inside this system), then the
    agencies of the registry."""
    own = organisation_units(permissions.agency_ids_of(user)) if user.agency_id else []
    internal = [(agency.pk, agency_label(agency)) for agency in own]
    others = registry_choices(exclude=[agency.pk for agency in own], blank=False)
    choices: list[Any] = []
    if internal:
        choices.append((_("Your organisation and its units"), internal))
    return choices + others


def lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


class DraftForm(ClassifiedFieldsMixin):
    agency = AgencyField(
        label=gettext_lazy("Register of"),
        help_text=gettext_lazy("The organisation that will issue the document."),
    )
    document_type = forms.ModelChoiceField(
        label=gettext_lazy("Type"), queryset=DocumentType.objects.none()
    )
    legal_normative = forms.BooleanField(
        label=gettext_lazy("A legal normative document"),
        required=False,
        help_text=gettext_lazy("Its symbol carries the year, and it has its own number series."),
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary (trích yếu)"), max_length=500, widget=textarea(3)
    )
    content = forms.CharField(
        label=gettext_lazy("Content"),
        required=False,
        widget=textarea(12),
        help_text=gettext_lazy("Write the text here, or upload the draft's file below."),
    )
    file = forms.FileField(
        label=gettext_lazy("Draft file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE}),
    )
    recipients = AgenciesField(
        label=gettext_lazy("Recipients (units and agencies)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8, "data-documents-filter": ""}),
        help_text=gettext_lazy(
            "Units of your organisation receive it inside this system; other agencies through "
            "the inter-agency exchange or on paper. Hold Ctrl to choose several."
        ),
    )
    external_recipients = forms.CharField(
        label=gettext_lazy("Other recipients"),
        required=False,
        widget=textarea(3),
        help_text=gettext_lazy("Names outside the registry, one per line (sent on paper)."),
    )
    urgency = forms.TypedChoiceField(
        label=gettext_lazy("Urgency"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    secrecy = forms.TypedChoiceField(
        label=gettext_lazy("Secrecy"),
        choices=Secrecy.choices,
        coerce=int,
        initial=Secrecy.NONE,
        widget=forms.RadioSelect,
    )
    signer = OfficialField(
        label=gettext_lazy("Signer"),
        queryset=User.objects.none(),
        required=False,
        help_text=gettext_lazy("Needed before the draft is sent for review."),
    )
    signing_prefix = forms.ChoiceField(
        label=gettext_lazy("Signing authority"),
        required=False,
        choices=[("", _("— signs in their own name —"))]
        + [(prefix, prefix) for prefix in actions.SIGNING_PREFIXES],
        help_text=gettext_lazy(
            "TM., Q., KT., TL. or TUQ., when the signer signs for someone else."
        ),
    )
    signer_position = forms.CharField(
        label=gettext_lazy("Signer's position"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Empty: the position in the signer's account."),
    )
    in_reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    replaces = forms.IntegerField(required=False, widget=forms.HiddenInput)

    fieldsets = (
        (
            gettext_lazy("The document"),
            ("agency", "document_type", "legal_normative", "summary", "content", "file"),
        ),
        (gettext_lazy("Recipients"), ("recipients", "external_recipients")),
        (gettext_lazy("Urgency and secrecy"), ("urgency", "secrecy", "secret_roles", "readers")),
        (gettext_lazy("Signature"), ("signer", "signing_prefix", "signer_position")),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        registers = register_choices(user)
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("agency", getattr(user, "agency_id", None))
        initial.setdefault("secret_roles", [Role.LEADER.value, Role.CLERK.value])
        super().__init__(*args, **kwargs)
        self.registers = registers
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ChoiceField)
        agency_field.choices = unit_choices(registers)
        recipients = self.fields["recipients"]
        assert isinstance(recipients, forms.ChoiceField)
        recipients.choices = recipient_choices(user)
        type_field = self.fields["document_type"]
        assert isinstance(type_field, forms.ModelChoiceField)
        type_field.queryset = DocumentType.objects.filter(active=True)
        home = getattr(user, "agency", None)
        signer = self.fields["signer"]
        readers = self.fields["readers"]
        assert isinstance(signer, forms.ModelChoiceField)
        assert isinstance(readers, forms.ModelMultipleChoiceField)
        if home is not None:
            signer.queryset = signers_of(home)
            readers.queryset = officials_in(permissions.agency_ids_of(user))
        self.fields["file"].help_text = files.help_text()

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def linked(self, name: str) -> Document | None:
        """The incoming document replied to, or the recalled one replaced (None if the user
        may not see it)."""
        pk = self.cleaned_data.get(name)
        if not pk:
            return None
        document = queries.visible_documents(self.user).filter(pk=pk).first()
        if document is None:
            self.add_error(None, _("The linked document was not found."))
        return document

    def action_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        classified = (data.get("secrecy") or 0) > Secrecy.NONE
        return {
            "agency": data["agency"],
            "document_type": data["document_type"],
            "summary": data["summary"],
            "content": data.get("content", ""),
            "file": data.get("file"),
            "recipients": data.get("recipients") or [],
            "external_recipients": lines(data.get("external_recipients", "")),
            "urgency": data["urgency"],
            "secrecy": data["secrecy"],
            "signer": data.get("signer"),
            "signing_prefix": data.get("signing_prefix", ""),
            "signer_position": data.get("signer_position", ""),
            "legal_normative": bool(data.get("legal_normative")),
            "in_reply_to": self.linked("in_reply_to"),
            "replaces": self.linked("replaces"),
            "readers": list(data.get("readers") or []) if classified else [],
            "secret_roles": list(data.get("secret_roles") or []),
        }


# --- The steps of the document page ---------------------------------------------------------


class StepForm(forms.Form):
    """A step's form: knows who acts, on which document and (for some) which task, review
    step or delivery; prefixed, as several share the document page."""

    def __init__(
        self,
        user: Any,
        document: Document,
        target: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.user = user
        self.document = document
        self.target = target
        super().__init__(*args, **kwargs)
        self.setup()

    def setup(self) -> None:
        """Fill the choices that depend on the document (subclasses)."""

    def visible_fields_now(self) -> list[forms.BoundField]:
        return list(self)


class RegisterReceivedForm(StepForm):
    due_on = date_field(pgettext_lazy("documents deadline", "Deadline"))
    allow_duplicate = forms.BooleanField(
        label=gettext_lazy("Register anyway: it is not the same document"), required=False
    )

    def setup(self) -> None:
        self.duplicate = False

    def visible_fields_now(self) -> list[forms.BoundField]:
        return [field for field in self if field.name != "allow_duplicate" or self.duplicate]


class PresentForm(StepForm):
    leader = OfficialField(label=gettext_lazy("Leader"), queryset=User.objects.none())
    note = forms.CharField(
        label=gettext_lazy("Note to the leader"), required=False, widget=textarea(2)
    )

    def setup(self) -> None:
        field = self.fields["leader"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = leaders_of(self.document.agency)


class DirectForm(StepForm):
    lead_unit = AgencyField(label=gettext_lazy("Lead unit"))
    supporting_units = AgenciesField(
        label=gettext_lazy("Supporting units"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = date_field(pgettext_lazy("documents deadline", "Deadline"))
    instructions = forms.CharField(
        label=gettext_lazy("Instructions"), required=False, widget=textarea(3)
    )

    def setup(self) -> None:
        units = [
            unit
            for unit in organisation_units([self.document.agency_id])
            if unit.pk != self.document.agency_id
        ] or organisation_units([self.document.agency_id])
        lead = self.fields["lead_unit"]
        supporting = self.fields["supporting_units"]
        assert isinstance(lead, forms.ChoiceField)
        assert isinstance(supporting, forms.ChoiceField)
        lead.choices = unit_choices(units, blank=True)
        supporting.choices = unit_choices(units)
        due = self.document.due_on
        if due and not self.is_bound and due >= timezone.localdate():
            self.initial.setdefault("due_on", due)


class TaskHandlerMixin(StepForm):
    def setup(self) -> None:
        task: Task = self.target
        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = actions.handlers_for(task.unit_id)


class AssignForm(TaskHandlerMixin):
    handler = OfficialField(label=gettext_lazy("Handler"), queryset=User.objects.none())
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=textarea(2))

    def setup(self) -> None:
        super().setup()
        self.initial.setdefault("handler", self.target.handler_id)


class SubtaskForm(TaskHandlerMixin):
    handler = OfficialField(label=gettext_lazy("Colleague"), queryset=User.objects.none())
    title = forms.CharField(label=gettext_lazy("What to do"), max_length=300, required=False)
    due_on = date_field(pgettext_lazy("documents deadline", "Deadline"))


class ResultForm(StepForm):
    result = forms.CharField(label=gettext_lazy("Result"), required=False, widget=textarea(3))


class ExtensionRequestForm(StepForm):
    until = date_field(gettext_lazy("New deadline asked"), required=True)
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, widget=textarea(2))


GRANT = "grant"
REFUSE = "refuse"


class ExtensionDecisionForm(StepForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[(GRANT, gettext_lazy("Grant")), (REFUSE, gettext_lazy("Refuse"))],
        widget=forms.RadioSelect,
        initial=GRANT,
    )
    until = date_field(
        gettext_lazy("New deadline"),
        help_text=gettext_lazy("Empty: the date asked for (dd/mm/yyyy)."),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, widget=textarea(2))


class ReasonForm(StepForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, widget=textarea(3))


class CloseForm(StepForm):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=textarea(2),
        help_text=gettext_lazy("Required when the handling was not reported done."),
    )


class NoteForm(StepForm):
    text = forms.CharField(
        label=gettext_lazy("Text of the note"),
        required=False,
        widget=textarea(2),
        help_text=gettext_lazy("On the timeline, for everyone who sees the document."),
    )


class GrantReaderForm(StepForm):
    reader = OfficialField(label=gettext_lazy("Official"), queryset=User.objects.none())

    def setup(self) -> None:
        field = self.fields["reader"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = readers_of(self.document.agency)


class ConfirmForm(StepForm):
    """A step with nothing to fill in: its button is the confirmation."""


class SaveVersionForm(StepForm):
    summary = forms.CharField(
        label=gettext_lazy("Summary (trích yếu)"), max_length=500, widget=textarea(2)
    )
    content = forms.CharField(label=gettext_lazy("Content"), required=False, widget=textarea(10))
    file = forms.FileField(
        label=gettext_lazy("New draft file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE}),
        help_text=gettext_lazy("Empty: the previous version's file is kept."),
    )
    note = forms.CharField(label=gettext_lazy("What changed"), required=False, max_length=300)

    def setup(self) -> None:
        if not self.is_bound:
            self.initial.setdefault("summary", self.document.summary)
            self.initial.setdefault("content", self.document.content)


class AnnexForm(StepForm):
    file = forms.FileField(
        label=gettext_lazy("Annex file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=gettext_lazy(
            "A PDF: at issue it carries the organisation's signature at the top right of its "
            "first page."
        ),
    )


class SubmitForm(StepForm):
    opinion_units = AgenciesField(
        label=gettext_lazy("Units whose opinion is asked"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def setup(self) -> None:
        chain = actions.review_steps_for(self.document)
        self.chain = chain
        if not any(ReviewStepKind.OPINION in group for group in chain):
            del self.fields["opinion_units"]
            return
        field = self.fields["opinion_units"]
        assert isinstance(field, forms.ChoiceField)
        units = organisation_units([self.document.agency_id])
        field.choices = unit_choices(
            [unit for unit in units if unit.pk != self.document.drafting_unit_id]
        )


APPROVE = "approve"
COMMENT = "comment"
RETURN = "return"


class ReviewForm(StepForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (APPROVE, gettext_lazy("Approve")),
            (COMMENT, gettext_lazy("Comment only (the step stays open)")),
            (RETURN, gettext_lazy("Return to the drafter for changes")),
        ],
        widget=forms.RadioSelect,
        initial=APPROVE,
    )
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, widget=textarea(3))

    def setup(self) -> None:
        step: ReviewStep = self.target
        self.step = step


class DispatchForm(StepForm):
    on_paper = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Send on paper to"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Recipients outside this system that get the paper copy; the others go through "
            "the inter-agency exchange. Units of your organisation receive it here at once."
        ),
    )

    def setup(self) -> None:
        field = self.fields["on_paper"]
        assert isinstance(field, forms.ChoiceField)
        external: list[Delivery] = [
            delivery
            for delivery in self.document.deliveries.select_related("recipient").filter(
                status="queued"
            )
            if not actions.is_internal(delivery.recipient, self.document.agency)
        ]
        self.external = external
        field.choices = [(delivery.pk, delivery.recipient_name) for delivery in external]
        if not self.is_bound:
            self.initial.setdefault(
                "on_paper", [delivery.pk for delivery in external if delivery.recipient_id is None]
            )
        if not external:
            del self.fields["on_paper"]


# --- Settings: review chains -----------------------------------------------------------------


def steps_to_text(steps: Any) -> str:
    if not steps:
        return ""
    return "\n".join(", ".join(str(kind) for kind in group) for group in steps)


def text_to_steps(text: str) -> list[list[str]]:
    """Lines of kinds separated by commas → ``[["unit_head"], ["opinion", "leader"]]``;
    raises ``ValidationError`` naming the line of an unknown or repeated kind."""
    valid = set(ReviewStepKind.values)
    steps: list[list[str]] = []
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        kinds = [part.strip().lower() for part in line.split(",") if part.strip()]
        if not kinds:
            continue
        unknown = [kind for kind in kinds if kind not in valid]
        if unknown:
            errors.append(
                _("Line %(line)d: unknown step “%(kind)s”.") % {"line": number, "kind": unknown[0]}
            )
            continue
        if len(set(kinds)) != len(kinds):
            errors.append(_("Line %(line)d: a step is named twice.") % {"line": number})
            continue
        steps.append(kinds)
    if errors:
        raise ValidationError(errors)
    if not steps:
        raise ValidationError(_("Write at least one step."))
    return steps


class ReviewRuleForm(forms.ModelForm):
    """A review chain: one line per step, in order; kinds reviewed in parallel on one line."""

    steps_text = forms.CharField(
        label=gettext_lazy("Steps, in order"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "One line per step; several kinds on one line (separated by commas) review in "
            "parallel. Kinds: specialist, unit_head, opinion, leader, signer. Example: "
            "“unit_head” then “opinion, leader” then “signer”."
        ),
    )

    class Meta:
        model = ReviewRule
        fields = ["agency", "document_type"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["steps_text"] = steps_to_text(
                self.instance.steps if self.instance.pk else actions.DEFAULT_REVIEW_STEPS
            )
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.order_by("name_vi")

    def clean_steps_text(self) -> str:
        text: str = self.cleaned_data.get("steps_text", "")
        self.instance.steps = text_to_steps(text)
        return text
