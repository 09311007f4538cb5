"""The gazette desk in the back office (/quan-tri/cong-bao/): issues and received documents.

Thin doors over ``actions``: the create and edit screens of an issue collect the documents in
the order the editor set (an inline list with a document chooser, and the received documents
still waiting, listed first by deadline) and hand them to ``create_issue``/``update_issue``;
submit, return and publish are confirmation screens that call one action each. Only a draft
can be edited; an issue in review or published opens on its summary page, with the PDF.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import Button

from vgp.accounts.permissions import ScopedPermissionPolicy
from vgp.agencies.models import Agency
from vgp.legal.models import LegalDocument

from . import actions, deadlines, printing, queries
from .models import GazetteEntry, GazetteIssue, GazetteSubmission, IssueStatus
from .numbering import next_free_number
from .pdf import FontsMissing

issue_permission_policy = ScopedPermissionPolicy(GazetteIssue)
submission_permission_policy = ScopedPermissionPolicy(GazetteSubmission)

ISSUES = "gazette_issues"
SUBMISSIONS = "gazette_submissions"


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put an action's ``ValidationError`` on the matching form fields (others on top)."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


class ActionErrorsOnFormMixin:
    """Show an action's ``ValidationError`` on the form instead of a server error."""

    def form_valid(self, form: forms.BaseForm) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as error:
            _add_errors(form, error)
            self.produced_error_message = self.get_error_message()  # type: ignore[attr-defined]
            return self.form_invalid(form)  # type: ignore[attr-defined]


def _short_date(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- Issues: the form ------------------------------------------------------------------------


class PendingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        submission: GazetteSubmission = obj
        state = deadlines.state_of(submission)
        due = _("to be published by %(date)s") % {"date": _short_date(submission.due_on)}
        if state == deadlines.OVERDUE:
            due = _("overdue: was due by %(date)s") % {"date": _short_date(submission.due_on)}
        return f"{submission.document.display_name} — {submission.document.title} ({due})"


class IssueForm(WagtailAdminModelForm):
    """An issue's number and date, its documents in order, and received documents to add."""

    pending = PendingChoiceField(
        label=gettext_lazy("Received documents waiting for the gazette"),
        queryset=GazetteSubmission.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Earliest deadline first. Ticked documents are added at the end of the issue; "
            "move them in the list below if needed."
        ),
    )

    class Meta:
        model = GazetteIssue
        fields = ["year", "number", "issue_date"]
        widgets = {"issue_date": AdminDateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        waiting = deadlines.pending().filter(document__live=True)
        if self.instance.pk:
            in_issue = GazetteEntry.objects.filter(issue=self.instance).values("document_id")
            waiting = waiting.exclude(document_id__in=in_issue)
        pending = self.fields["pending"]
        assert isinstance(pending, forms.ModelMultipleChoiceField)
        pending.queryset = waiting
        if not self.instance.pk and not self.is_bound:
            today = timezone.localdate()
            self.initial.update(
                year=today.year, number=next_free_number(today.year), issue_date=today
            )

    def ordered_documents(self) -> list[LegalDocument]:
        """The documents in the editor's order, then the ticked received ones."""
        formset = self.formsets["entries"]
        rows: list[tuple[int, int, LegalDocument]] = []
        for index, form in enumerate(formset.forms):
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("document") is None:
                continue
            order = data.get("ORDER")
            rows.append((order if order is not None else 10**6, index, data["document"]))
        documents = [document for _order, _index, document in sorted(rows, key=lambda r: r[:2])]
        present = {document.pk for document in documents}
        for submission in self.cleaned_data.get("pending") or []:
            if submission.document_id not in present:
                documents.append(submission.document)
                present.add(submission.document_id)
        return documents


ISSUE_PANELS = ObjectList(
    [
        FieldRowPanel(
            [FieldPanel("year"), FieldPanel("number"), FieldPanel("issue_date")],
            heading=gettext_lazy("Issue"),
        ),
        MultiFieldPanel([FieldPanel("pending")], heading=gettext_lazy("Waiting for the gazette")),
        InlinePanel(
            "entries",
            panels=[FieldPanel("document")],
            heading=gettext_lazy("Documents in the issue, in order"),
            label=gettext_lazy("Document"),
            help_text=gettext_lazy(
                "Only documents published in the legal database; each document once."
            ),
        ),
    ],
    base_form_class=IssueForm,
)


# --- Issues: list, create, edit, inspect, delete ---------------------------------------------


def _year_choices() -> list[tuple[int, str]]:
    years = GazetteIssue.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(year, str(year)) for year in years]


class IssueFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(label=gettext_lazy("Year"), choices=_year_choices)
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=IssueStatus.choices)

    class Meta:
        model = GazetteIssue
        fields = ["year", "status"]


def _issue_url(issue: GazetteIssue) -> str:
    name = "edit" if issue.is_draft else "inspect"
    return reverse(f"{ISSUES}:{name}", args=(quote(issue.pk),))


class ShortDateColumn(Column):
    """A date as dd/mm/yyyy (Wagtail's DateColumn says "2 weeks ago": a deadline needs the day)."""

    def get_value(self, instance: Any) -> Any:
        value = super().get_value(instance)
        if isinstance(value, dt.datetime):
            return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, dt.date):
            return date_format(value, "SHORT_DATE_FORMAT")
        return value or "—"


class IssueStatusColumn(StatusTagColumn):
    def get_value(self, instance: GazetteIssue) -> Any:
        return instance.get_status_display()

    def get_primary(self, instance: GazetteIssue) -> bool:
        return instance.is_published


class IssueIndexView(generic.IndexView):
    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().annotate(document_count=Count("entries"))


class IssueCreateView(ActionErrorsOnFormMixin, generic.CreateView):
    def save_instance(self) -> GazetteIssue:
        form = self.form
        assert isinstance(form, IssueForm)
        data = form.cleaned_data
        return actions.create_issue(
            self.request.user,
            year=data["year"],
            number=data["number"],
            issue_date=data["issue_date"],
            documents=form.ordered_documents(),
        )

    def get_success_url(self) -> str:
        return reverse(f"{ISSUES}:inspect", args=(quote(self.object.pk),))


class IssueEditView(ActionErrorsOnFormMixin, generic.EditView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.user_has_permission("change"):
            raise PermissionDenied
        issue = get_object_or_404(GazetteIssue, pk=self.kwargs[self.pk_url_kwarg])
        if not issue.is_draft:
            if issue.is_published:
                messages.info(request, _("A published issue cannot be changed."))
            else:
                messages.info(
                    request,
                    _("This issue is waiting for review: return it to draft to change it."),
                )
            return redirect(f"{ISSUES}:inspect", quote(issue.pk))
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self) -> GazetteIssue:
        form = self.form
        assert isinstance(form, IssueForm)
        data = form.cleaned_data
        return actions.update_issue(
            self.request.user,
            self.object,
            year=data["year"],
            number=data["number"],
            issue_date=data["issue_date"],
            documents=form.ordered_documents(),
        )

    def get_success_url(self) -> str:
        return reverse(f"{ISSUES}:inspect", args=(quote(self.object.pk),))

    @cached_property
    def can_delete(self) -> bool:
        return self.user_has_permission("delete")


class IssueDeleteView(generic.DeleteView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        issue = get_object_or_404(GazetteIssue, pk=self.kwargs[self.pk_url_kwarg])
        if not issue.is_draft and self.user_has_permission("delete"):
            messages.error(request, _("Only a draft issue can be deleted."))
            return redirect(f"{ISSUES}:inspect", quote(issue.pk))
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self) -> None:
        actions.delete_issue(self.request.user, self.object)


def issue_buttons(user: Any, issue: GazetteIssue) -> list[Button]:
    """What ``user`` may do with ``issue`` now, as buttons (confirmations follow)."""
    buttons: list[Button] = []
    can_change = issue_permission_policy.user_has_permission(user, "change")
    if issue.is_draft and can_change:
        buttons.append(
            Button(_("Edit"), url=reverse(f"{ISSUES}:edit", args=[issue.pk]), icon_name="edit")
        )
        buttons.append(
            Button(
                _("Submit for review"),
                url=reverse(f"{ISSUES}:submit", args=[issue.pk]),
                icon_name="resubmit",
                classname="button-primary",
            )
        )
    if issue.status == IssueStatus.IN_REVIEW:
        if issue_permission_policy.user_has_permission(user, "publish"):
            buttons.append(
                Button(
                    _("Publish"),
                    url=reverse(f"{ISSUES}:publish", args=[issue.pk]),
                    icon_name="upload",
                    classname="button-primary",
                )
            )
        if can_change:
            buttons.append(
                Button(
                    _("Return to draft"),
                    url=reverse(f"{ISSUES}:return", args=[issue.pk]),
                    icon_name="undo",
                )
            )
    if not issue.is_published:
        buttons.append(
            Button(
                _("Preview the PDF"),
                url=reverse(f"{ISSUES}:preview", args=[issue.pk]),
                icon_name="doc-full",
                attrs={"target": "_blank", "rel": "noopener"},
            )
        )
    return buttons


