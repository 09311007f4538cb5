"""Electronic signatures in the back office (/quan-tri/chu-ky-so/), ADR 0016.

Three places under the menu "Electronic signatures":

* **Certification authorities** (IT administrators): the roots and issuing CAs with their
  published certificate and CRL, a form creating a new authority (root, issuing CA and the
  time-stamp certificate) and, on an active root, a new issuing CA.
* **Signing certificates** (IT administrators; a role limited to its agency would see its own
  agency's): the list with its filters, the issue form, each certificate's page with the
  download of the certificate (never of the key: there is no way to get a key out) and one
  confirmation page per step: renew, suspend, reinstate, revoke, signature image.
* **My signing certificate** (every official): their own personal certificates, the upload of
  their handwritten signature, suspending their own certificate (a lost token, a long leave)
  and the import of a PKCS#12 file issued elsewhere.

Thin doors over ``actions`` (the only code that changes a CA or a certificate): each form
posts to its own address, calls one action and redirects (post/redirect/get). The action is
the authority: its ``ValidationError`` is shown on the form (status 200, nothing changed), its
``PermissionDenied`` is a 403 page with its reason. The ``may`` predicates below only choose
which buttons to show. Lists read a fixed number of queries whatever the number of rows, and
never the key, certificate or image columns they do not show.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import django_filters
from cryptography.x509.oid import NameOID
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from vgp.accounts import permissions
from vgp.accounts.permissions import ScopedPermissionPolicy
from vgp.agencies.models import Agency
from vgp.core.admin_refusals import refused_page
from vgp.core.readonly_admin import ReadOnlyModelViewSet
from vgp.workdays.deadlines import VN_TZ

from . import actions, authority
from .admin_forms import (
    ConfirmForm,
    CreateAuthorityForm,
    ImageForm,
    IssueForm,
    IssuingAuthorityForm,
    Pkcs12Form,
    RenewForm,
    RevokeForm,
    add_action_errors,
)
from .models import (
    AuthorityKind,
    CertificateAuthority,
    CertificateKind,
    CertificateSource,
    CertificateStatus,
    KeyAlgorithm,
    KeyStorage,
    RevocationReason,
    SigningCertificate,
)

MENU_HOOK = "register_signatures_menu_item"
AUTHORITIES = "signature_authorities"
CERTIFICATES = "signing_certificates"
MINE = "my_signature"
PERM_VIEW_CA = "signatures.view_certificateauthority"
PERM_VIEW = "signatures.view_signingcertificate"
PER_PAGE = 50
EXPIRING_DAYS = 30
# The longest renewal chain shown on a certificate's page (each step is one query).
CHAIN_LIMIT = 20

# What the lists read of a certificate: never the key, the certificate or the image.
LIST_FIELDS = (
    "id",
    "kind",
    "source",
    "subject",
    "serial",
    "status",
    "not_before",
    "not_after",
    "last_used_at",
    "created_at",
    "agency_id",
    "holder_id",
    "agency__code",
    "agency__name_vi",
    "agency__name_en",
    "agency__abbreviation",
    "holder__username",
    "holder__first_name",
    "holder__last_name",
    "holder__position",
)
# The page of one certificate reads everything but the key.
PAGE_DEFER = ("private_key", "chain", "issuer__private_key", "issuer__crl")

KIND_SHORT = {
    CertificateKind.PERSONAL: gettext_lazy("Personal"),
    CertificateKind.SEAL: gettext_lazy("Seal"),
    CertificateKind.TSA: gettext_lazy("Time-stamp"),
}
EXPIRED = "expired"
STATE_LABELS = {
    CertificateStatus.ACTIVE: gettext_lazy("Active"),
    CertificateStatus.SUSPENDED: gettext_lazy("Suspended"),
    CertificateStatus.REVOKED: gettext_lazy("Revoked"),
    EXPIRED: gettext_lazy("Expired"),
}


# --- Permissions ---------------------------------------------------------------------------


class ViewAndAddPolicy(ScopedPermissionPolicy):
    """The permission module's answers for viewing and adding (adding is an action's form);
    nobody edits or deletes a CA or a certificate by hand, not even a superuser."""

    actions = frozenset({"view", "add"})

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action in self.actions and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return action in self.actions and super().user_has_permission_for_instance(
            user, action, instance
        )

    def instances_user_has_permission_for(self, user: Any, action: str) -> Any:
        if action not in self.actions:
            return self.model._default_manager.none()
        return super().instances_user_has_permission_for(user, action)


authority_permission_policy = ViewAndAddPolicy(CertificateAuthority)
certificate_permission_policy = ViewAndAddPolicy(SigningCertificate)


def visible_certificates(user: Any) -> QuerySet[SigningCertificate]:
    """The certificates ``user`` sees in the admin: every one for a nationwide role, their
    agency's otherwise, none without the view permission."""
    return permissions.scope(user, SigningCertificate.objects.all(), PERM_VIEW)


def refused(request: HttpRequest, reason: Any, *, back_url: str = "", back_label: Any = "") -> Any:
    return refused_page(
        request,
        reason,
        back_url=back_url or reverse("wagtailadmin_home"),
        back_label=str(back_label or _("Back to the dashboard")),
    )


# --- Display helpers -----------------------------------------------------------------------


