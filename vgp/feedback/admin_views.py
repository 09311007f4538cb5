"""Citizen feedback in the back office (/quan-tri/phan-anh-kien-nghi/): the inbox, the item page
with its action forms, and the settings (sectors, routing rules, deadline rules).

Thin doors over ``actions`` and ``queries``. The inbox lists ``queries.staff_items(user)``:
reception sees every item, an agency's staff the items their agency holds; any other item
answers 404. The item page shows everything staff need and one form per step the user may
take now; each form posts to its own address, calls one action and redirects back to the item
(post/redirect/get). An action's ``ValidationError`` is shown on the form; its
``PermissionDenied`` is a 403. Nothing here saves a submission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn, Table, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from vgp.accounts import permissions
from vgp.accounts.models import User
from vgp.accounts.permissions import ScopedPermissionPolicy, ViewOnlyPermissionPolicy
from vgp.agencies.models import Agency, AgencyKind
from vgp.core.admin_refusals import refused_page
from vgp.core.readonly_admin import ReadOnlyModelViewSet

from . import actions, attachments, deadlines, queries, redaction, worklists
from .actions import (
    PERM_ACCEPT,
    PERM_APPROVE,
    PERM_ASSIGN,
    PERM_HANDLE,
    PERM_RECEIVE,
    PERM_VIEW,
)
from .models import (
    CLOSED_STATUSES,
    KIND_SHORT,
    OPEN_STATUSES,
    DeadlineRule,
    Event,
    EventKind,
    FeedbackItem,
    Kind,
    RoutingRule,
    Sector,
    Status,
)

INBOX = "feedback_inbox"
ADMIN_CSS = "feedback/admin.css"

# Short status names for the inbox's narrow column (the full ones are the citizen's wording).
STATUS_SHORT = {
    Status.RECEIVED: gettext_lazy("At reception"),
    Status.AWAITING_CITIZEN: gettext_lazy("Waiting for the citizen"),
    Status.ROUTED: gettext_lazy("Routed, to accept"),
    Status.ACCEPTED: gettext_lazy("Accepted, to assign"),
    Status.ASSIGNED: gettext_lazy("Being handled"),
    Status.IN_APPROVAL: gettext_lazy("Reply to approve"),
    Status.ANSWERED: gettext_lazy("Answered"),
    Status.REJECTED: gettext_lazy("Rejected"),
    Status.DUPLICATE: gettext_lazy("Duplicate"),
}


# --- Permissions ---------------------------------------------------------------------------


# Staff view the items ``queries.staff_items`` gives them; nobody adds, edits or deletes one
# here: every change is a step on the item page, through an action.
item_permission_policy = ViewOnlyPermissionPolicy(
    FeedbackItem, view_perm=PERM_VIEW, can_view=actions.can_view, visible=queries.staff_items
)
sector_permission_policy = ScopedPermissionPolicy(Sector)
routing_rule_permission_policy = ScopedPermissionPolicy(RoutingRule)
deadline_rule_permission_policy = ScopedPermissionPolicy(DeadlineRule)


def _in_agency(user: Any, perm: str, item: FeedbackItem) -> bool:
    """``perm`` on an item the user's agency holds (what the actions require of agency staff)."""
    if not permissions.can(user, perm):
        return False
    if permissions.is_nationwide(user):
        return True
    return item.agency_id is not None and item.agency_id in permissions.agency_ids_of(user)


def _at_reception(user: Any, item: FeedbackItem) -> bool:
    return item.status == Status.RECEIVED and permissions.can(user, PERM_RECEIVE)


# --- Display helpers -----------------------------------------------------------------------


def short_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


def person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def agency_label(agency: Agency | None) -> str:
    if agency is None:
        return ""
    return f"{agency.name} ({agency.abbreviation})" if agency.abbreviation else agency.name


def item_url(item: FeedbackItem) -> str:
    return reverse(f"{INBOX}:item", args=[item.pk])


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put an action's ``ValidationError`` on the matching form fields (others on top)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Inbox ---------------------------------------------------------------------------------

OPEN = "open"
CLOSED = "closed"
OVERDUE = "overdue"
DUE_SOON = "soon"
MINE = "mine"


def _agencies_holding(request: HttpRequest) -> QuerySet[Agency]:
    held = queries.staff_items(request.user).order_by().values("agency_id")
    return Agency.objects.filter(pk__in=held).order_by("name_vi")


def _handlers_holding(request: HttpRequest) -> QuerySet[User]:
    held = queries.staff_items(request.user).order_by().values("handler_id")
    return User.objects.filter(pk__in=held).order_by("last_name", "first_name", "username")


class HandlerFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person(obj)


class HandlerFilter(django_filters.ModelChoiceFilter):
    field_class = HandlerFilterField


class InboxFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[
            (OPEN, gettext_lazy("Open (all stages)")),
            (CLOSED, gettext_lazy("Closed (answered, rejected, merged)")),
            *[(status.value, STATUS_SHORT[status]) for status in Status],
        ],
        method="filter_status",
    )
    due = django_filters.ChoiceFilter(
        label=pgettext_lazy("feedback deadline", "Deadline"),
        choices=[
            (OVERDUE, gettext_lazy("Overdue")),
            (DUE_SOON, gettext_lazy("Due within 3 working days")),
        ],
        method="filter_due",
    )
    queue = django_filters.ChoiceFilter(
        label=gettext_lazy("Waiting for"),
        choices=[(MINE, gettext_lazy("Me (my queue)"))],
        method="filter_queue",
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"), choices=[(k.value, KIND_SHORT[k]) for k in Kind]
    )
    sector = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Sector"), queryset=Sector.objects.order_by("name")
    )
    agency = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Handling agency"), queryset=_agencies_holding
    )
    handler = HandlerFilter(label=gettext_lazy("Handler"), queryset=_handlers_holding)

    class Meta:
        model = FeedbackItem
        fields = ["status", "due", "queue", "kind", "sector", "agency", "handler"]

    def filter_status(self, queryset: Any, name: str, value: str) -> Any:
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == CLOSED:
            return queryset.filter(status__in=CLOSED_STATUSES)
        return queryset.filter(status=value)

    def filter_due(self, queryset: Any, name: str, value: str) -> Any:
        today = worklists.today()
        if value == OVERDUE:
            return queryset.filter(worklists.overdue_q(today))
        return queryset.filter(worklists.due_soon_q(today))

    def filter_queue(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(worklists.my_queue_q(self.request.user))


class InboxTable(Table):
    """Overdue rows are marked (with the words in the deadline cell, not colour alone)."""

    def get_row_classname(self, instance: Any) -> str:
        due = getattr(instance, "due_on", None)
        return "feedback-row--overdue" if due and due < worklists.today() else ""


class ShortDateColumn(Column):
    def get_value(self, instance: Any) -> Any:
        return short_date(super().get_value(instance))


class KindColumn(Column):
    def get_value(self, instance: FeedbackItem) -> Any:
        return KIND_SHORT[Kind(instance.kind)]


class ItemStatusColumn(StatusTagColumn):
    def get_value(self, instance: FeedbackItem) -> Any:
        return STATUS_SHORT[Status(instance.status)]

    def get_primary(self, instance: FeedbackItem) -> bool:
        return instance.status == Status.ANSWERED


class AgencyColumn(Column):
    def get_value(self, instance: FeedbackItem) -> Any:
        agency = instance.agency
        if agency is None:
            return _("Reception")
        name = agency.abbreviation or agency.name
        if instance.handler_id:
            return format_html("{}<br><small>{}</small>", name, person(instance.handler))
        return name


class DeadlineColumn(Column):
    """The current deadline; overdue or due soon said in words, a paused clock too."""

    class Media:
        css = {"all": [ADMIN_CSS]}

    def get_value(self, instance: Any) -> Any:
        due = getattr(instance, "due_on", None)
        if instance.status == Status.AWAITING_CITIZEN:
            return _("Paused")
        if due is None:
            return "—"
        state, words = worklists.due_state(due, worklists.today())
        if state == worklists.OVERDUE:
            return format_html(
                '<span class="feedback-overdue">{}<br><strong>{}</strong></span>',
                short_date(due),
                words,
            )
        if state == worklists.DUE_SOON:
            return format_html(
                '{}<br><strong class="feedback-soon">{}</strong>', short_date(due), words
            )
        return short_date(due)


class InboxIndexView(generic.IndexView):
    page_title = gettext_lazy("Citizen feedback")
    table_class = InboxTable
    default_ordering = "due_on"

    def get_base_queryset(self) -> Any:
        return worklists.with_current_due(queries.staff_items(self.request.user))

    def order_queryset(self, queryset: Any) -> Any:
        # Most urgent first; the closed items (no deadline) last, newest first. Every ordering
        # ends with the primary key, so that pages never overlap.
        if self.ordering in ("due_on", "-due_on"):
            due = F("due_on")
            first = (
                due.asc(nulls_last=True) if self.ordering == "due_on" else due.desc(nulls_last=True)
            )
            return queryset.order_by(first, "-received_at", "-pk")
        return queryset.order_by(self.ordering or "-received_at", "-pk")

    def search_queryset(self, queryset: Any) -> Any:
        if not self.is_searching:
            return queryset
        code = queries.normalise_code(self.search_query)
        if code:
            return queryset.filter(code=code)
        return queryset.filter(title__icontains=self.search_query.strip())


class ItemView(generic.InspectView):
    """Everything about one item, and the forms of the steps the user may take now."""

    template_name = "feedback/admin/item.html"
    object: FeedbackItem

    def get_object(self, queryset: Any = None) -> FeedbackItem:
        # Only what the user may see: an item of another agency is not found (404).
        items = queries.staff_items(self.request.user).select_related(
            "concerned_agency", "suggested_agency", "duplicate_of", "reply_drafted_by"
        )
        return get_object_or_404(items, pk=self.kwargs["pk"])

    def get_page_title(self) -> str:
        return str(self.object.code)

    def get_page_subtitle(self) -> str:
        return self.object.title

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{INBOX}:index"), "label": _("Citizen feedback")},
            {"url": "", "label": self.object.code, "sublabel": self.object.title},
        ]

    def get_edit_url(self) -> str | None:
        return None

    def get_delete_url(self) -> str | None:
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(item_context(self.request, self.object, **kwargs))
        return context


