"""The public forms of citizen feedback: the submission, the tracking lookup, the answer to a
request for information, and the filters of the list of answered items.

The forms check what a citizen can correct on the spot (a missing field, a malformed telephone
number, a file that is not what it says) before the view counts the attempt against the rate
limits: a citizen without JavaScript has three submissions an hour, and a typo should not cost
one. ``actions.submit`` checks the same rules again and stays the authority; its refusals are
put back on the fields with :meth:`SubmissionForm.add_action_errors`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vgp.agencies.models import Agency, AgencyKind

from . import actions, attachments
from .models import FeedbackItem, Kind, Sector

MAX_CONTENT_CHARS = 20_000
MAX_QUERY_LENGTH = 200
# What the file picker offers first; the server decides by content (attachments.py).
ACCEPT = ",".join(
    [".pdf", ".jpg", ".jpeg", ".png", ".docx", *(ct for ct, _ext in attachments.ALLOWED.values())]
)
CONCERNED_KINDS = (
    AgencyKind.MINISTRY,
    AgencyKind.MINISTRY_LEVEL,
    AgencyKind.GOVERNMENT_AGENCY,
    AgencyKind.PROVINCE,
)

# One line under each kind of submission, so that a citizen can choose without knowing the law.
KIND_HINTS = {
    Kind.FEEDBACK: _(
        "Tell us about a problem with an administrative regulation or procedure, or with how "
        "officials behaved."
    ),
    Kind.PETITION: _("Propose a change or an improvement to a policy, a rule or a public service."),
    Kind.COMPLAINT: _(
        "Ask for a decision or an action of an agency or an official that harms your rights "
        "to be reviewed."
    ),
    Kind.DENUNCIATION: _(
        "Report a breach of the law by an official or an agency. Your identity is protected "
        "and a denunciation is never published."
    ),
}

# Messages shared with actions._validate (same English source, so one translation).
NAME_REQUIRED = _("Enter your full name.")
CONTACT_REQUIRED = _("Give an email address or a telephone number so we can reply.")
PHONE_INVALID = _("Enter a telephone number of 10 digits, e.g. 0912 345 678.")
ID_NUMBER_INVALID = _("An identity card number has 12 digits (or 9 for old cards).")
TITLE_REQUIRED = _("Enter a short title.")
CONTENT_TOO_SHORT = _("Describe the matter in at least 20 characters.")
DATE_INVALID = _("Enter a real date, for example 02/09/2026.")


def is_english() -> bool:
    return (get_language() or "vi").startswith("en")


def sector_name(sector: Sector | None) -> str:
    if sector is None:
        return ""
    return sector.name_en if is_english() and sector.name_en else sector.name


class AgencyChoiceField(forms.ModelChoiceField):
    """An agency by its name in the reader's language (the code means nothing to a citizen)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return sector_name(obj)


class MultipleFileInput(forms.FileInput):
    """``<input type=file multiple>`` (Django's "Uploading multiple files")."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; their content is checked by ``attachments.check_uploads``,
    which names every refused file, so the citizen sees all problems at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        files = [single(upload, initial) for upload in uploads if upload]
        if files:
            attachments.check_uploads(files)
        return files


def uploads_hint() -> str:
    """The limits, in the words shown under every file field."""
    return str(
        _(
            "Optional. PDF, JPG, PNG or DOCX; up to %(count)s files of at most %(size)s each, "
            "%(total)s in all. The type is checked by the file's content."
        )
        % {
            "count": attachments.max_count(),
            "size": attachments.format_size(attachments.max_bytes()),
            "total": attachments.format_size(attachments.max_total_bytes()),
        }
    )


class DescribedForm(forms.Form):
    """Ties each input to its hint and its error message (``aria-describedby``), in the order
    a screen reader should read them; the templates give those elements the ids used here."""

    #: Fields drawn by the template itself (radio groups describe each option).
    drawn_by_template: tuple[str, ...] = ()
    #: The field that receives an action's refusal of files.
    file_field = "attachments"

    def describe(self) -> None:
        errors = self.errors if self.is_bound else {}
        for name, field in self.fields.items():
            if field.widget.is_hidden or name in self.drawn_by_template:
                continue
            field_id = self[name].auto_id
            described_by = []
            if field.help_text:
                described_by.append(f"{field_id}_helptext")
            if name in errors:
                described_by.append(f"{field_id}_error")
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def add_action_errors(self, error: ValidationError, default_field: str | None = None) -> None:
        """Put an action's refusal on the fields it names (``files`` is the file field)."""
        renamed = {"files": self.file_field}
        if hasattr(error, "error_dict"):
            for key, messages in error.error_dict.items():
                field = renamed.get(key, key)
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(default_field, error.error_list)