def local_time(moment: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Viet Nam's time, whatever the server's or the user's time zone."""
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M") if moment else "—"


def local_day(moment: dt.datetime | None) -> str:
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y") if moment else "—"


def hex_pairs(value: str) -> str:
    """``1a2b3`` → ``01:A2:B3``: serials and fingerprints as certificate viewers show them."""
    value = value.upper()
    if len(value) % 2:
        value = "0" + value
    return ":".join(value[at : at + 2] for at in range(0, len(value), 2))


def breakable(pairs: str) -> SafeString:
    """Hex pairs that a narrow screen wraps after a colon, never inside a pair."""
    return format_html_join(mark_safe(":<wbr>"), "{}", ((pair,) for pair in pairs.split(":")))


def short_fingerprint(value: str) -> str:
    return hex_pairs(value[:16]) + "…"


def common_name(subject: str) -> str:
    """The CN of an RFC 4514 subject (the person's or the organisation's name)."""
    try:
        name = authority.parse_name(subject)
    except ValueError:
        return subject
    found = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(found[0].value) if found else subject


def readable_name(rfc4514: str) -> str:
    """A distinguished name as people read it: ``CN=…, T=…, O=…, C=VN`` (spaces after the
    commas, so that it wraps; the title's short name rather than its number)."""
    try:
        name = authority.parse_name(rfc4514)
    except ValueError:
        return rfc4514
    return ", ".join(rdn.rfc4514_string(authority.NAME_LABELS) for rdn in reversed(name.rdns))


def person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def short_agency(agency: Agency | None) -> str:
    if agency is None:
        return ""
    return agency.abbreviation or agency.name


def state_of(certificate: SigningCertificate, now: dt.datetime | None = None) -> str:
    """The status, or "expired" for an active certificate past its end."""
    now = now or timezone.now()
    if certificate.status == CertificateStatus.ACTIVE and certificate.not_after <= now:
        return EXPIRED
    return str(certificate.status)


def state_tag(state: str) -> str:
    primary = " w-status--primary" if state == CertificateStatus.ACTIVE else ""
    return format_html('<span class="w-status{}">{}</span>', primary, STATE_LABELS[state])


def days_left(certificate: SigningCertificate, now: dt.datetime) -> int:
    return (certificate.not_after - now).days


def image_data_url(data: bytes | memoryview | None) -> str:
    if not data:
        return ""
    return "data:image/png;base64," + base64.b64encode(bytes(data)).decode("ascii")


def image_alt(certificate: SigningCertificate) -> str:
    if certificate.kind == CertificateKind.SEAL:
        return _("Seal of %(organisation)s") % {"organisation": certificate.agency.name}
    return _("Handwritten signature of %(name)s") % {
        "name": person(certificate.holder) or common_name(certificate.subject)
    }


def active_issuing() -> CertificateAuthority | None:
    """The CA issuing now (as ``actions.active_issuing``), read without its key and blobs:
    the pages only name it."""
    return (
        CertificateAuthority.objects.filter(kind=AuthorityKind.ISSUING, active=True)
        .order_by("-created_at", "-id")
        .only("id", "name")
        .first()
    )


def certificate_url(certificate: SigningCertificate) -> str:
    return reverse(f"{CERTIFICATES}:detail", args=[certificate.pk])


# --- Certification authorities -------------------------------------------------------------


class AuthorityKindColumn(Column):
    def get_value(self, instance: CertificateAuthority) -> Any:
        if instance.kind == AuthorityKind.ROOT:
            return _("Root")
        return format_html(
            "{}<br><small>{}</small>",
            _("Issuing"),
            _("under %(root)s") % {"root": instance.parent.name if instance.parent else "—"},
        )


class DayColumn(Column):
    def get_value(self, instance: Any) -> Any:
        return local_day(super().get_value(instance))


class FingerprintColumn(Column):
    def get_value(self, instance: Any) -> Any:
        return format_html(
            '<code class="sig-code">{}</code>', short_fingerprint(instance.fingerprint)
        )


class AuthorityActiveColumn(Column):
    def get_value(self, instance: CertificateAuthority) -> Any:
        if not instance.active:
            return format_html('<span class="w-status">{}</span>', _("Retired"))
        if instance.kind == AuthorityKind.ISSUING:
            words = _("Active: issues the certificates")
        else:
            words = _("Active")
        return format_html('<span class="w-status w-status--primary">{}</span>', words)


class CrlColumn(Column):
    def get_value(self, instance: CertificateAuthority) -> Any:
        if not instance.crl_number:
            return "—"
        return format_html(
            "{}<br><small>{}</small>",
            _("No. %(number)s") % {"number": instance.crl_number},
            _("next update %(when)s") % {"when": local_time(instance.crl_next_update)},
        )


class AuthorityLinksColumn(Column):
    """The CA's published certificate and CRL, and "New issuing CA" on an active root."""

    def __init__(self, *args: Any, may_add: bool = False, **kwargs: Any) -> None:
        self.may_add = may_add
        super().__init__(*args, **kwargs)

    def get_value(self, instance: CertificateAuthority) -> Any:
        # The visible words, then whose they are for screen readers (the same words first, so
        # that speech control finds the link by what it shows).
        whose = _("of %(name)s") % {"name": instance.name}
        links = [
            (reverse("pki:ca", args=[instance.pk]), _("Certificate (.crt)")),
            (reverse("pki:crl", args=[instance.pk]), _("CRL (.crl)")),
        ]
        html = format_html_join(
            " · ",
            '<a class="sig-link" href="{}" download>{}<span class="w-sr-only"> {}</span></a>',
            ((url, text, whose) for url, text in links),
        )
        if self.may_add and instance.kind == AuthorityKind.ROOT and instance.active:
            html = format_html(
                '{}<br><a class="button button-small button-secondary sig-row-button" '
                'href="{}">{}</a>',
                html,
                reverse(f"{AUTHORITIES}:issuing", args=[instance.pk]),
                _("New issuing CA"),
            )
        return html


class AuthorityIndexView(generic.IndexView):
    page_title = gettext_lazy("Certification authorities")
    header_icon = "key"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.can(request.user, PERM_VIEW_CA):
            return refused(request, _("Only IT administrators manage the certification authority."))
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> Any:
        return CertificateAuthority.objects.select_related("parent").only(
            "id",
            "kind",
            "name",
            "parent_id",
            "parent__name",
            "key_algorithm",
            "fingerprint",
            "not_before",
            "not_after",
            "crl_number",
            "crl_next_update",
            "active",
            "created_at",
        )

    @cached_property
    def may_add(self) -> bool:
        return permissions.can(self.request.user, actions.PERM_CA)

    @cached_property
    def header_buttons(self) -> list[Any]:
        if not self.may_add:
            return []
        return [
            HeaderButton(
                _("Create certification authority"),
                url=reverse(f"{AUTHORITIES}:create"),
                icon_name="plus",
            )
        ]

    @cached_property
    def columns(self) -> list[Any]:
        return [
            Column("name", label=_("Name"), sort_key="name"),
            AuthorityKindColumn("kind", label=_("Kind"), sort_key="kind"),
            DayColumn("not_before", label=_("Valid from"), sort_key="not_before"),
            DayColumn("not_after", label=_("Valid until"), sort_key="not_after"),
            FingerprintColumn("fingerprint", label=_("SHA-256 fingerprint")),
            AuthorityActiveColumn("active", label=_("State"), sort_key="active"),
            CrlColumn("crl_number", label=_("Revocation list")),
            AuthorityLinksColumn("links", label=_("Downloads"), may_add=self.may_add),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["active_issuing"] = active_issuing()
        return context


class SignaturesFormView(WagtailAdminTemplateMixin, FormView):
    """A page with one form calling one action, for holders of ``permission``."""

    permission = ""
    refusal: Any = ""
    header_icon = "key"
    parent_label: Any = ""
    parent_url_name = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.can(request.user, self.permission):
            return refused(request, self.refusal)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.parent_url_name), "label": str(self.parent_label)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse(self.parent_url_name)
        return context

    def run(self, form: Any) -> HttpResponse:
        """Each confirmation page calls its action here (every subclass overrides it)."""
        raise NotImplementedError(f"{type(self).__name__} must define run()")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return self.run(form)
        except PermissionDenied as error:
            return refused(self.request, error)
        except ValidationError as error:
            add_action_errors(form, error)
            return self.form_invalid(form)


class CreateAuthorityView(SignaturesFormView):
    template_name = "signatures/admin/create_authority.html"
    form_class = CreateAuthorityForm
    permission = actions.PERM_CA
    refusal = gettext_lazy("Only IT administrators create a certification authority.")
    page_title = gettext_lazy("Create certification authority")
    parent_label = gettext_lazy("Certification authorities")
    parent_url_name = f"{AUTHORITIES}:index"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["active_issuing"] = active_issuing()
        return context

    def run(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        root = actions.create_authority(
            self.request.user,
            agency=data["agency"],
            root_name=data["root_name"],
            issuing_name=data["issuing_name"],
            algorithm=data["algorithm"],
        )
        messages.success(
            self.request,
            _(
                "Certification authority %(name)s created, with its issuing authority and the "
                "time-stamp certificate."
            )
            % {"name": root.name},
        )
        return redirect(f"{AUTHORITIES}:index")


class IssuingAuthorityView(SignaturesFormView):
    template_name = "signatures/admin/issuing_authority.html"
    form_class = IssuingAuthorityForm
    permission = actions.PERM_CA
    refusal = gettext_lazy("Only IT administrators create a certification authority.")
    page_title = gettext_lazy("New issuing CA")
    parent_label = gettext_lazy("Certification authorities")
    parent_url_name = f"{AUTHORITIES}:index"

    @cached_property
    def root(self) -> CertificateAuthority:
        return get_object_or_404(
            CertificateAuthority.objects.defer("certificate", "private_key", "crl"),
            pk=self.kwargs["pk"],
            kind=AuthorityKind.ROOT,
        )

    def get_page_subtitle(self) -> str:
        return self.root.name

    def get_initial(self) -> dict[str, Any]:
        return {"algorithm": self.root.key_algorithm}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["root"] = self.root
        context["active_issuing"] = active_issuing()
        return context

    def run(self, form: Any) -> HttpResponse:
        issuing = actions.create_issuing_authority(
            self.request.user,
            root=self.root,
            name=form.cleaned_data["name"].strip(),
            algorithm=form.cleaned_data["algorithm"],
        )
        messages.success(
            self.request,
            _("Issuing authority %(name)s created: it issues the new certificates from now on.")
            % {"name": issuing.name},
        )
        return redirect(f"{AUTHORITIES}:index")


class AuthorityViewSet(ReadOnlyModelViewSet):
    """The menu item "Certification authorities"."""

    model = CertificateAuthority
    icon = "key"
    menu_label = gettext_lazy("Certification authorities")
    menu_name = "signature-authorities"
    menu_order = 20
    menu_hook = MENU_HOOK
    url_prefix = "chu-ky-so/ca"
    url_namespace = AUTHORITIES
    index_view_class = AuthorityIndexView
    index_template_name = "signatures/admin/authorities.html"
    list_per_page = PER_PAGE
    search_fields = None

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("tao-moi/", CreateAuthorityView.as_view(), name="create"),
            path("<int:pk>/ca-cap-phat/", IssuingAuthorityView.as_view(), name="issuing"),
        ]


# --- The list of certificates --------------------------------------------------------------


def _agencies_with_certificates(request: HttpRequest | None) -> QuerySet[Agency]:
    if request is None:
        return Agency.objects.none()
    held = visible_certificates(request.user).order_by().values("agency_id")
    return Agency.objects.filter(pk__in=held).order_by("name_vi", "code")


class CertificateFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"), choices=[(k.value, KIND_SHORT[k]) for k in CertificateKind]
    )
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=list(STATE_LABELS.items()),
        method="filter_state",
    )
    agency = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Organisation"), queryset=_agencies_with_certificates
    )
    expiring = django_filters.ChoiceFilter(
        label=gettext_lazy("Expiry"),
        choices=[("30", gettext_lazy("Expiring within 30 days"))],
        method="filter_expiring",
    )

    class Meta:
        model = SigningCertificate
        fields = ["kind", "state", "agency", "expiring"]

    def filter_state(self, queryset: Any, name: str, value: str) -> Any:
        now = timezone.now()
        if value == EXPIRED:
            return queryset.filter(status=CertificateStatus.ACTIVE, not_after__lte=now)
        if value == CertificateStatus.ACTIVE:
            return queryset.filter(status=value, not_after__gt=now)
        return queryset.filter(status=value)

    def filter_expiring(self, queryset: Any, name: str, value: str) -> Any:
        now = timezone.now()
        return queryset.filter(
            status=CertificateStatus.ACTIVE,
            not_after__gt=now,
            not_after__lte=now + dt.timedelta(days=EXPIRING_DAYS),
        )