# --- The item page's content ---------------------------------------------------------------


def item_context(
    request: HttpRequest,
    item: FeedbackItem,
    *,
    bound: forms.Form | None = None,
    bound_step: str = "",
    identity: dict[str, str] | None = None,
    **_ignored: Any,
) -> dict[str, Any]:
    user = request.user
    today = worklists.today()
    forms_ = []
    for step in STEPS:
        if not step.allowed(user, item):
            continue
        form = bound if step.name == bound_step and bound is not None else step.form(user, item)
        forms_.append((step, form))
    protected = item.is_denunciation and not actions.may_see_identity(user, item)
    if identity is None and not item.is_denunciation and not protected:
        identity = actions.reveal_identity(user, item)
    due = item.current_due
    limits = deadlines.limits_for(item.kind, item.sector_id)
    files = list(item.attachments.all())
    return {
        "item": item,
        "kind_label": Kind(item.kind).label,
        "status_short": STATUS_SHORT[Status(item.status)],
        "steps": forms_,
        "identity": identity,
        "identity_protected": protected,
        "may_reveal": item.is_denunciation and not protected and identity is None,
        "attachments": files,
        "attachments_hidden": bool(files) and not _may_download(user, item),
        "timeline": timeline(item),
        "due": due,
        "due_state": worklists.due_state(due, today) if due else None,
        "limits": limits,
        "paused_days": _paused_now(item, today),
        "open_question": queries.open_information_request(item),
        "suggestion": routing_suggestion(item),
        "sent_back": _last_sent_back(item),
        "public_preview": _public_preview(item),
        "public_url": (
            reverse("feedback:answered_detail", args=[item.pk]) if item.published_at else ""
        ),
        "agency_text": agency_label(item.agency),
        "admin_css": ADMIN_CSS,
    }


def _paused_now(item: FeedbackItem, today: dt.date) -> int | None:
    if item.paused_at is None:
        return None
    return deadlines.paused_days(item.paused_at, timezone.now())


