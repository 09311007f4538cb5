"""How the documents' pages write the values they show many times a page: dates, choice
labels, summaries clipped to a length, a document's address.

Django's own helpers are right and slow for this: ``get_FOO_display`` rebuilds a dictionary
of lazily translated labels for every call, ``date_format`` parses its format string each
time, ``reverse`` walks the URL resolver. A list of 50 documents called them some 400 times,
a fifth of the page's time. These give the same text, working out what does not change
within a page (a language's labels, the address prefix) once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.text import Truncator
from django.utils.translation import get_language

_LABELS: dict[tuple[type[models.Choices], str | None], dict[Any, str]] = {}
_DOCUMENT_URL_PREFIXES: dict[tuple[str, str | None], str] = {}


def choice_labels(choices: type[models.Choices]) -> dict[Any, str]:
    """A choices class's labels in the active language (value -> text), translated once per
    language."""
    key = (choices, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {member.value: str(member.label) for member in choices}
    return labels


def choice_label(choices: type[models.Choices], value: Any) -> str:
    """``get_FOO_display`` for a value of ``choices``: its label, else the value itself."""
    return choice_labels(choices).get(value, str(value))


def short_date(value: dt.date | dt.datetime | None) -> str:
    """``date_format(value, "SHORT_DATE_FORMAT")`` (a time in Hà Nội for a datetime), written
    directly for the day-first format both languages use."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    if get_format("SHORT_DATE_FORMAT") == "d/m/Y":
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return date_format(value, "SHORT_DATE_FORMAT")


def clip(text: str, length: int) -> str:
    """``Truncator(text).chars(length)``, without its work for the texts that fit."""
    if len(text) <= length:  # combining marks only make the visible length shorter
        return text
    return str(Truncator(text).chars(length))


def document_url(document: Any) -> str:
    """The admin page of a document (``documents:document``): one ``reverse`` per script
    prefix and language rather than one per row."""
    key = (get_script_prefix(), get_language())
    prefix = _DOCUMENT_URL_PREFIXES.get(key)
    if prefix is None:
        prefix = _DOCUMENT_URL_PREFIXES[key] = reverse("documents:document", args=[0]).removesuffix(
            "0/"
        )
    return f"{prefix}{int(document.pk)}/"