class IssueInspectView(generic.InspectView):
    template_name = "gazette/admin/issue_inspect.html"

    def get_page_subtitle(self) -> str:
        return str(self.object)

    def get_edit_url(self) -> str | None:
        if self.object.is_draft:
            return super().get_edit_url()
        return None

    def get_delete_url(self) -> str | None:
        if self.object.is_draft:
            return super().get_delete_url()
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        issue = self.object
        entries = list(
            GazetteEntry.objects.filter(issue=issue)
            .select_related("document", "document__doc_type")
            .order_by("sort_order", "pk")
        )
        by_document = {
            s.document_id: s
            for s in GazetteSubmission.objects.filter(
                document_id__in=[e.document_id for e in entries]
            )
        }
        user = self.request.user
        context.update(
            issue=issue,
            entries=[(entry, by_document.get(entry.document_id)) for entry in entries],
            buttons=issue_buttons(user, issue),
            own_submission=issue.status == IssueStatus.IN_REVIEW
            and issue.submitted_by_id == getattr(user, "pk", None),
            public_url=issue.get_absolute_url() if issue.is_published else "",
            signature=queries.signature(issue) if issue.is_published else None,
        )
        return context


# --- Issues: submit, return, publish, preview ------------------------------------------------


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("I confirm."))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What must change"),
        # Required by the action, which gives the message.
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The editor who assembled the issue reads this on the issue."),
    )


class IssueActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """One issue, one confirmation form, one action."""

    model = GazetteIssue
    template_name = "gazette/admin/issue_action.html"
    header_icon = "doc-full-inverse"
    submit_button_label: Any = ""
    intro: Any = ""
    confirm_label: Any = ""
    issue: GazetteIssue

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.issue = get_object_or_404(GazetteIssue, pk=kwargs["pk"])

    def refusal(self) -> str:
        """Why the action cannot be done now (empty: it can)."""
        return ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.permission_required and not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        if refusal := self.refusal():
            messages.error(request, refusal)
            return redirect(self.get_inspect_url())
        return super().dispatch(request, *args, **kwargs)

    def get_inspect_url(self) -> str:
        return reverse(f"{ISSUES}:inspect", args=[self.issue.pk])

    def get_form(self, form_class: Any = None) -> forms.Form:
        form = super().get_form(form_class)
        if self.confirm_label and "confirm" in form.fields:
            form.fields["confirm"].label = self.confirm_label
        return form

    def get_page_subtitle(self) -> str:
        return str(self.issue)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{ISSUES}:index"), "label": _("Gazette issues")},
            {"url": self.get_inspect_url(), "label": str(self.issue)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            issue=self.issue,
            action_url=self.request.path,
            submit_button_label=self.submit_button_label,
            submit_button_active_label=self.submit_button_label,
            intro=self.intro,
            entry_count=GazetteEntry.objects.filter(issue=self.issue).count(),
        )
        return context

    def run_action(self, form: forms.Form) -> str:
        raise NotImplementedError

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            message = self.run_action(form)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_inspect_url())


class SubmitView(IssueActionView):
    permission_required = "change"
    form_class = ConfirmForm
    page_title = gettext_lazy("Submit for review")
    submit_button_label = gettext_lazy("Submit for review")
    confirm_label = gettext_lazy("The issue is complete and in the right order.")
    intro = gettext_lazy(
        "The issue can no longer be edited while it waits. Another gazette editor checks it and "
        "publishes it, or returns it to draft with a reason. You cannot publish an issue you "
        "submitted yourself."
    )

    def refusal(self) -> str:
        if not self.issue.is_draft:
            return _("Only a draft can be submitted for review.")
        return ""

    def run_action(self, form: forms.Form) -> str:
        actions.submit_for_review(self.request.user, self.issue)
        return _("%(issue)s submitted for review.") % {"issue": self.issue}