def _last_sent_back(item: FeedbackItem) -> Event | None:
    if item.status != Status.ASSIGNED or not item.reply:
        return None
    return (
        item.events.filter(kind=EventKind.REPLY_SENT_BACK)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


def _may_download(user: Any, item: FeedbackItem) -> bool:
    # A denunciation's files (an ID card scan, a signed letter) can name the denouncer: they
    # follow the identity's protection.
    if item.is_denunciation:
        return actions.may_see_identity(user, item)
    return actions.can_view(user, item)


def _known_personal(item: FeedbackItem) -> list[str]:
    return [item.name, item.email, item.phone, item.address, item.id_number]


def _public_preview(item: FeedbackItem) -> dict[str, str] | None:
    """What the public list would show once approved (the action redacts it the same way)."""
    if item.status != Status.IN_APPROVAL:
        return None
    known = _known_personal(item)
    return {
        "title": redaction.redact(item.title, known),
        "content": redaction.redact(item.content, known),
        "reply": redaction.redact(item.reply, known),
    }


@dataclass(frozen=True)
class Suggestion:
    agency: Agency
    rule: RoutingRule | None = None
    returned_by: Agency | None = None
    reason: str = ""


def _rule_for(item: FeedbackItem) -> RoutingRule | None:
    """The routing rule that names ``suggested_agency`` (``actions.suggest_rule``)."""
    facts = actions.suggest_rule(item.kind, item.sector_id, item.province_id)
    if facts is None:
        return None
    return (
        RoutingRule.objects.select_related("sector", "province", "agency")
        .filter(pk=facts.pk)
        .first()
    )


def routing_suggestion(item: FeedbackItem) -> Suggestion | None:
    """Where reception should send the item, and who said so (an agency or a rule)."""
    if item.status != Status.RECEIVED:
        return None
    returned = (
        item.events.filter(kind=EventKind.RETURNED).select_related("agency").order_by("-at").first()
    )
    if (
        returned is not None
        and item.suggested_agency_id
        and returned.data.get("competent_agency") == item.suggested_agency_id
    ):
        assert item.suggested_agency is not None
        return Suggestion(
            agency=item.suggested_agency, returned_by=returned.agency, reason=returned.message
        )
    rule = _rule_for(item)
    agency = item.suggested_agency or (rule.agency if rule else None)
    if agency is None:
        return None
    return Suggestion(agency=agency, rule=rule if rule and rule.agency_id == agency.pk else None)


@dataclass(frozen=True)
class TimelineEntry:
    event: Event
    actor: str
    details: list[str]


def timeline(item: FeedbackItem) -> list[TimelineEntry]:
    """Every step, internal notes and reminders included; the agencies, handlers and earlier
    submissions the steps name are read in one query each."""
    events = list(item.events.select_related("actor__agency").order_by("at", "id"))
    agency_ids: set[int] = set()
    user_ids: set[int] = set()
    item_ids: set[int] = set()
    for event in events:
        data = event.data or {}
        for key in ("agency", "competent_agency"):
            if isinstance(data.get(key), int):
                agency_ids.add(data[key])
        if isinstance(data.get("handler"), int):
            user_ids.add(data["handler"])
        if isinstance(data.get("original"), int):
            item_ids.add(data["original"])
    agencies = Agency.objects.in_bulk(agency_ids) if agency_ids else {}
    users = User.objects.in_bulk(user_ids) if user_ids else {}
    originals = FeedbackItem.objects.in_bulk(item_ids) if item_ids else {}
    entries = []
    for event in events:
        data = event.data or {}
        details = []
        if event.kind == EventKind.ROUTED and data.get("agency") in agencies:
            details.append(_("To: %(agency)s") % {"agency": agency_label(agencies[data["agency"]])})
        if event.kind == EventKind.RETURNED and data.get("competent_agency") in agencies:
            details.append(
                _("Competent according to them: %(agency)s")
                % {"agency": agency_label(agencies[data["competent_agency"]])}
            )
        if event.kind == EventKind.ASSIGNED and data.get("handler") in users:
            details.append(_("Handler: %(name)s") % {"name": person(users[data["handler"]])})
        if event.kind == EventKind.DUPLICATE and data.get("original") in originals:
            details.append(
                _("Earlier submission: %(code)s") % {"code": originals[data["original"]].code}
            )
        if event.kind == EventKind.EXTENDED and data.get("to"):
            details.append(
                _("New deadline: %(date)s")
                % {"date": short_date(dt.date.fromisoformat(data["to"]))}
            )
        if event.kind == EventKind.INFO_PROVIDED and data.get("paused_days") is not None:
            details.append(
                _("Clock paused for %(days)s working days") % {"days": data["paused_days"]}
            )
        if event.kind in (EventKind.REMINDER, EventKind.ESCALATED) and data.get("due"):
            details.append(
                _("Due by %(date)s; e-mailed to %(count)s officials")
                % {
                    "date": short_date(dt.date.fromisoformat(data["due"])),
                    "count": len(data.get("recipients") or []),
                }
            )
        # Who acted, and for which agency (the event's own agency is where the item went).
        actor = person(event.actor) if event.actor_id else ""
        agency = event.actor.agency if event.actor is not None else None
        if actor and agency is not None:
            actor = f"{actor} ({agency.abbreviation or agency.name})"
        entries.append(TimelineEntry(event=event, actor=actor, details=details))
    return entries


# --- Forms of the steps --------------------------------------------------------------------


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def agency_choices() -> list[Any]:
    """Active agencies a matter can be sent to, grouped by kind (units are reached through
    their agency)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for agency in Agency.objects.active().exclude(kind=AgencyKind.UNIT).order_by("name_vi"):
        groups.setdefault(agency.kind, []).append((agency.pk, agency_label(agency)))
    order = [
        AgencyKind.GOVERNMENT,
        AgencyKind.MINISTRY,
        AgencyKind.MINISTRY_LEVEL,
        AgencyKind.GOVERNMENT_AGENCY,
        AgencyKind.PROVINCE,
        AgencyKind.OTHER,
    ]
    return [("", "—")] + [
        (str(AgencyKind(kind).label), groups[kind]) for kind in order if kind in groups
    ]


class AgencyField(forms.TypedChoiceField):
    """An agency chosen from the registry, by kind; cleans to the :class:`Agency`."""

    def __init__(self, **kwargs: Any) -> None:
        # The choices are read when a form is made (StepForm), not when this module loads.
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def clean(self, value: Any) -> Agency | None:
        pk = super().clean(value)
        if pk is None:
            return None
        agency = Agency.objects.filter(pk=pk).first()
        if agency is None:
            raise ValidationError(_("Choose an agency from the list."))
        return agency


class StepForm(forms.Form):
    """A step's form: knows the item and who acts; prefixed, as several share one page."""

    def __init__(self, user: Any, item: FeedbackItem, *args: Any, **kwargs: Any) -> None:
        self.user = user
        self.item = item
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, AgencyField):
                field.choices = agency_choices()