class SubjectColumn(Column):
    def get_value(self, instance: SigningCertificate) -> Any:
        return format_html(
            '<a href="{}">{}</a><br><small class="sig-muted">{} <code class="sig-code">{}</code>'
            "</small>",
            certificate_url(instance),
            common_name(instance.subject),
            _("Serial"),
            instance.serial[:16] + ("…" if len(instance.serial) > 16 else ""),
        )


class HolderColumn(Column):
    def get_value(self, instance: SigningCertificate) -> Any:
        if instance.holder_id is None:
            return "—"
        return format_html(
            '{}<br><small class="sig-muted">{}</small>',
            person(instance.holder),
            instance.holder.position if instance.holder else "",
        )


class OrganisationColumn(Column):
    def get_value(self, instance: SigningCertificate) -> Any:
        return short_agency(instance.agency)


class KindColumn(Column):
    def get_value(self, instance: SigningCertificate) -> Any:
        kind = KIND_SHORT[CertificateKind(instance.kind)]
        if instance.source == CertificateSource.IMPORTED:
            return format_html("{}<br><small>{}</small>", kind, _("imported"))
        return kind


class StateColumn(Column):
    def get_value(self, instance: SigningCertificate) -> Any:
        return state_tag(state_of(instance))


class ValidUntilColumn(Column):
    def get_value(self, instance: SigningCertificate) -> Any:
        now = timezone.now()
        day = local_day(instance.not_after)
        left = days_left(instance, now)
        if instance.status == CertificateStatus.ACTIVE and 0 <= left < EXPIRING_DAYS:
            words = ngettext("expires in %(n)d day", "expires in %(n)d days", left) % {"n": left}
            if left == 0:
                words = _("expires today")
            return format_html("{}<br><strong>{}</strong>", day, words)
        return day