class ReturnView(IssueActionView):
    permission_required = "change"
    form_class = ReturnForm
    page_title = gettext_lazy("Return to draft")
    submit_button_label = gettext_lazy("Return to draft")
    intro = gettext_lazy("The issue becomes a draft again and can be edited.")

    def refusal(self) -> str:
        if self.issue.status != IssueStatus.IN_REVIEW:
            return _("Only an issue waiting for review can be returned to draft.")
        return ""

    def run_action(self, form: forms.Form) -> str:
        actions.return_to_draft(self.request.user, self.issue, form.cleaned_data["reason"])
        return _("%(issue)s returned to draft.") % {"issue": self.issue}


class PublishView(IssueActionView):
    permission_required = "publish"
    form_class = ConfirmForm
    page_title = gettext_lazy("Publish")
    submit_button_label = gettext_lazy("Publish")
    confirm_label = gettext_lazy(
        "I have checked the issue and its PDF preview. Publishing is final: a published issue "
        "never changes."
    )
    intro = gettext_lazy(
        "The PDF is made and stored, each document gets its page numbers, and the issue "
        "appears on the portal, in its feeds and in the gazette's search."
    )

    def refusal(self) -> str:
        if self.issue.status != IssueStatus.IN_REVIEW:
            return _("Only an issue submitted for review can be published: submit it first.")
        if self.issue.submitted_by_id == self.request.user.pk:
            return _(
                "You submitted this issue for review, so you cannot publish it: another "
                "gazette editor must check and publish it."
            )
        return ""

    def run_action(self, form: forms.Form) -> str:
        actions.publish_issue(self.request.user, self.issue)
        return _("%(issue)s published: %(pages)s pages.") % {
            "issue": self.issue,
            "pages": self.issue.page_count,
        }


def preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF the issue would have if it were published now (not stored)."""
    if not issue_permission_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    issue = get_object_or_404(GazetteIssue, pk=pk)
    if issue.is_published and issue.pdf:
        return redirect(issue.get_pdf_url())
    entries = list(
        GazetteEntry.objects.filter(issue=issue)
        .select_related("document", "document__doc_type", "document__issuer")
        .order_by("sort_order", "pk")
    )
    documents = printing.printed_documents([entry.document for entry in entries])
    try:
        rendered = printing.render_pdf(issue, documents, preview=True)
    except FontsMissing:
        messages.error(
            request,
            _(
                "The PDF cannot be made: the gazette's fonts are missing on the server. "
                "Ask the IT centre to install them (make assets)."
            ),
        )
        return redirect(f"{ISSUES}:inspect", issue.pk)
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="ban-xem-truoc-cong-bao-{issue.year}-{issue.number}.pdf"'
    )
    response["Cache-Control"] = "no-store, private"
    return response


class IssueViewSet(ModelViewSet):
    model = GazetteIssue
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Issues")
    menu_order = 100
    url_prefix = "cong-bao/so"
    url_namespace = ISSUES
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = IssueIndexView
    add_view_class = IssueCreateView
    edit_view_class = IssueEditView
    delete_view_class = IssueDeleteView
    inspect_view_class = IssueInspectView
    filterset_class = IssueFilterSet
    edit_handler = ISSUE_PANELS
    ordering = ["-year", "-number"]
    list_per_page = 50
    list_display = [
        TitleColumn("label", label=gettext_lazy("Issue"), get_url=_issue_url, sort_key="number"),
        ShortDateColumn("issue_date", label=gettext_lazy("Issue date")),
        IssueStatusColumn("status", label=gettext_lazy("Status")),
        Column("document_count", label=gettext_lazy("Documents")),
        Column("page_count", label=gettext_lazy("Pages")),
        ShortDateColumn("published_at", label=gettext_lazy("Published")),
    ]
    list_export = ["year", "number", "issue_date", "status", "page_count", "published_at"]

    def get_urlpatterns(self) -> list[Any]:
        def view(view_class: type[IssueActionView]) -> Any:
            return view_class.as_view()

        return [
            *super().get_urlpatterns(),
            path("submit/<int:pk>/", view(SubmitView), name="submit"),
            path("return/<int:pk>/", view(ReturnView), name="return"),
            path("publish/<int:pk>/", view(PublishView), name="publish"),
            path("preview/<int:pk>/", preview_view, name="preview"),
        ]


# --- Received documents ----------------------------------------------------------------------


class SubmissionFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("Deadline"),
        choices=[
            (deadlines.OVERDUE, gettext_lazy("Overdue")),
            (deadlines.DUE_SOON, gettext_lazy("Due soon")),
            ("waiting", gettext_lazy("Waiting (all)")),
            (deadlines.PUBLISHED, gettext_lazy("Published")),
        ],
        method="filter_state",
    )
    sending_agency = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Sending agency"),
        queryset=lambda request: Agency.objects.filter(
            pk__in=GazetteSubmission.objects.values("sending_agency")
        ).order_by("name_vi"),
    )
    received_on = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Received"), widget=DateRangePickerWidget
    )

    class Meta:
        model = GazetteSubmission
        fields = ["state", "sending_agency", "received_on"]

    def filter_state(self, queryset: Any, name: str, value: str) -> Any:
        today = timezone.localdate()
        if value == deadlines.PUBLISHED:
            return queryset.filter(published_on__isnull=False)
        waiting = queryset.filter(published_on__isnull=True)
        if value == deadlines.OVERDUE:
            return waiting.filter(due_on__lt=today)
        if value == deadlines.DUE_SOON:
            soon = today + dt.timedelta(days=deadlines.DUE_SOON_DAYS)
            return waiting.filter(due_on__gte=today, due_on__lte=soon)
        return waiting


class DeadlineColumn(Column):
    def get_value(self, instance: GazetteSubmission) -> Any:
        state = deadlines.state_of(instance)
        label = deadlines.STATE_LABELS[state]
        if state in (deadlines.OVERDUE, deadlines.DUE_SOON):
            return format_html("<strong>{}</strong>", label)
        return label


class SubmissionIndexView(generic.IndexView):
    def get_base_queryset(self) -> Any:
        return deadlines.with_publication(super().get_base_queryset()).select_related(
            "document", "document__doc_type", "sending_agency"
        )


class SubmissionForm(WagtailAdminModelForm):
    class Meta:
        model = GazetteSubmission
        fields = ["document", "received_on", "sending_agency", "note"]
        widgets = {"received_on": AdminDateInput, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            self.initial["received_on"] = timezone.localdate()
        if self.instance.pk and "document" in self.fields:
            self.fields["document"].disabled = True


class SubmissionCreateView(ActionErrorsOnFormMixin, generic.CreateView):
    def save_instance(self) -> GazetteSubmission:
        data = self.form.cleaned_data
        return actions.receive_for_gazette(
            self.request.user,
            document=data["document"],
            received_on=data["received_on"],
            sending_agency=data.get("sending_agency"),
            note=data.get("note") or "",
        )


class SubmissionEditView(ActionErrorsOnFormMixin, generic.EditView):
    def save_instance(self) -> GazetteSubmission:
        data = self.form.cleaned_data
        return actions.update_submission(
            self.request.user,
            self.object,
            received_on=data["received_on"],
            sending_agency=data.get("sending_agency"),
            note=data.get("note") or "",
        )


class SubmissionViewSet(ModelViewSet):
    model = GazetteSubmission
    icon = "mail"
    menu_label = gettext_lazy("Received documents")
    menu_order = 200
    url_prefix = "cong-bao/van-ban-nhan"
    url_namespace = SUBMISSIONS
    copy_view_enabled = False
    index_view_class = SubmissionIndexView
    add_view_class = SubmissionCreateView
    edit_view_class = SubmissionEditView
    filterset_class = SubmissionFilterSet
    edit_handler = ObjectList(
        [
            FieldPanel("document"),
            FieldRowPanel([FieldPanel("received_on"), FieldPanel("sending_agency")]),
            FieldPanel("note"),
        ],
        base_form_class=SubmissionForm,
    )
    ordering = ["due_on", "pk"]
    list_per_page = 50
    list_display = [
        TitleColumn(
            "document",
            label=gettext_lazy("Document"),
            url_name=f"{SUBMISSIONS}:edit",
            accessor="document.display_name",
        ),
        Column("title", label=gettext_lazy("Title"), accessor="document.title"),
        ShortDateColumn("received_on", label=gettext_lazy("Received")),
        ShortDateColumn("due_on", label=gettext_lazy("To be published by")),
        Column("sending_agency", label=gettext_lazy("Sending agency"), accessor="sending_agency"),
        DeadlineColumn("deadline", label=gettext_lazy("Deadline")),
    ]
    list_export = ["document", "received_on", "due_on", "sending_agency", "note"]


class GazetteViewSetGroup(ModelViewSetGroup):
    items = (IssueViewSet, SubmissionViewSet)
    menu_label = gettext_lazy("Official Gazette")
    menu_icon = "doc-full-inverse"
    menu_order = 260