class ClassifyForm(StepForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices)
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector"),
        queryset=Sector.objects.filter(active=True).order_by("name"),
        required=False,
    )
    remote_area = forms.BooleanField(
        label=gettext_lazy("The citizen lives in a remote or disadvantaged area"),
        required=False,
        help_text=gettext_lazy("Adds the remote-area time to the answer deadline."),
    )

    def __init__(self, user: Any, item: FeedbackItem, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"kind": item.kind, "sector": item.sector_id, "remote_area": item.remote_area},
        )
        super().__init__(user, item, *args, **kwargs)


class RouteForm(StepForm):
    agency = AgencyField(label=gettext_lazy("Competent agency"))
    note = forms.CharField(
        label=gettext_lazy("Note to the agency"),
        required=False,
        widget=_textarea(2),
        help_text=gettext_lazy("The citizen sees it in the timeline of the submission."),
    )

    def __init__(self, user: Any, item: FeedbackItem, *args: Any, **kwargs: Any) -> None:
        suggestion = routing_suggestion(item)
        kwargs.setdefault("initial", {"agency": suggestion.agency.pk if suggestion else None})
        super().__init__(user, item, *args, **kwargs)


class OriginalField(forms.ChoiceField):
    widget = forms.RadioSelect


class DuplicateForm(StepForm):
    original = OriginalField(label=gettext_lazy("Similar earlier submissions"), required=False)
    code = forms.CharField(
        label=gettext_lazy("Or the tracking code of the earlier submission"),
        required=False,
        max_length=20,
    )

    def __init__(self, user: Any, item: FeedbackItem, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, item, *args, **kwargs)
        self.candidates = queries.duplicate_candidates(item)
        field = self.fields["original"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (
                str(other.pk),
                _("%(code)s · %(title)s · received %(date)s · %(status)s · %(score)s%% similar")
                % {
                    "code": other.code,
                    "title": other.title,
                    "date": short_date(other.received_at),
                    "status": STATUS_SHORT[Status(other.status)],
                    "score": round(score * 100),
                },
            )
            for other, score in self.candidates
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        visible = queries.staff_items(self.user)
        original = None
        if data.get("code"):
            code = queries.normalise_code(data["code"])
            original = visible.filter(code=code).first() if code else None
            if original is None:
                self.add_error("code", _("No submission has this tracking code."))
        elif data.get("original"):
            original = visible.filter(pk=int(data["original"])).first()
        elif not self.errors:
            raise ValidationError(_("Choose the earlier submission, or give its tracking code."))
        data["original_item"] = original
        return data


class RejectForm(StepForm):
    # Required by the action, which gives the message.
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=_textarea(3),
        help_text=gettext_lazy("The citizen reads it, with the legal ground for not handling it."),
    )


class RequestInformationForm(StepForm):
    question = forms.CharField(
        label=gettext_lazy("Question to the citizen"),
        required=False,
        widget=_textarea(3),
        help_text=gettext_lazy(
            "Sent by e-mail; the deadline is paused until the citizen answers on the tracking page."
        ),
    )


class AcceptForm(StepForm):
    pass


class ReturnForm(StepForm):
    competent_agency = AgencyField(label=gettext_lazy("Competent agency"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Why that agency is competent"), required=False, widget=_textarea(2)
    )


class HandlerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{person(obj)} — {obj.position}" if obj.position else person(obj)


class AssignForm(StepForm):
    handler = HandlerField(label=gettext_lazy("Handler"), queryset=User.objects.none())

    def __init__(self, user: Any, item: FeedbackItem, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"handler": item.handler_id})
        super().__init__(user, item, *args, **kwargs)
        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = actions.assignable_handlers(item)


class DraftReplyForm(StepForm):
    reply = forms.CharField(
        label=gettext_lazy("Reply to the citizen"),
        required=False,
        widget=_textarea(8),
        help_text=gettext_lazy("A leader approves it before it is sent."),
    )

    def __init__(self, user: Any, item: FeedbackItem, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"reply": item.reply})
        super().__init__(user, item, *args, **kwargs)


class SendBackForm(StepForm):
    reason = forms.CharField(
        label=gettext_lazy("What to change"), required=False, widget=_textarea(3)
    )


class ApproveForm(StepForm):
    reply = forms.CharField(
        label=gettext_lazy("Reply sent to the citizen"), required=False, widget=_textarea(8)
    )
    publish = forms.BooleanField(
        label=gettext_lazy("Publish the reply on the portal, without personal data"),
        required=False,
    )
    public_title = forms.CharField(
        label=gettext_lazy("Public title"), required=False, max_length=200
    )
    public_content = forms.CharField(
        label=gettext_lazy("Public summary of the submission"),
        required=False,
        widget=_textarea(5),
    )

    def __init__(self, user: Any, item: FeedbackItem, *args: Any, **kwargs: Any) -> None:
        preview = _public_preview(item) or {}
        self.may_publish = item.consent_to_publish and not item.is_denunciation
        kwargs.setdefault(
            "initial",
            {
                "reply": item.reply,
                "publish": self.may_publish,
                "public_title": preview.get("title", ""),
                "public_content": preview.get("content", ""),
            },
        )
        super().__init__(user, item, *args, **kwargs)
        if not self.may_publish:
            for name in ("publish", "public_title", "public_content"):
                del self.fields[name]


