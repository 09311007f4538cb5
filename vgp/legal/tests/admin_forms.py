"""The legal documents' admin forms in tests: what an editor's browser would post back.

The form is read from the page Wagtail renders (fields, inline formsets and their management
forms), changed as a person would change it, and posted with one of the editor's actions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from vgp.legal.models import LegalDocument

ADMIN_FORM_ID = "w-editor-form"


def url(name: str, *args: Any) -> str:
    """A URL of the legal documents' admin: "add", "edit", "list", "unpublish", …"""
    return reverse(f"legal_documents:{name}", args=args)


def read_form(client: Any, address: str) -> QueryDict:
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    return querydict_from_html(response.content.decode(), form_id=ADMIN_FORM_ID)


def fill(data: QueryDict, **values: Any) -> QueryDict:
    """Set fields: lists for multiple values, dates as dates, None to empty a field."""
    for name, value in values.items():
        if isinstance(value, list | tuple):
            data.setlist(name, [str(v) for v in value])
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        elif value is None:
            data[name] = ""
        else:
            data[name] = str(value)
    return data


def add_inline(data: QueryDict, prefix: str, **values: Any) -> QueryDict:
    """Append one form to the inline formset ``prefix`` ("relations", "attachments")."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    fill(
        data,
        **{f"{prefix}-{index}-ORDER": index, f"{prefix}-{index}-DELETE": ""},
        **{f"{prefix}-{index}-{name}": value for name, value in values.items()},
    )
    return data


def action(data: QueryDict, name: str | None) -> QueryDict:
    """Choose the editor's button: None saves a draft; "publish", "submit", …"""
    if name is not None:
        data[f"action-{name}"] = name
    return data


def new_document_data(client: Any, **values: Any) -> QueryDict:
    """The empty "add" form with ``values`` filled in."""
    return fill(read_form(client, url("add")), **values)


def edit_document_data(client: Any, document: LegalDocument, **values: Any) -> QueryDict:
    """The edit form of ``document`` as loaded (its latest draft), with ``values``."""
    return fill(read_form(client, url("edit", document.pk)), **values)
