"""Rows of the "My work" and "Tracking" tables written in Python: a page of an official's work
or of the deadlines a unit head chases holds a few hundred rows, and a template per row cost
more than everything else on the page (the markup is the one the templates had)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vgp.documents.display import choice_label, clip, document_url, short_date
from vgp.documents.models import Secrecy, Urgency

register = template.Library()


@register.simple_tag
def work_rows(rows: Iterable[Any], what_label: Any) -> SafeString:
    summary_label = esc(_("Type · summary"))
    marks_label = esc(_("Urgency · secrecy"))
    due_label = esc(pgettext("documents deadline", "Deadline"))
    what = esc(str(what_label))
    words = {
        "incoming": esc(_("Incoming")),
        "outgoing": esc(_("Outgoing")),
        "unregistered": esc(_("Not registered yet")),
        "draft": esc(_("Draft")),
    }
    out = []
    for row in rows:
        document = row.document
        state = row.due_state
        classes = "documents-row--urgent" if document.urgency else ""
        if state and state[0] == "overdue":
            classes += " documents-row--overdue"
        if document.is_incoming and document.arrival_number:
            name = esc(document.reference)
        elif document.number_symbol:
            name = esc(document.number_symbol)
        else:
            name = words["unregistered"] if document.is_incoming else words["draft"]
        marks = []
        if document.urgency:
            marks.append(
                '<span class="documents-tag documents-tag--urgency documents-tag--urgency-'
                f'{int(document.urgency)}">{esc(choice_label(Urgency, document.urgency))}</span>'
            )
        marks.append(" ")
        if document.secrecy:
            marks.append(
                '<span class="documents-tag documents-tag--secrecy">'
                f"{esc(choice_label(Secrecy, document.secrecy))}</span>"
            )
        if not document.urgency and not document.secrecy:
            marks.append("—")
        if row.due:
            due: str = esc(short_date(row.due))
            if state and state[0] != "later":
                due += f'<br><strong class="documents-{esc(state[0])}">{esc(state[1])}</strong>'
        else:
            due = "—"
        out.append(
            f'<tr class="{classes}">'
            f'<th scope="row" class="documents-nowrap"><a href="{document_url(document)}">'
            f"{name}</a><br><small>"
            f"{words['incoming'] if document.is_incoming else words['outgoing']}</small></th>"
            f'<td data-label="{summary_label}"><small class="documents-muted">'
            f"{esc(document.document_type.name_vi)}</small><br>"
            f"{esc(clip(document.summary, 160))}</td>"
            f'<td data-label="{marks_label}">{"".join(marks)}</td>'
            f'<td data-label="{what}">{esc(row.what)}</td>'
            f'<td data-label="{due_label}" class="documents-nowrap">{due}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above


@register.simple_tag
def tracking_rows(rows: Iterable[Any]) -> SafeString:
    """The rows of "Tracking" (up to a hundred deadlines; the markup ``tracking.html`` had)."""
    summary_label = esc(pgettext("official documents", "Summary"))
    unit_label = esc(_("Unit"))
    person_label = esc(_("Person"))
    what_label = esc(_("What"))
    due_label = esc(pgettext("documents deadline", "Deadline"))
    out = []
    for row in rows:
        document = row.document
        state = row.due_state
        urgency = ""
        if document.urgency:
            urgency = (
                '<br><span class="documents-tag documents-tag--urgency documents-tag--urgency-'
                f'{int(document.urgency)}">{esc(choice_label(Urgency, document.urgency))}</span>'
            )
        unit = row.unit
        unit_name = (unit.abbreviation or unit.name or "—") if unit is not None else "—"
        handler = row.handler
        who = (handler.get_full_name() or handler.get_username()) if handler else "—"
        overdue = ' class="documents-row--overdue"' if state[0] == "overdue" else ""
        out.append(
            f"<tr{overdue}>"
            f'<th scope="row" class="documents-nowrap"><a href="{document_url(document)}">'
            f"{esc(document.reference)}</a>{urgency}</th>"
            f'<td data-label="{summary_label}">{esc(clip(document.summary, 120))}</td>'
            f'<td data-label="{unit_label}">{esc(unit_name)}</td>'
            f'<td data-label="{person_label}">{esc(who)}</td>'
            f'<td data-label="{what_label}">{esc(row.what)}</td>'
            f'<td data-label="{due_label}" class="documents-nowrap">{esc(short_date(row.due))}'
            f'<br><strong class="documents-{esc(state[0])}">{esc(state[1])}</strong></td>'
            "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above