class ExtendForm(StepForm):
    reason = forms.CharField(
        label=gettext_lazy("Legal ground for the extension"), required=False, widget=_textarea(2)
    )
    remote_area = forms.BooleanField(
        label=gettext_lazy("Add the remote-area time instead (recognised late)"),
        required=False,
    )


class NoteForm(StepForm):
    text = forms.CharField(
        label=gettext_lazy("Internal note"),
        required=False,
        widget=_textarea(2),
        help_text=gettext_lazy("Staff only: never shown to the citizen."),
    )


# --- The steps -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing that can be done to an item: its form, who may do it now, and its action."""

    name: str
    heading: Any
    button: Any
    form_class: type[StepForm]
    allowed: Callable[[Any, FeedbackItem], bool]
    run: Callable[[Any, FeedbackItem, dict[str, Any]], str]
    intro: Any = ""
    danger: bool = False

    def form(self, user: Any, item: FeedbackItem, data: Any = None) -> StepForm:
        return self.form_class(user, item, data, prefix=self.name)


def _classify(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    actions.classify(
        user, item, kind=data["kind"], sector=data.get("sector"), remote_area=data["remote_area"]
    )
    return _("%(code)s classified.") % {"code": item.code}


def _route(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    agency = data.get("agency")
    if agency is None:
        raise ValidationError({"agency": _("Choose the competent agency.")})
    actions.route(user, item, agency, note=data.get("note", ""))
    return _("%(code)s sent to %(agency)s.") % {"code": item.code, "agency": agency_label(agency)}


def _mark_duplicate(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    original = data["original_item"]
    actions.mark_duplicate(user, item, original)
    return _("%(code)s merged with %(original)s.") % {"code": item.code, "original": original.code}


def _reject(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    actions.reject(user, item, reason=data["reason"])
    return _("%(code)s rejected; the citizen is told why.") % {"code": item.code}


def _request_information(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    actions.request_information(user, item, question=data["question"])
    return _("Question sent; the deadline of %(code)s is paused until the answer.") % {
        "code": item.code
    }


def _accept(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    item = actions.accept(user, item)
    return _("%(code)s accepted: to be answered by %(date)s.") % {
        "code": item.code,
        "date": short_date(item.answer_due),
    }


def _return(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    actions.return_to_reception(
        user, item, competent_agency=data.get("competent_agency"), reason=data["reason"]
    )
    return _("%(code)s returned to reception.") % {"code": item.code}


def _assign(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    actions.assign(user, item, data["handler"])
    return _("%(code)s assigned to %(name)s.") % {
        "code": item.code,
        "name": person(data["handler"]),
    }


def _draft_reply(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    actions.draft_reply(user, item, text=data["reply"])
    return _("Reply to %(code)s sent for approval.") % {"code": item.code}


def _send_back(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    actions.send_back(user, item, reason=data["reason"])
    return _("Reply to %(code)s sent back to the handler.") % {"code": item.code}


def _approve(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    item = actions.approve_reply(
        user,
        item,
        reply=data.get("reply") or None,
        publish=bool(data.get("publish")),
        public_title=data.get("public_title", ""),
        public_content=data.get("public_content", ""),
    )
    if item.published_at:
        return _("Reply to %(code)s approved, sent and published.") % {"code": item.code}
    return _("Reply to %(code)s approved and sent.") % {"code": item.code}


def _extend(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    item = actions.extend_deadline(
        user, item, reason=data["reason"], remote_area=data["remote_area"]
    )
    return _("Deadline of %(code)s extended to %(date)s.") % {
        "code": item.code,
        "date": short_date(item.answer_due),
    }


def _note(user: Any, item: FeedbackItem, data: dict[str, Any]) -> str:
    actions.add_note(user, item, text=data["text"])
    return _("Note added.")


def _may_request_information(user: Any, item: FeedbackItem) -> bool:
    if item.status == Status.RECEIVED:
        return permissions.can(user, PERM_RECEIVE)
    return item.status in (Status.ACCEPTED, Status.ASSIGNED) and _in_agency(user, PERM_HANDLE, item)


def _may_draft(user: Any, item: FeedbackItem) -> bool:
    return (
        item.status == Status.ASSIGNED
        and _in_agency(user, PERM_HANDLE, item)
        and (item.handler_id == user.pk or permissions.is_nationwide(user))
    )


def _may_note(user: Any, item: FeedbackItem) -> bool:
    if item.status == Status.RECEIVED or item.agency_id is None:
        return permissions.can(user, PERM_RECEIVE)
    return _in_agency(user, PERM_VIEW, item)


def _status_and(statuses: tuple[Status, ...], perm: str) -> Callable[[Any, FeedbackItem], bool]:
    def allowed(user: Any, item: FeedbackItem) -> bool:
        return item.status in statuses and _in_agency(user, perm, item)

    return allowed


STEPS: list[Step] = [
    Step(
        "route",
        gettext_lazy("Send to the competent agency"),
        gettext_lazy("Send"),
        RouteForm,
        _at_reception,
        _route,
    ),
    Step(
        "classify",
        gettext_lazy("Classify"),
        gettext_lazy("Save the classification"),
        ClassifyForm,
        _at_reception,
        _classify,
        intro=gettext_lazy("Correct the kind and sector before routing, if the citizen erred."),
    ),
    Step(
        "duplicate",
        gettext_lazy("Merge with an earlier submission"),
        gettext_lazy("Merge"),
        DuplicateForm,
        _at_reception,
        _mark_duplicate,
    ),
    Step(
        "reject",
        gettext_lazy("Reject"),
        gettext_lazy("Reject"),
        RejectForm,
        _at_reception,
        _reject,
        danger=True,
    ),
    Step(
        "accept",
        gettext_lazy("Accept"),
        gettext_lazy("Accept for handling"),
        AcceptForm,
        _status_and((Status.ROUTED,), PERM_ACCEPT),
        _accept,
        intro=gettext_lazy("The answer deadline starts today."),
    ),
    Step(
        "return",
        gettext_lazy("Return: another agency is competent"),
        gettext_lazy("Return to reception"),
        ReturnForm,
        _status_and((Status.ROUTED,), PERM_ACCEPT),
        _return,
    ),
    Step(
        "assign",
        gettext_lazy("Assign a handler"),
        gettext_lazy("Assign"),
        AssignForm,
        _status_and((Status.ACCEPTED, Status.ASSIGNED), PERM_ASSIGN),
        _assign,
    ),
    Step(
        "draft",
        gettext_lazy("Draft the reply"),
        gettext_lazy("Send for approval"),
        DraftReplyForm,
        _may_draft,
        _draft_reply,
    ),
    Step(
        "approve",
        gettext_lazy("Approve and send the reply"),
        gettext_lazy("Approve and send"),
        ApproveForm,
        _status_and((Status.IN_APPROVAL,), PERM_APPROVE),
        _approve,
    ),
    Step(
        "send_back",
        gettext_lazy("Send the reply back"),
        gettext_lazy("Send back to the handler"),
        SendBackForm,
        _status_and((Status.IN_APPROVAL,), PERM_APPROVE),
        _send_back,
    ),
    Step(
        "request_information",
        gettext_lazy("Ask the citizen for information"),
        gettext_lazy("Send the question"),
        RequestInformationForm,
        _may_request_information,
        _request_information,
    ),
    Step(
        "extend",
        gettext_lazy("Extend the deadline"),
        gettext_lazy("Extend"),
        ExtendForm,
        _status_and((Status.ACCEPTED, Status.ASSIGNED, Status.IN_APPROVAL), PERM_APPROVE),
        _extend,
    ),
    Step(
        "note",
        gettext_lazy("Internal note"),
        gettext_lazy("Add the note"),
        NoteForm,
        _may_note,
        _note,
    ),
]
STEPS_BY_NAME = {step.name: step for step in STEPS}


def forbidden(request: HttpRequest, error: PermissionDenied, item: FeedbackItem) -> HttpResponse:
    """A refused step: 403, with the action's reason and the way back to the item."""
    return refused_page(
        request,
        error,
        subtitle=item.code,
        back_url=item_url(item),
        back_label=_("Back to %(code)s") % {"code": item.code},
    )


class StepView(ItemView):
    """POST one step's form: the action, then back to the item (or the form with its errors)."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect(item_url(self.object))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = STEPS_BY_NAME.get(kwargs["step"])
        if step is None:
            raise Http404
        item = self.object
        form = step.form(request.user, item, request.POST)
        if form.is_valid():
            try:
                message = step.run(request.user, item, form.cleaned_data)
            except PermissionDenied as error:
                return forbidden(request, error, item)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, message)
                return redirect(item_url(item))
        messages.error(request, _("The step was not done: see the errors in its form."))
        context = self.get_context_data(bound=form, bound_step=step.name)
        return self.render_to_response(context)


class IdentityView(ItemView):
    """POST: show a denouncer's identity to someone allowed to see it (audited by the action).

    Answered with the page itself rather than a redirect: the identity is shown once, to this
    request, and is kept nowhere (not in the session, not in a URL)."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect(item_url(self.object))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            identity = actions.reveal_identity(request.user, self.object)
        except PermissionDenied as error:
            return forbidden(request, error, self.object)
        response = self.render_to_response(self.get_context_data(identity=identity))
        response["Cache-Control"] = "no-store, private"
        return response


def attachment_view(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    """A citizen's file, streamed from the private storage to someone who may see the item."""
    item = get_object_or_404(queries.staff_items(request.user), pk=pk)
    attachment = get_object_or_404(item.attachments, pk=attachment_id)
    if not _may_download(request.user, item):
        return forbidden(
            request,
            PermissionDenied(_("The files of a denunciation are protected with its identity.")),
            item,
        )
    response = FileResponse(
        attachments.open_stored(attachment.stored_name),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class InboxViewSet(ReadOnlyModelViewSet):
    """The menu item "Citizen feedback": the inbox and each item's page."""

    model = FeedbackItem
    icon = "mail"
    menu_label = gettext_lazy("Citizen feedback")
    menu_order = 270
    add_to_admin_menu = True
    url_prefix = "phan-anh-kien-nghi"
    url_namespace = INBOX
    index_view_class = InboxIndexView
    inspect_view_class = ItemView
    filterset_class = InboxFilterSet
    search_fields = ["code", "title"]
    search_backend_name = None
    list_per_page = 50
    ordering = "due_on"
    list_display = [
        TitleColumn(
            "code", label=gettext_lazy("Code"), get_url=item_url, classname="feedback-code"
        ),
        KindColumn("kind", label=gettext_lazy("Kind"), sort_key="kind"),
        Column("title", label=gettext_lazy("Title")),
        ShortDateColumn(
            "received_at",
            label=gettext_lazy("Received"),
            sort_key="received_at",
            classname="feedback-nowrap",
        ),
        ItemStatusColumn("status", label=gettext_lazy("Status"), sort_key="status"),
        AgencyColumn("agency", label=gettext_lazy("Agency · handler")),
        DeadlineColumn(
            "due_on",
            label=pgettext_lazy("feedback deadline", "Deadline"),
            sort_key="due_on",
            classname="feedback-due",
        ),
    ]

    def get_common_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["inspect_url_name"] = self.get_url_name("item")
        return view_kwargs

    def get_urlpatterns(self) -> list[Any]:
        def item_view(view_class: type[ItemView]) -> Any:
            return self.construct_view(view_class, **self.get_inspect_view_kwargs())

        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", item_view(ItemView), name="item"),
            path("<int:pk>/buoc/<slug:step>/", item_view(StepView), name="step"),
            path("<int:pk>/danh-tinh/", item_view(IdentityView), name="identity"),
            path("<int:pk>/tep/<int:attachment_id>/", attachment_view, name="attachment"),
        ]


# --- Settings: sectors, routing rules, deadline rules --------------------------------------


class RoutingRuleIndexView(generic.IndexView):
    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().select_related("sector", "province", "agency")


class DeadlineRuleIndexView(generic.IndexView):
    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().select_related("sector")


class SectorViewSet(ModelViewSet):
    model = Sector
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Feedback sectors")
    add_to_settings_menu = True
    url_prefix = "phan-anh-kien-nghi/linh-vuc"
    url_namespace = "feedback_sectors"
    copy_view_enabled = False
    form_fields = ["name", "name_en", "slug", "active"]
    list_display = ["name", "name_en", "slug", "active"]
    search_fields = ["name", "name_en"]
    search_backend_name = None
    list_per_page = 50


class RoutingRuleViewSet(ModelViewSet):
    model = RoutingRule
    icon = "redirect"
    menu_label = gettext_lazy("Feedback routing rules")
    add_to_settings_menu = True
    url_prefix = "phan-anh-kien-nghi/quy-tac-chuyen"
    url_namespace = "feedback_routing_rules"
    copy_view_enabled = False
    form_fields = ["kind", "sector", "province", "agency", "priority", "note"]
    list_display = [
        TitleColumn(
            "conditions",
            label=gettext_lazy("Conditions"),
            accessor="conditions_label",
            url_name="feedback_routing_rules:edit",
        ),
        Column("agency", label=gettext_lazy("Competent agency"), accessor="agency"),
        Column("priority", label=gettext_lazy("Priority"), sort_key="priority"),
        Column("note", label=gettext_lazy("Note")),
    ]
    list_filter = ["kind", "sector"]
    list_per_page = 50
    index_view_class = RoutingRuleIndexView


class DeadlineRuleViewSet(ModelViewSet):
    model = DeadlineRule
    icon = "time"
    menu_label = gettext_lazy("Feedback deadlines")
    add_to_settings_menu = True
    url_prefix = "phan-anh-kien-nghi/thoi-han"
    url_namespace = "feedback_deadline_rules"
    copy_view_enabled = False
    form_fields = [
        "kind",
        "sector",
        "routing_days",
        "acceptance_days",
        "answer_days",
        "extension_days",
        "remote_extension_days",
        "max_extensions",
        "legal_basis",
    ]
    list_display = [
        TitleColumn(
            "rule",
            label=gettext_lazy("Kind · sector"),
            accessor="__str__",
            url_name="feedback_deadline_rules:edit",
        ),
        "routing_days",
        "acceptance_days",
        "answer_days",
        "extension_days",
        "remote_extension_days",
        "max_extensions",
    ]
    list_per_page = 50
    index_view_class = DeadlineRuleIndexView
