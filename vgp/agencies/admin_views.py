"""The agency registry in the back office (/quan-tri/co-quan/).

A Wagtail ``ModelViewSet`` whose create and edit views save through the actions, plus two
views of its own: *Merge into…* and *Retire*. Merged and retired agencies stay listed (filter
by status) and keep their history.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import Button

from vgp.accounts.permissions import ScopedPermissionPolicy
from vgp.audit.wagtail_bridge import log_history_only

from . import actions, queries
from .codes import LEVEL1_GROUPS
from .models import Agency, AgencyKind, AgencyStatus

agency_permission_policy = ScopedPermissionPolicy(Agency)

MERGE_LOG_ACTION = "vgp_agencies.merge"
RETIRE_LOG_ACTION = "vgp_agencies.retire"

# Status and successor change only through the merge and retire screens.
FORM_FIELDS = [name for name in actions.FIELDS if name not in {"status", "successor"}]


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put an action's ``ValidationError`` on the matching form fields (others on top)."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --- Listing --------------------------------------------------------------------------------


class AgencyFilterSet(WagtailFilterSet):
    group = django_filters.ChoiceFilter(
        label=gettext_lazy("Level-1 group"), choices=list(LEVEL1_GROUPS.items())
    )
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=AgencyKind.choices)
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=AgencyStatus.choices)
    parent = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Parent agency"),
        # Only agencies that have units can be parents worth filtering by.
        queryset=Agency.objects.filter(children__isnull=False).distinct().order_by("code"),
    )

    class Meta:
        model = Agency
        fields = ["group", "kind", "status", "parent"]


class AgencyIndexView(generic.IndexView):
    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().select_related("parent")

    def search_queryset(self, queryset: Any) -> Any:
        # Accent- and case-insensitive, like the API: "ha noi" finds "Hà Nội".
        if not self.is_searching:
            return queryset
        return queries.search(queryset, self.search_query)

    def get_list_more_buttons(self, instance: Agency) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        for label, url_name, icon, priority in _status_actions(self.request, instance):
            buttons.append(
                MenuItem(
                    label,
                    url=reverse(url_name, args=(quote(instance.pk),)),
                    icon_name=icon,
                    priority=priority,
                )
            )
        return buttons


def _status_actions(request: HttpRequest, agency: Agency) -> list[tuple[str, str, str, int]]:
    """The merge/retire links the user may follow for ``agency`` (only while it is active)."""
    if agency.status != AgencyStatus.ACTIVE:
        return []
    links = []
    if agency_permission_policy.user_has_permission_for_instance(request.user, "merge", agency):
        links.append((_("Merge into…"), "agencies:merge", "resubmit", 40))
    if agency_permission_policy.user_has_permission_for_instance(request.user, "retire", agency):
        links.append((_("Retire"), "agencies:retire", "warning", 50))
    return links


# --- Create and edit, through the actions ---------------------------------------------------


class AgencyForm(WagtailAdminModelForm):
    website = forms.URLField(
        label=Agency._meta.get_field("website").verbose_name,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Agency
        fields = FORM_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = Agency.objects.order_by("code")
        if self.instance.pk:
            parent.queryset = parent.queryset.exclude(pk=self.instance.pk)


def _action_fields(form: forms.BaseForm) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name in actions.FIELDS}


class ActionErrorsOnFormMixin:
    """Show an action's ``ValidationError`` on the form instead of a server error."""

    def form_valid(self, form: forms.BaseForm) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as error:
            _add_errors(form, error)
            self.produced_error_message = self.get_error_message()  # type: ignore[attr-defined]
            return self.form_invalid(form)  # type: ignore[attr-defined]


class AgencyCreateView(ActionErrorsOnFormMixin, generic.CreateView):
    def save_instance(self) -> Agency:
        agency = actions.create_agency(self.request.user, **_action_fields(self.form))
        log_history_only(instance=agency, action="wagtail.create", user=self.request.user)
        return agency


class AgencyEditView(ActionErrorsOnFormMixin, generic.EditView):
    def save_instance(self) -> Agency:
        # The form has already copied its values onto self.object; the action re-reads the
        # stored row under lock, so its before/after is the real one.
        before = self.object.updated_at
        agency = actions.update_agency(self.request.user, self.object, **_action_fields(self.form))
        if agency.updated_at != before:
            log_history_only(
                instance=agency, action="wagtail.edit", user=self.request.user, content_changed=True
            )
        return agency

    @cached_property
    def header_more_buttons(self) -> list[Any]:
        buttons = list(super().header_more_buttons)
        for label, url_name, icon, priority in _status_actions(self.request, self.object):
            buttons.append(
                Button(
                    label,
                    url=reverse(url_name, args=(quote(self.object.pk),)),
                    icon_name=icon,
                    priority=priority,
                )
            )
        return buttons

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stored = Agency.objects.select_related("successor").get(pk=self.object.pk)
        context["agency"] = stored
        context["predecessors"] = stored.predecessors.order_by("code")
        context["units"] = stored.children.order_by("code")
        return context


# --- Merge and retire -----------------------------------------------------------------------


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=gettext_lazy("Merge into"),
        queryset=Agency.objects.none(),
        help_text=gettext_lazy("The agency that takes over; its active units move under it."),
    )
    on = forms.DateField(
        label=gettext_lazy("Last day of validity"),
        widget=AdminDateInput,
        help_text=gettext_lazy("The last day the merged agency exists under its own code."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The decision that orders the merger, e.g. its number and date."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm this merger; the agency stays in the registry as merged."),
    )

    def __init__(self, *args: Any, source: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = Agency.objects.filter(status=AgencyStatus.ACTIVE).exclude(pk=source.pk)


class RetireForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("Last day of validity"),
        widget=AdminDateInput,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The decision that dissolves the agency, e.g. its number and date."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm that this agency is retired; it stays in the registry."),
    )


class AgencyStatusActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Shared shape of the merge and retire views: one agency, one form, one action."""

    model = Agency
    template_name = "agencies/admin/status_action.html"
    header_icon = "site"
    index_url_name: str | None = None
    edit_url_name: str | None = None
    submit_button_label: Any = ""
    intro: Any = ""
    object: Agency

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Agency.objects.select_related("parent"), pk=kwargs["pk"])

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        assert self.permission_required is not None
        if not self.user_has_permission_for_instance(self.permission_required, self.object):
            raise PermissionDenied
        if self.object.status != AgencyStatus.ACTIVE:
            messages.error(
                request,
                _("%(agency)s is %(status)s: it can no longer be merged or retired.")
                % {"agency": self.object, "status": self.object.get_status_display().lower()},
            )
            return redirect(self.get_edit_url())
        return super().dispatch(request, *args, **kwargs)

    def get_edit_url(self) -> str:
        assert self.edit_url_name is not None
        return reverse(self.edit_url_name, args=(quote(self.object.pk),))

    def get_page_subtitle(self) -> str:
        return str(self.object)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        assert self.index_url_name is not None
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Agencies")},
            {"url": self.get_edit_url(), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self) -> dict[str, Any]:
        return {"on": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            action_url=self.request.path,
            submit_button_label=self.submit_button_label,
            submit_button_active_label=self.submit_button_label,
            intro=self.intro,
            units=self.object.children.filter(status=AgencyStatus.ACTIVE).order_by("code"),
        )
        return context

    def run_action(self, form: forms.Form) -> tuple[Agency, str]:
        raise NotImplementedError

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            with transaction.atomic():
                _agency, message = self.run_action(form)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_edit_url())


class AgencyMergeView(AgencyStatusActionView):
    permission_required = "merge"
    form_class = MergeForm
    page_title = gettext_lazy("Merge into another agency")
    submit_button_label = gettext_lazy("Merge")
    intro = gettext_lazy(
        "The agency becomes “merged”, with the chosen agency as its successor and the date as "
        "its last day. Its active units move under the successor. Nothing is deleted."
    )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "source": self.object}

    def run_action(self, form: forms.Form) -> tuple[Agency, str]:
        target = form.cleaned_data["target"]
        agency = actions.merge_agencies(
            self.request.user,
            self.object,
            target,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        )
        log_history_only(
            instance=agency,
            action=MERGE_LOG_ACTION,
            user=self.request.user,
            data={"successor": target.code, "reason": form.cleaned_data["reason"]},
        )
        return agency, _("%(agency)s merged into %(target)s.") % {
            "agency": agency.code,
            "target": target.code,
        }


class AgencyRetireView(AgencyStatusActionView):
    permission_required = "retire"
    form_class = RetireForm
    page_title = gettext_lazy("Retire agency")
    submit_button_label = gettext_lazy("Retire")
    intro = gettext_lazy(
        "The agency becomes “retired” from the day after the date given. It stays in the "
        "registry with its history. An agency with active units cannot be retired."
    )

    def run_action(self, form: forms.Form) -> tuple[Agency, str]:
        agency = actions.retire_agency(
            self.request.user,
            self.object,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        )
        log_history_only(
            instance=agency,
            action=RETIRE_LOG_ACTION,
            user=self.request.user,
            data={"reason": form.cleaned_data["reason"]},
        )
        return agency, _("%(agency)s retired.") % {"agency": agency.code}


# --- The viewset ----------------------------------------------------------------------------


class AgencyViewSet(ModelViewSet):
    model = Agency
    permission_policy = agency_permission_policy
    icon = "site"
    menu_label = gettext_lazy("Agencies")
    menu_order = 850
    add_to_admin_menu = True
    url_prefix = "co-quan"
    url_namespace = "agencies"
    copy_view_enabled = False
    index_view_class = AgencyIndexView
    add_view_class = AgencyCreateView
    edit_view_class = AgencyEditView
    edit_template_name = "agencies/admin/edit.html"
    filterset_class = AgencyFilterSet
    search_fields = ["code", "name_vi", "name_en", "abbreviation"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        "code",
        Column("name", label=gettext_lazy("Name"), accessor="name", sort_key="name_vi"),
        "abbreviation",
        "kind",
        Column("parent", label=gettext_lazy("Parent agency"), accessor="parent.code"),
        "status",
        "valid_from",
        "valid_to",
    ]
    list_export = [
        "code",
        "name_vi",
        "name_en",
        "abbreviation",
        "kind",
        "status",
        "valid_from",
        "valid_to",
    ]

    def get_form_class(self, for_update: bool = False) -> type[AgencyForm]:
        return AgencyForm

    def _status_view(self, view_class: type[AgencyStatusActionView]) -> Any:
        return self.construct_view(
            view_class,
            index_url_name=self.get_url_name("index"),
            edit_url_name=self.get_url_name("edit"),
        )

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("merge/<int:pk>/", self._status_view(AgencyMergeView), name="merge"),
            path("retire/<int:pk>/", self._status_view(AgencyRetireView), name="retire"),
        ]


agency_viewset = AgencyViewSet("agencies")