class LastUsedColumn(Column):
    def get_value(self, instance: SigningCertificate) -> Any:
        return local_time(instance.last_used_at) if instance.last_used_at else _("Never")


class CertificateIndexView(generic.IndexView):
    page_title = gettext_lazy("Signing certificates")
    header_icon = "key"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.can(request.user, PERM_VIEW):
            return refused(
                request,
                _("Only IT administrators see the officials' certificates."),
                back_url=reverse(f"{MINE}:index"),
                back_label=_("Go to my signing certificate"),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> Any:
        return (
            visible_certificates(self.request.user)
            .select_related("agency", "holder")
            .only(*LIST_FIELDS)
        )

    def search_queryset(self, queryset: Any) -> Any:
        if not self.is_searching:
            return queryset
        text = self.search_query.strip()
        condition = Q(subject__icontains=text)
        # A serial or fingerprint as a viewer shows it: "1A:2B:…", any case, with spaces.
        digits = text.replace(":", "").replace(" ", "").lower()
        if digits and all(c in "0123456789abcdef" for c in digits):
            condition |= Q(serial__icontains=digits) | Q(fingerprint__startswith=digits)
            # Serials are stored without leading zeros; viewers pad an odd-length one ("09:C1").
            if digits.startswith("0") and digits.lstrip("0"):
                condition |= Q(serial__startswith=digits.lstrip("0"))
        return queryset.filter(condition)

    @cached_property
    def header_buttons(self) -> list[Any]:
        if not permissions.can(self.request.user, actions.PERM_ISSUE):
            return []
        return [
            HeaderButton(
                _("Issue a certificate"), url=reverse(f"{CERTIFICATES}:issue"), icon_name="plus"
            )
        ]


class IssueView(SignaturesFormView):
    template_name = "signatures/admin/issue.html"
    form_class = IssueForm
    permission = actions.PERM_ISSUE
    refusal = gettext_lazy("Only IT administrators issue certificates.")
    page_title = gettext_lazy("Issue a certificate")
    parent_label = gettext_lazy("Signing certificates")
    parent_url_name = f"{CERTIFICATES}:index"

    def holder_query(self) -> str:
        """What the administrator typed to find the official (``?q=``, its own GET form)."""
        return self.request.GET.get("q", "").strip()[:100]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "holder_query": self.holder_query(),
        }

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        holder = self.request.GET.get("holder", "")
        if holder.isdigit():
            initial["holder"] = int(holder)
        return initial

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        holders = form.fields["holder"].queryset
        if self.holder_query() and not form.is_bound and "holder" not in form.initial:
            # One official found: chosen already (a second query only when the search runs).
            found = list(holders[:2])
            if len(found) == 1:
                form.initial["holder"] = found[0].pk
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["active_issuing"] = active_issuing()
        context["holder_query"] = self.holder_query()
        if context["holder_query"]:
            context["holders_found"] = context["form"].fields["holder"].queryset.count()
        return context

    def run(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        certificate = actions.issue_certificate(
            self.request.user,
            kind=data["kind"],
            holder=data["holder"],
            agency=data["agency"],
            algorithm=data["algorithm"],
            days=data["days"],
        )
        messages.success(
            self.request,
            _("Certificate %(serial)s issued to %(name)s.")
            % {"serial": hex_pairs(certificate.serial), "name": common_name(certificate.subject)},
        )
        return redirect(certificate_url(certificate))


# --- One certificate -----------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    label: str
    value: Any
    code: bool = False


@dataclass(frozen=True)
class Link:
    """Another certificate of a renewal chain."""

    pk: int
    serial: SafeString
    until: str
    state: str

    @classmethod
    def of(cls, certificate: SigningCertificate) -> Link:
        return cls(
            certificate.pk,
            breakable(hex_pairs(certificate.serial)),
            local_day(certificate.not_after),
            str(STATE_LABELS[state_of(certificate)]),
        )


@dataclass
class Described:
    """A certificate in words, for its admin page and for "My signing certificate"."""

    certificate: SigningCertificate
    name: str
    serial: SafeString
    valid_until: str
    state: str
    state_tag: str
    facts: list[Fact]
    image_url: str
    image_alt: str
    chain: list[Link] = field(default_factory=list)
    renewals: list[Link] = field(default_factory=list)


LINK_FIELDS = ("id", "serial", "not_after", "status", "renewal_of_id")


def _renewal_chain(certificate: SigningCertificate) -> list[Link]:
    """The certificates this one renews, newest first (one query each, at most CHAIN_LIMIT)."""
    found: list[Link] = []
    at = certificate.renewal_of_id
    while at is not None and len(found) < CHAIN_LIMIT:
        previous = SigningCertificate.objects.filter(pk=at).only(*LINK_FIELDS).first()
        if previous is None:
            break
        found.append(Link.of(previous))
        at = previous.renewal_of_id
    return found


def describe(certificate: SigningCertificate, *, with_chain: bool = True) -> Described:
    now = timezone.now()
    state = state_of(certificate, now)
    validity = _("%(start)s to %(end)s") % {
        "start": local_time(certificate.not_before),
        "end": local_time(certificate.not_after),
    }
    left = days_left(certificate, now)
    if state == EXPIRED:
        validity += " · " + _("expired")
    elif certificate.status != CertificateStatus.REVOKED and left >= 0:
        validity += " · " + (
            ngettext("%(n)d day left", "%(n)d days left", left) % {"n": left}
            if left
            else _("ends today")
        )
    status = str(STATE_LABELS[state])
    if certificate.status_changed_at:
        status += " · " + _("since %(when)s") % {"when": local_time(certificate.status_changed_at)}
    facts = [
        Fact(_("Subject"), readable_name(certificate.subject)),
        Fact(_("Kind"), CertificateKind(certificate.kind).label),
        Fact(_("Holder"), person(certificate.holder) or "—"),
        Fact(_("Organisation"), certificate.agency.name),
        Fact(_("Issuer"), readable_name(certificate.issuer_name)),
        Fact(_("Source"), CertificateSource(certificate.source).label),
        Fact(_("Serial number"), breakable(hex_pairs(certificate.serial)), code=True),
        Fact(_("SHA-256 fingerprint"), breakable(hex_pairs(certificate.fingerprint)), code=True),
        Fact(_("Validity"), validity),
        Fact(_("Status"), status),
    ]
    if certificate.status == CertificateStatus.REVOKED and certificate.revocation_reason:
        facts.append(
            Fact(
                _("Revocation reason"),
                RevocationReason(certificate.revocation_reason).label,
            )
        )
    storage = str(KeyStorage(certificate.key_storage).label)
    if certificate.key_storage == KeyStorage.PKCS11 and certificate.token_key_label:
        storage += f" · {certificate.token_key_label}"
    algorithm = (
        KeyAlgorithm(certificate.key_algorithm).label
        if certificate.key_algorithm in KeyAlgorithm.values
        else certificate.key_algorithm
    )
    facts += [
        Fact(_("Key algorithm"), algorithm),
        Fact(_("Key storage"), storage),
        Fact(
            _("Last used"),
            local_time(certificate.last_used_at) if certificate.last_used_at else _("Never"),
        ),
        Fact(
            _("Created"),
            local_time(certificate.created_at)
            + (f" · {person(certificate.created_by)}" if certificate.created_by_id else ""),
        ),
    ]
    described = Described(
        certificate=certificate,
        name=common_name(certificate.subject),
        serial=breakable(hex_pairs(certificate.serial)),
        valid_until=local_time(certificate.not_after),
        state=state,
        state_tag=state_tag(state),
        facts=facts,
        image_url=image_data_url(certificate.image),
        image_alt=image_alt(certificate),
    )
    if with_chain:
        described.chain = _renewal_chain(certificate)
        described.renewals = [
            Link.of(renewal)
            for renewal in certificate.renewals.only(*LINK_FIELDS).order_by("-not_after", "id")
        ]
    return described


def _may_renew(user: Any, certificate: SigningCertificate) -> bool:
    return (
        certificate.source == CertificateSource.ISSUED
        and certificate.kind != CertificateKind.TSA
        and certificate.status != CertificateStatus.REVOKED
    )


def _is_active(user: Any, certificate: SigningCertificate) -> bool:
    return certificate.status == CertificateStatus.ACTIVE


def _is_suspended(user: Any, certificate: SigningCertificate) -> bool:
    return certificate.status == CertificateStatus.SUSPENDED


def _not_revoked(user: Any, certificate: SigningCertificate) -> bool:
    return certificate.status != CertificateStatus.REVOKED


def _has_image(user: Any, certificate: SigningCertificate) -> bool:
    return certificate.kind != CertificateKind.TSA and _not_revoked(user, certificate)


def _renew(user: Any, certificate: SigningCertificate, form: Any) -> tuple[str, str]:
    new = actions.renew(user, certificate, days=form.cleaned_data.get("days"))
    return (
        _(
            "Certificate renewed: the new certificate is %(serial)s. The old one stays valid until "
            "it expires or is revoked."
        )
        % {"serial": hex_pairs(new.serial)},
        certificate_url(new),
    )


def _suspend(user: Any, certificate: SigningCertificate, form: Any) -> tuple[str, str]:
    actions.suspend(user, certificate)
    return _("Certificate suspended: it cannot sign until reinstated."), ""


def _reinstate(user: Any, certificate: SigningCertificate, form: Any) -> tuple[str, str]:
    actions.reinstate(user, certificate)
    return _("Certificate reinstated: it signs again."), ""


def _revoke(user: Any, certificate: SigningCertificate, form: Any) -> tuple[str, str]:
    actions.revoke(user, certificate, reason=form.cleaned_data["reason"])
    return _("Certificate revoked: the revocation list says so from now on."), ""


def _set_image(user: Any, certificate: SigningCertificate, form: Any) -> tuple[str, str]:
    actions.set_image(user, certificate, form.image_bytes())
    return _("Signature image saved."), ""


@dataclass(frozen=True)
class Step:
    """One thing that can be done to a certificate, on its own confirmation page."""

    slug: str
    label: Any
    intro: Any
    button: Any
    perm: str
    form_class: type[forms.Form]
    may: Callable[[Any, SigningCertificate], bool]
    run: Callable[[Any, SigningCertificate, Any], tuple[str, str]]
    danger: bool = False

    @property
    def multipart(self) -> bool:
        return self.form_class is ImageForm


STEPS = [
    Step(
        "gia-han",
        gettext_lazy("Renew"),
        gettext_lazy(
            "A new key and certificate are made for the same holder by the active issuing "
            "authority. The current certificate stays valid until it expires or is revoked, so "
            "documents signed with it keep their proof."
        ),
        gettext_lazy("Renew the certificate"),
        actions.PERM_ISSUE,
        RenewForm,
        _may_renew,
        _renew,
    ),
    Step(
        "tam-dung",
        gettext_lazy("Suspend"),
        gettext_lazy(
            "The certificate is put on hold: it cannot sign, and the revocation list and OCSP "
            "say it is on hold, until it is reinstated."
        ),
        gettext_lazy("Suspend the certificate"),
        actions.PERM_REVOKE,
        ConfirmForm,
        _is_active,
        _suspend,
    ),
    Step(
        "khoi-phuc",
        gettext_lazy("Reinstate"),
        gettext_lazy("The certificate signs again; the revocation list no longer lists it."),
        gettext_lazy("Reinstate the certificate"),
        actions.PERM_REVOKE,
        ConfirmForm,
        _is_suspended,
        _reinstate,
    ),
    Step(
        "thu-hoi",
        gettext_lazy("Revoke"),
        gettext_lazy(
            "For good: the certificate never signs again, its key is destroyed, and the "
            "revocation list and OCSP say so from now on. This cannot be undone."
        ),
        gettext_lazy("Revoke the certificate"),
        actions.PERM_REVOKE,
        RevokeForm,
        _not_revoked,
        _revoke,
        danger=True,
    ),
    Step(
        "anh-chu-ky",
        gettext_lazy("Upload signature image"),
        gettext_lazy(
            "The image drawn in visible signatures: the handwritten signature (blue ink on a "
            "transparent background) or the organisation's red seal. It replaces the current "
            "image."
        ),
        gettext_lazy("Upload"),
        actions.PERM_CHANGE,
        ImageForm,
        _has_image,
        _set_image,
    ),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


class CertificateMixin(WagtailAdminTemplateMixin):
    """A page about one certificate the user may view (IT administrators; a certificate out of
    their scope is not found)."""

    header_icon = "key"
    request: HttpRequest
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.can(request.user, PERM_VIEW):
            return refused(
                request,
                _("Only IT administrators see the officials' certificates."),
                back_url=reverse(f"{MINE}:index"),
                back_label=_("Go to my signing certificate"),
            )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def certificate(self) -> SigningCertificate:
        return get_object_or_404(
            visible_certificates(self.request.user)
            .select_related("agency", "holder", "issuer", "created_by")
            .defer(*PAGE_DEFER),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self) -> str:
        return common_name(self.certificate.subject)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{CERTIFICATES}:index"), "label": _("Signing certificates")},
            {"url": "", "label": self.get_page_title()},
        ]

    def steps_for(self, certificate: SigningCertificate) -> list[Step]:
        user = self.request.user
        return [
            step
            for step in STEPS
            if step.may(user, certificate) and permissions.can(user, step.perm, certificate)
        ]


class CertificateView(CertificateMixin, TemplateView):
    template_name = "signatures/admin/certificate.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        certificate = self.certificate
        issuer = certificate.issuer
        context.update(
            {
                "described": describe(certificate),
                "steps": self.steps_for(certificate),
                "download_url": reverse(f"{CERTIFICATES}:download", args=[certificate.pk]),
                "issuer": issuer,
                "issuer_ca_url": reverse("pki:ca", args=[issuer.pk]) if issuer else "",
                "issuer_crl_url": reverse("pki:crl", args=[issuer.pk]) if issuer else "",
            }
        )
        return context


class StepView(CertificateMixin, FormView):
    """GET: the confirmation page of one step; POST: the action, then back to the certificate
    (or the page again with the action's errors)."""

    template_name = "signatures/admin/step.html"

    @cached_property
    def step(self) -> Step:
        step = STEPS_BY_SLUG.get(self.kwargs["step"])
        if step is None:
            raise Http404
        return step

    def get_form_class(self) -> type[forms.Form]:
        return self.step.form_class

    def get_page_title(self) -> str:
        return str(self.step.label)

    def get_page_subtitle(self) -> str:
        return common_name(self.certificate.subject)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{CERTIFICATES}:index"), "label": _("Signing certificates")},
            {"url": certificate_url(self.certificate), "label": self.get_page_subtitle()},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step, certificate = self.step, self.certificate
        if not permissions.can(request.user, step.perm, certificate):
            return refused(
                request,
                _("You do not have permission to do this."),
                back_url=certificate_url(certificate),
                back_label=_("Back to the certificate"),
            )
        if not step.may(request.user, certificate):
            messages.warning(request, _("This step is not possible for this certificate now."))
            return redirect(certificate_url(certificate))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "step": self.step,
                "described": describe(self.certificate, with_chain=False),
                "cancel_url": certificate_url(self.certificate),
                "action_url": self.request.path,
            }
        )
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        certificate = self.certificate
        try:
            message, target = self.step.run(self.request.user, certificate, form)
        except PermissionDenied as error:
            return refused(
                self.request,
                error,
                back_url=certificate_url(certificate),
                back_label=_("Back to the certificate"),
            )
        except ValidationError as error:
            add_action_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(target or certificate_url(certificate))


