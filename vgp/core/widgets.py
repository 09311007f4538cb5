"""Form widgets written in Python where Django's templates cost too much.

Django renders a ``<select>`` through one template include per ``<option>``: about a tenth
of a millisecond each, which a list page's filter form (two copies of it: Wagtail's drop-down
and the form for browsers without JavaScript, some 200 options) turns into tens of
milliseconds on every request. :class:`FastSelect` writes the same markup in Python.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``attrs.html``: ``True`` writes the bare name, ``False`` leaves it out."""
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class FastSelectMixin:
    """The markup of Django's ``select.html`` and ``select_option.html``, written in Python
    (optgroups included)."""

    get_context: Any

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        out = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                out.append(
                    format_html('\n  <option value="{}"', str(option["value"]))
                    + _attrs(option["attrs"])
                    + format_html(">{}</option>\n", option["label"])
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 - every part is escaped above


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


FAST = {forms.Select: FastSelect, forms.SelectMultiple: FastSelectMultiple}


def fast_selects(form: forms.BaseForm) -> None:
    """Give a form's plain selects the Python rendering (the widgets keep their choices and
    attributes: the fast classes only replace ``render``)."""
    for field in form.fields.values():
        fast = FAST.get(type(field.widget))
        if fast is not None:
            field.widget.__class__ = fast
