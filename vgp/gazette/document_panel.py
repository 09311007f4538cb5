"""On a legal document's public page: the gazette issues it was printed in, with pages."""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import queries


def gazette_panel(document: Any) -> tuple[str, SafeString] | None:
    """``(title, html)`` for ``vgp.legal.presentation.register_document_panel``, or None."""
    entries = queries.appearances(document.pk)
    if not entries:
        return None
    items = format_html_join(
        "",
        '<li>{} <a href="{}">{}</a>, {} (<a href="{}#page={}">{}</a>)</li>',
        (
            (
                _("Published in the Official Gazette:"),
                entry.issue.get_absolute_url(),
                _("No. %(number)s/%(year)s") % entry.issue.number_kwargs(),
                _("issue of %(date)s")
                % {"date": date_format(entry.issue.issue_date, "SHORT_DATE_FORMAT")},
                entry.issue.get_pdf_url(),
                entry.start_page,
                ngettext("page %(pages)s", "pages %(pages)s", entry.page_span)
                % {"pages": entry.pages_label},
            )
            for entry in entries
        ),
    )
    return _("Official Gazette"), format_html('<ul class="gazette-appearances">{}</ul>', items)