def _certificate_file(certificate: SigningCertificate) -> HttpResponse:
    """The certificate alone (DER): there is no way to download a key."""
    response = HttpResponse(bytes(certificate.certificate), content_type="application/pkix-cert")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.cer"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can(request.user, PERM_VIEW):
        return refused(request, _("Only IT administrators see the officials' certificates."))
    certificate = get_object_or_404(
        visible_certificates(request.user).only("id", "serial", "certificate", "agency_id"), pk=pk
    )
    return _certificate_file(certificate)


class CertificateViewSet(ReadOnlyModelViewSet):
    """The menu item "Signing certificates": the list, the issue form, each certificate."""

    model = SigningCertificate
    icon = "key"
    menu_label = gettext_lazy("Signing certificates")
    menu_name = "signing-certificates"
    menu_order = 30
    menu_hook = MENU_HOOK
    url_prefix = "chu-ky-so/chung-thu-so"
    url_namespace = CERTIFICATES
    index_view_class = CertificateIndexView
    index_template_name = "signatures/admin/certificates.html"
    filterset_class = CertificateFilterSet
    search_fields = ["subject", "serial"]
    search_backend_name = None
    list_per_page = PER_PAGE
    list_display = [
        SubjectColumn("subject", label=gettext_lazy("Subject"), sort_key="subject"),
        HolderColumn("holder", label=gettext_lazy("Holder")),
        OrganisationColumn("agency", label=gettext_lazy("Organisation")),
        KindColumn("kind", label=gettext_lazy("Kind"), sort_key="kind"),
        StateColumn("status", label=gettext_lazy("Status"), sort_key="status"),
        ValidUntilColumn("not_after", label=gettext_lazy("Valid until"), sort_key="not_after"),
        LastUsedColumn("last_used_at", label=gettext_lazy("Last used"), sort_key="last_used_at"),
    ]

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["inspect_url_name"] = self.get_url_name("detail")
        return view_kwargs

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("cap-moi/", IssueView.as_view(), name="issue"),
            path("<int:pk>/", CertificateView.as_view(), name="detail"),
            path("<int:pk>/chung-thu.cer", download_view, name="download"),
            path("<int:pk>/<slug:step>/", StepView.as_view(), name="step"),
        ]


