"""Back-office screens of accounts: officials (Wagtail's user admin extended) and API keys."""

from __future__ import annotations

from typing import Any

import django_filters
from axes.models import AccessAttempt
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.users.views.users import EditView as UserEditView
from wagtail.users.views.users import UserFilterSet, UserViewSet

from vgp.agencies.models import Agency

from . import permissions
from .actions import issue_api_key, reset_second_factor, revoke_api_key, unlock_sign_in
from .forms import OfficialCreationForm, OfficialEditForm
from .models import ApiKey, User


class OfficialEditView(UserEditView):
    @cached_property
    def header_more_buttons(self) -> list[Button]:
        buttons = list(super().header_more_buttons)
        if not permissions.can(self.request.user, "accounts.change_user", self.object):
            return buttons
        if AccessAttempt.objects.filter(username=self.object.get_username()).exists():
            buttons.append(
                Button(
                    _("Unlock sign-in"),
                    url=reverse("wagtailusers_users:unlock", args=[self.object.pk]),
                    icon_name="lock-open",
                    priority=25,
                )
            )
        buttons.append(
            Button(
                _("Reset second factor"),
                url=reverse("wagtailusers_users:reset_2fa", args=[self.object.pk]),
                icon_name="key",
                priority=30,
            )
        )
        return buttons


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


def reset_second_factor_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An IT administrator removes a user's authenticator (lost phone); they enrol again."""
    official = get_object_or_404(User, pk=pk)
    if not permissions.can(request.user, "accounts.change_user", official):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reset_second_factor(request.user, official, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Second factor of %(user)s removed; they will enrol again at next sign-in.")
            % {"user": official.get_username()},
        )
        return redirect("wagtailusers_users:edit", official.pk)
    return TemplateResponse(
        request, "accounts/reset_second_factor.html", {"official": official, "form": form}
    )


def unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: clear the failed sign-ins that paused an official's account."""
    official = get_object_or_404(User, pk=pk)
    if not permissions.can(request.user, "accounts.change_user", official):
        raise PermissionDenied
    if request.method == "POST":
        unlock_sign_in(request.user, official)
        messages.success(
            request, _("%(user)s can sign in again.") % {"user": official.get_username()}
        )
        return redirect("wagtailusers_users:edit", official.pk)
    return TemplateResponse(request, "accounts/unlock_sign_in.html", {"official": official})


class OfficialUserFilterSet(UserFilterSet):
    agency = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Agency"),
        queryset=Agency.objects.filter(officials__isnull=False).distinct(),
    )

    class Meta(UserFilterSet.Meta):
        fields = [*UserFilterSet.Meta.fields, "agency"]


class OfficialUserViewSet(UserViewSet):
    filterset_class = OfficialUserFilterSet

    edit_view_class = OfficialEditView

    def get_form_class(self, for_update: bool = False) -> Any:
        return OfficialEditForm if for_update else OfficialCreationForm

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/reset-2fa/", reset_second_factor_view, name="reset_2fa"),
            path("<int:pk>/unlock/", unlock_view, name="unlock"),
        ]


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["agency", "name"]

    def __init__(self, *args: Any, for_user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Who may issue keys at all is decided by the permission policy of the viewset.
        self.fields["agency"].queryset = Agency.objects.active()  # type: ignore[attr-defined]


class ApiKeyCreateView(CreateView):
    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs

    def save_instance(self) -> ApiKey:
        data = self.form.cleaned_data
        try:
            key, raw = issue_api_key(self.request.user, agency=data["agency"], name=data["name"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.form.add_error(field if field in self.form.fields else None, errors)
            raise
        self._raw_key = raw
        return key

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)

    def save_action(self) -> HttpResponse:
        # The raw key is shown exactly once, on this response; only its hash is stored.
        return TemplateResponse(
            self.request,
            "accounts/api_key_created.html",
            {"key": self.object, "raw_key": self._raw_key, "index_url": reverse("api_keys:index")},
        )


class StatusColumn(Column):
    def get_value(self, instance: ApiKey) -> str:
        return _("Active") if instance.is_active else _("Revoked")


class ApiKeyIndexView(IndexView):
    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().select_related("agency", "created_by")


def revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey.objects.select_related("agency"), pk=pk)
    if not permissions.can(request.user, "accounts.revoke_apikey", key):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revoke_api_key(request.user, key, reason=form.cleaned_data["reason"])
        messages.success(request, _("API key %(prefix)s… revoked.") % {"prefix": key.prefix})
        return redirect("api_keys:index")
    return TemplateResponse(request, "accounts/api_key_revoke.html", {"key": key, "form": form})


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = gettext_lazy("API keys")
    add_to_settings_menu = True
    url_prefix = "api-keys"
    name = "api_keys"
    form_fields = ["agency", "name"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "agency",
        "name",
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["agency"]
    search_fields = ["name", "prefix", "agency__code", "agency__name_vi"]
    add_view_class = ApiKeyCreateView
    index_view_class = ApiKeyIndexView
    list_display = [
        TitleColumn("name", label=gettext_lazy("Name"), url_name="api_keys:inspect"),
        Column("agency", label=gettext_lazy("Agency")),
        Column("prefix", label=gettext_lazy("Key prefix")),
        DateColumn("created_at", label=gettext_lazy("Created")),
        DateColumn("last_used_at", label=gettext_lazy("Last used")),
        StatusColumn("status", label=gettext_lazy("Status")),
    ]

    def get_form_class(self, for_update: bool = False) -> Any:
        return ApiKeyForm

    def get_urlpatterns(self) -> list[Any]:
        return [*super().get_urlpatterns(), path("<int:pk>/revoke/", revoke_view, name="revoke")]
