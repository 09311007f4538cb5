"""The forms of the electronic signatures' back office (``admin_views.py``).

They only collect what an action needs; every rule (who may, in which state, which file is
acceptable) is the action's, whose ``ValidationError`` :func:`add_action_errors` puts on the
matching field. Uploads are read up to one byte past the action's limit, so that a huge file
is refused by the action's own message without being read whole.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vgp.accounts import permissions
from vgp.accounts.models import User
from vgp.agencies.models import Agency
from vgp.core.text import fold, terms
from vgp.core.widgets import fast_selects

from . import actions
from .models import CertificateKind, KeyAlgorithm, RevocationReason

# What an official may choose for a new key (RSA 3072 stays for the command line).
ISSUE_ALGORITHMS = [
    (KeyAlgorithm.EC_P256.value, KeyAlgorithm.EC_P256.label),
    (KeyAlgorithm.RSA_2048.value, KeyAlgorithm.RSA_2048.label),
]
ISSUE_KINDS = [
    (CertificateKind.PERSONAL.value, CertificateKind.PERSONAL.label),
    (CertificateKind.SEAL.value, CertificateKind.SEAL.label),
]


def add_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put an action's ``ValidationError`` on the matching fields of ``form`` (the others on
    top of the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def read_upload(upload: UploadedFile | None, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``upload``: enough for the action to say it is too big."""
    if upload is None:
        return b""
    upload.seek(0)
    return upload.read(limit + 1)


def person_label(user: Any) -> str:
    name = user.get_full_name() or user.get_username()
    agency = (user.agency.abbreviation or user.agency.name) if user.agency_id else ""
    parts = [name, user.position, agency]
    return " — ".join(part for part in parts if part) + f" ({user.get_username()})"


def agency_label(agency: Agency) -> str:
    return f"{agency.name} ({agency.abbreviation})" if agency.abbreviation else agency.name


class HolderField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class AgencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return agency_label(obj)


def agencies_for(user: Any) -> QuerySet[Agency]:
    """The active agencies ``user`` acts for: all of them for a nationwide role."""
    agencies = Agency.objects.active().order_by("name_vi", "code")
    if permissions.is_nationwide(user):
        return agencies
    return agencies.filter(pk__in=permissions.agency_ids_of(user))


def officials_for(user: Any) -> QuerySet[User]:
    """The active officials (with an agency) of the agencies ``user`` acts for."""
    officials = (
        User.objects.filter(is_active=True, agency__isnull=False)
        .select_related("agency")
        .order_by("last_name", "first_name", "username")
    )
    if permissions.is_nationwide(user):
        return officials
    return officials.filter(agency_id__in=permissions.agency_ids_of(user))


def officials_matching(officials: QuerySet[User], query: str) -> QuerySet[User]:
    """The officials of ``officials`` whose name, user name, position or organisation holds
    every word of ``query``, with or without diacritics ("tran van minh" finds Trần Văn Minh).

    Users keep no folded copy of their names, so the words are matched in Python on the few
    columns read here: about 10 ms of folding per 1,000 officials, on an admin's form."""
    words = terms(query)
    if not words:
        return officials
    rows = officials.values_list(
        "pk", "username", "first_name", "last_name", "position", "agency__search_text"
    )
    found = []
    for pk, *texts in rows:
        folded = fold(" ".join(text or "" for text in texts))
        if all(word in folded for word in words):
            found.append(pk)
    return officials.filter(pk__in=found)


class CreateAuthorityForm(forms.Form):
    agency = AgencyField(
        label=_("Organisation running the authority"),
        queryset=Agency.objects.none(),
        help_text=_("Its name is written in the certificates as the organisation."),
    )
    root_name = forms.CharField(
        label=_("Name of the root authority"),
        max_length=64,
        help_text=_("For example “VPCP Root CA”. The root signs only issuing authorities."),
    )
    issuing_name = forms.CharField(
        label=_("Name of the issuing authority"),
        max_length=64,
        help_text=_("For example “VPCP Issuing CA”. It issues the officials' certificates."),
    )
    algorithm = forms.ChoiceField(
        label=_("Key algorithm"),
        choices=KeyAlgorithm.choices,
        initial=KeyAlgorithm.EC_P256,
        help_text=_("ECDSA P-256 is fast and compact; RSA is read by older software."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for(user)  # type: ignore[attr-defined]
        fast_selects(self)


class IssuingAuthorityForm(forms.Form):
    name = forms.CharField(label=_("Name of the new issuing authority"), max_length=64)
    algorithm = forms.ChoiceField(
        label=_("Key algorithm"), choices=KeyAlgorithm.choices, initial=KeyAlgorithm.EC_P256
    )


class IssueForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of certificate"),
        choices=ISSUE_KINDS,
        initial=CertificateKind.PERSONAL,
        widget=forms.RadioSelect,
    )
    holder = HolderField(
        label=_("Official (for a personal certificate)"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("The certificate names the official, their position and organisation."),
    )
    agency = AgencyField(
        label=_("Organisation (for a seal)"),
        queryset=Agency.objects.none(),
        required=False,
    )
    algorithm = forms.ChoiceField(
        label=_("Key algorithm"), choices=ISSUE_ALGORITHMS, initial=KeyAlgorithm.EC_P256
    )
    days = forms.IntegerField(
        label=_("Validity in days (optional)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Leave empty for the usual term: 730 days for a person, 1095 for a seal."),
    )

    def __init__(self, *args: Any, user: Any, holder_query: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The official's search (a GET form of its own) narrows the choices it offers.
        officials = officials_matching(officials_for(user), holder_query)
        self.fields["holder"].queryset = officials  # type: ignore[attr-defined]
        self.fields["agency"].queryset = agencies_for(user)  # type: ignore[attr-defined]
        fast_selects(self)


class RenewForm(forms.Form):
    days = forms.IntegerField(
        label=_("Validity of the new certificate in days (optional)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Leave empty for the usual term: 730 days for a person, 1095 for a seal."),
    )


class ConfirmForm(forms.Form):
    """A confirmation: nothing to fill, the button (and its CSRF token) is the answer."""


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "---------"), *RevocationReason.choices],
        help_text=_("Written in the revocation list; “Key compromised” when the key may be known."),
    )


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Signature image (PNG)"),
        widget=forms.FileInput(attrs={"accept": ".png,image/png"}),
        help_text=_(
            "A PNG with a transparent background, at most 512 KB and 2000 pixels on each side: "
            "the handwritten signature in blue ink, or the red seal of the organisation."
        ),
        error_messages={"required": _("Choose the PNG image to upload.")},
    )

    def image_bytes(self) -> bytes:
        return read_upload(self.cleaned_data.get("image"), actions.IMAGE_MAX_BYTES)


class Pkcs12Form(forms.Form):
    file = forms.FileField(
        label=_("PKCS#12 file (.p12 or .pfx)"),
        widget=forms.FileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
        help_text=_(
            "The certificate with its private key, as issued by a trusted certification "
            "authority; at most 64 KB. The file is not kept: its key is stored encrypted."
        ),
        error_messages={"required": _("Choose the PKCS#12 file to import.")},
    )
    password = forms.CharField(
        label=_("Password of the file"),
        required=False,
        strip=False,
        # Never sent back to the browser, not even with the form's errors.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def file_bytes(self) -> bytes:
        return read_upload(self.cleaned_data.get("file"), actions.PKCS12_MAX_BYTES)