# --- My signing certificate ----------------------------------------------------------------


@dataclass
class Card:
    """One of the official's usable (or suspended) certificates on their page."""

    described: Described
    image_form: ImageForm
    may_suspend: bool


def own_certificates(user: Any) -> QuerySet[SigningCertificate]:
    return (
        SigningCertificate.objects.filter(holder_id=user.pk, kind=CertificateKind.PERSONAL)
        .select_related("agency", "holder", "created_by")
        .defer(*PAGE_DEFER[:2])
        .order_by("-not_after", "-id")
    )


def _image_form(certificate: SigningCertificate, data: Any = None, files: Any = None) -> ImageForm:
    # One form per certificate on the page: the ids say which certificate they are for.
    return ImageForm(data, files, auto_id=f"id_%s-{certificate.pk}")


def my_page(
    request: HttpRequest,
    *,
    bound_image: ImageForm | None = None,
    bound_for: int | None = None,
    pkcs12_form: Pkcs12Form | None = None,
    status: int = 200,
) -> TemplateResponse:
    user = request.user
    now = timezone.now()
    current = actions.current_certificate(user)
    cards: list[Card] = []
    earlier: list[Described] = []
    for certificate in own_certificates(user):
        if certificate.status == CertificateStatus.REVOKED or certificate.not_after <= now:
            earlier.append(describe(certificate, with_chain=False))
            continue
        form = bound_image if bound_for == certificate.pk and bound_image else None
        cards.append(
            Card(
                described=describe(certificate, with_chain=False),
                image_form=form or _image_form(certificate),
                may_suspend=certificate.status == CertificateStatus.ACTIVE,
            )
        )
    context = {
        "page_title": _("My signing certificate"),
        "header_title": _("My signing certificate"),
        "header_icon": "key",
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": "", "label": _("My signing certificate")},
        ],
        "current": current,
        "cards": cards,
        "earlier": earlier,
        "pkcs12_form": pkcs12_form or Pkcs12Form(),
    }
    return TemplateResponse(request, "signatures/admin/mine.html", context, status=status)