class SubmissionForm(DescribedForm):
    """Everything of ``actions.Submission``, a honeypot and the form's one-time token."""

    drawn_by_template = ("kind",)
    HONEYPOT = "website"

    kind = forms.ChoiceField(
        label=_("What do you want to send?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what kind of submission this is."),
            "invalid_choice": _("Choose what kind of submission this is."),
        },
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": NAME_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an email address such as ten@example.vn.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Telephone number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=255,
        help_text=_("House number, street, ward or commune."),
        error_messages={"required": _("Enter your address.")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    province = AgencyChoiceField(
        label=_("Province or centrally-run city"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose the province or city where you live."),
            "invalid_choice": _("Choose a province or centrally-run city."),
        },
    )
    id_number = forms.CharField(
        label=_("Identity card number (optional)"),
        required=False,
        max_length=20,
        help_text=_("12 digits, or 9 on an old card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A few words saying what it is about."),
        error_messages={"required": TITLE_REQUIRED},
    )
    content = forms.CharField(
        label=_("Content"),
        max_length=MAX_CONTENT_CHARS,
        help_text=_(
            "What happened, when and where, who was involved, and what you ask for. "
            "At least 20 characters."
        ),
        error_messages={
            "required": CONTENT_TOO_SHORT,
            "max_length": _("Write at most %(limit_value)d characters."),
        },
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    sector = SectorChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        empty_label=_("Choose…"),
        help_text=_("Choose “Other” if none fits."),
        error_messages={
            "required": _("Choose the sector it concerns."),
            "invalid_choice": _("Choose a sector from the list."),
        },
    )
    concerned_agency = AgencyChoiceField(
        label=_("Agency or locality concerned (optional)"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("I do not know"),
        help_text=_("The reception desk sends it to the competent agency in any case."),
        error_messages={"invalid_choice": _("Choose an agency from the list.")},
    )
    attachments = MultipleFileField(label=_("Attached files"))
    consent_to_publish = forms.BooleanField(
        label=_("I agree that the reply may be published, without my name or contact details"),
        required=False,
        help_text=_(
            "Published replies help others with the same question. This choice is ignored for "
            "a denunciation: denunciations are never published."
        ),
    )
    # The honeypot: hidden from people by CSS, left in the form for robots that fill every box.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form is incomplete: reload the page and send it again."),
            "invalid": _("This form is incomplete: reload the page and send it again."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = Agency.objects.active()
        name_order = "name_en" if is_english() else "name_vi"
        province = self.fields["province"]
        concerned = self.fields["concerned_agency"]
        sector = self.fields["sector"]
        assert isinstance(province, forms.ModelChoiceField)
        assert isinstance(concerned, forms.ModelChoiceField)
        assert isinstance(sector, forms.ModelChoiceField)
        province.queryset = active.filter(kind=AgencyKind.PROVINCE).order_by(name_order, "id")
        concerned.queryset = active.filter(kind__in=CONCERNED_KINDS).order_by(name_order, "id")
        sector.queryset = Sector.objects.filter(active=True).order_by(
            "name_en" if is_english() else "name", "id"
        )
        self.fields["attachments"].help_text = uploads_hint()

    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get(self.HONEYPOT, "")).strip())

    def kind_options(self) -> list[dict[str, Any]]:
        """The radio buttons of ``kind``, each with its one-line explanation."""
        chosen = self["kind"].value()
        return [
            {
                "value": value,
                "label": label,
                "hint": KIND_HINTS[Kind(value)],
                "id": f"id_kind_{index}",
                "checked": chosen == value,
            }
            for index, (value, label) in enumerate(Kind.choices)
        ]

    def clean_id_number(self) -> str:
        # People write "001 080 012 345"; the number is the digits.
        value = re.sub(r"[\s.-]", "", self.cleaned_data.get("id_number", ""))
        if value and not re.fullmatch(r"\d{9}|\d{12}", value):
            raise ValidationError(ID_NUMBER_INVALID)
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        if value and not 9 <= len(actions.normalise_phone(value)) <= 11:
            raise ValidationError(PHONE_INVALID)
        return value

    def clean_content(self) -> str:
        value = self.cleaned_data.get("content", "").strip()
        if len(value) < 20:
            raise ValidationError(CONTENT_TOO_SHORT)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email_given = bool(cleaned.get("email")) or "email" in self.errors
        phone_given = bool(cleaned.get("phone")) or "phone" in self.errors
        if not email_given and not phone_given:
            self.add_error("email", CONTACT_REQUIRED)
        return cleaned

    def submission(self) -> actions.Submission:
        data = self.cleaned_data
        return actions.Submission(
            kind=data["kind"],
            name=data["name"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            address=data.get("address", ""),
            province=data.get("province"),
            id_number=data.get("id_number", ""),
            title=data["title"],
            content=data["content"],
            sector=data.get("sector"),
            concerned_agency=data.get("concerned_agency"),
            consent_to_publish=bool(data.get("consent_to_publish")),
            files=list(data.get("attachments") or []),
        )


class TrackForm(DescribedForm):
    """The tracking code and the email address or telephone number given with it."""

    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        help_text=_("12 letters and digits, e.g. 7KQ2-M9XA-3PTB; capitals and dashes optional."),
        error_messages={"required": _("Enter your tracking code.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    contact = forms.CharField(
        label=_("Email address or telephone number"),
        max_length=254,
        help_text=_("The one you gave when you sent it."),
        error_messages={"required": _("Enter the email address or telephone number you gave.")},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )


class AnswerForm(DescribedForm):
    """The citizen's answer to a request for information, with files."""

    answer = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_CONTENT_CHARS,
        error_messages={
            "required": _("Write your answer."),
            "max_length": _("Write at most %(limit_value)d characters."),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Attached files"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = uploads_hint()

    def clean_answer(self) -> str:
        value = self.cleaned_data.get("answer", "").strip()
        if not value:
            raise ValidationError(_("Write your answer."))
        return value

    def uploads(self) -> Sequence[UploadedFile]:
        return list(self.cleaned_data.get("attachments") or [])


class DateInput(forms.DateInput):
    """``<input type=date>``: the browser's own date picker, sending ``yyyy-mm-dd``."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AnsweredFilterForm(DescribedForm):
    """The search and filters of the public list of answered items (a GET form).

    A value that cannot be read is reported on its field and left out; the rest still filters.
    """

    q = forms.CharField(
        label=_("Words to search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "With or without diacritics: “chung nhan quyen su dung dat” finds "
            "“chứng nhận quyền sử dụng đất”."
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )
    agency = AgencyChoiceField(
        label=_("Agency that answered"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("All agencies"),
        error_messages={"invalid_choice": _("Choose an agency from the list.")},
    )
    sector = SectorChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("All sectors"),
        error_messages={"invalid_choice": _("Choose a sector from the list.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[],
        error_messages={"invalid_choice": _("Choose a kind from the list.")},
    )
    date_from = forms.DateField(
        label=_("Answered from"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_INVALID},
    )
    date_to = forms.DateField(
        label=_("Answered until"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_INVALID},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answering: QuerySet[FeedbackItem] = FeedbackItem.objects.published()
        agency = self.fields["agency"]
        sector = self.fields["sector"]
        kind = self.fields["kind"]
        assert isinstance(agency, forms.ModelChoiceField)
        assert isinstance(sector, forms.ModelChoiceField)
        assert isinstance(kind, forms.ChoiceField)
        # Only agencies with a published answer: a filter that can only find nothing helps no one.
        agency.queryset = Agency.objects.filter(
            pk__in=answering.values("agency_id").order_by()
        ).order_by("name_en" if is_english() else "name_vi", "id")
        sector.queryset = Sector.objects.filter(active=True).order_by(
            "name_en" if is_english() else "name", "id"
        )
        # Denunciations are never published, so never offered.
        kind.choices = [("", _("All kinds"))] + [
            (value, label) for value, label in Kind.choices if value != Kind.DENUNCIATION
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from: dt.date | None = cleaned.get("date_from")
        date_to: dt.date | None = cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned

    def describe(self) -> None:
        super().describe()
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if isinstance(widget, DateInput):
                # A date picker cannot show what was typed wrong; a text box can.
                widget.input_type = "text"

    def filters(self) -> dict[str, Any]:
        """The arguments of ``queries.public_items`` from what could be read."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        agency = data.get("agency")
        sector = data.get("sector")
        return {
            "q": data.get("q") or "",
            "agency_id": agency.pk if agency else None,
            "sector_id": sector.pk if sector else None,
            "kind": data.get("kind") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }

    def has_criteria(self) -> bool:
        return any(self.data.get(name) for name in self.fields)
