"""Rows of the "My work" tables written in Python: a page of an official's work holds a few
hundred rows, and a template per row cost more than everything else on the page (the markup
is the one ``_work_table.html`` had)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
    # One reverse() for the page: the document's address differs only by its id.
    base = reverse("documents:document", args=[0])[: -len("0/")]
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
                f'{int(document.urgency)}">{esc(document.get_urgency_display())}</span>'
            )
        marks.append(" ")
        if document.secrecy:
            marks.append(
                '<span class="documents-tag documents-tag--secrecy">'
                f"{esc(document.get_secrecy_display())}</span>"
            )
        if not document.urgency and not document.secrecy:
            marks.append("—")
        if row.due:
            due: str = esc(date_format(row.due, "SHORT_DATE_FORMAT"))
            if state and state[0] != "later":
                due += f'<br><strong class="documents-{esc(state[0])}">{esc(state[1])}</strong>'
        else:
            due = "—"
        out.append(
            f'<tr class="{classes}">'
            f'<th scope="row" class="documents-nowrap"><a href="{base}{int(document.pk)}/">'
            f"{name}</a><br><small>"
            f"{words['incoming'] if document.is_incoming else words['outgoing']}</small></th>"
            f'<td data-label="{summary_label}"><small class="documents-muted">'
            f"{esc(document.document_type.name_vi)}</small><br>"
            f"{esc(Truncator(document.summary).chars(160))}</td>"
            f'<td data-label="{marks_label}">{"".join(marks)}</td>'
            f'<td data-label="{what}">{esc(row.what)}</td>'
            f'<td data-label="{due_label}" class="documents-nowrap">{due}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above