def _own(request: HttpRequest, pk: int) -> SigningCertificate:
    """One of the user's own personal certificates; anyone else's is not found."""
    return get_object_or_404(own_certificates(request.user), pk=pk)


def mine_view(request: HttpRequest) -> HttpResponse:
    return my_page(request)


def mine_image_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _own(request, pk)
    if request.method != "POST":
        return redirect(f"{MINE}:index")
    form = _image_form(certificate, request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.set_image(request.user, certificate, form.image_bytes())
        except PermissionDenied as error:
            return refused(request, error, back_url=reverse(f"{MINE}:index"))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Your signature image is saved."))
            return redirect(f"{MINE}:index")
    messages.error(request, _("The image was not saved: see the error below."))
    return my_page(request, bound_image=form, bound_for=certificate.pk)


def mine_suspend_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then suspend one's own certificate (lost token, long leave)."""
    certificate = _own(request, pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST":
        try:
            actions.suspend(request.user, certificate)
        except PermissionDenied as error:
            return refused(request, error, back_url=reverse(f"{MINE}:index"))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your certificate is suspended: it cannot sign. Ask the IT administrator "
                    "to reinstate it."
                ),
            )
            return redirect(f"{MINE}:index")
    title = _("Suspend my certificate")
    context = {
        "page_title": title,
        "header_title": title,
        "header_icon": "key",
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse(f"{MINE}:index"), "label": _("My signing certificate")},
            {"url": "", "label": title},
        ],
        "step": STEPS_BY_SLUG["tam-dung"],
        "form": form,
        "described": describe(certificate, with_chain=False),
        "cancel_url": reverse(f"{MINE}:index"),
        "action_url": request.path,
        "own": True,
    }
    return TemplateResponse(request, "signatures/admin/step.html", context)


