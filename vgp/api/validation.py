"""Request validation errors in the caller's language, by field.

django-ninja reports pydantic's errors (``type``, ``loc``, English ``msg``). The API keeps them
as they are under ``errors`` and adds ``fields``: for each field, what is wrong in the
language of ``Accept-Language``, so that an agency's developer (and the agency's staff reading
their system's log) can see which fields to fix without reading pydantic's vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

# Where a value came from, as the first element of ``loc``.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def field_name(loc: Iterable[Any]) -> str:
    """``("body", "article", "title")`` → ``title``; ``("query", "cursor")`` → ``cursor``.

    A body is one named parameter holding the JSON object, so its second element is the
    parameter's name, not a field the caller sent.
    """
    parts = [str(part) for part in loc]
    if parts and parts[0] in _SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("This field cannot be empty.")
        return _("Enter at least %(min)s characters.") % {"min": ctx.get("min_length")}
    if kind == "string_too_long":
        return _("Enter at most %(max)s characters.") % {"max": ctx.get("max_length")}
    if kind == "too_long":
        return _("Give at most %(max)s items.") % {"max": ctx.get("max_length")}
    if kind.startswith(("datetime_", "date_", "timezone_")):
        return _("Enter a date and time in ISO 8601 form, e.g. 2025-05-01T08:30:00+07:00.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind.startswith("url_"):
        return _("Enter a web address that starts with http:// or https://.")
    if kind in {"string_type", "int_type", "int_parsing", "bool_type", "list_type", "dict_type"}:
        return _("This value has the wrong type.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a number of at least %(min)s.") % {"min": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a number of at most %(max)s.") % {"max": ctx.get("le", ctx.get("lt"))}
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "value_error" and error.get("msg"):
        # Raised by our own code with a message already in the caller's language.
        return str(error["msg"]).removeprefix("Value error, ")
    return _("This value is not valid.")


def field_messages(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """``{field: [message, …]}`` in the active language, fields in the order reported."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        messages = fields.setdefault(field_name(error.get("loc", ())), [])
        text = message(error)
        if text not in messages:
            messages.append(text)
    return fields


def invalid_field(source: str, name: str, text: str, *, parameter: str = "") -> dict[str, Any]:
    """One error in django-ninja's shape, for checks made after the schema's."""
    loc = [source, parameter, name] if parameter else [source, name]
    return {"type": "value_error", "loc": loc, "msg": text}