def mine_import_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect(f"{MINE}:index")
    form = Pkcs12Form(request.POST, request.FILES)
    if form.is_valid():
        try:
            imported = actions.import_pkcs12(
                request.user,
                holder=request.user,
                data=form.file_bytes(),
                password=form.cleaned_data["password"],
            )
        except PermissionDenied as error:
            return refused(request, error, back_url=reverse(f"{MINE}:index"))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Certificate of %(name)s imported: you can sign with it.")
                % {"name": common_name(imported.subject)},
            )
            return redirect(f"{MINE}:index")
    messages.error(request, _("The certificate was not imported: see the error below."))
    return my_page(request, pkcs12_form=form)


def mine_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _certificate_file(_own(request, pk))


def mine_urls() -> list[Any]:
    patterns = [
        path("", mine_view, name="index"),
        path("<int:pk>/anh-chu-ky/", mine_image_view, name="image"),
        path("<int:pk>/tam-dung/", mine_suspend_view, name="suspend"),
        path("<int:pk>/chung-thu.cer", mine_download_view, name="download"),
        path("nhap-p12/", mine_import_view, name="import"),
    ]
    return [path("chu-ky-so/cua-toi/", include((patterns, MINE), namespace=MINE))]


class MineMenuItem(MenuItem):
    """Shown to officials (anyone who belongs to an organisation)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return getattr(request.user, "agency_id", None) is not None


def mine_menu_item() -> MenuItem:
    return MineMenuItem(
        gettext_lazy("My signing certificate"),
        reverse(f"{MINE}:index"),
        name="my-signing-certificate",
        icon_name="user",
        order=10,
    )


def viewsets() -> list[Any]:
    return [AuthorityViewSet(), CertificateViewSet()]
