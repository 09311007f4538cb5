"""Form widgets written in Python where Django's templates cost too much.

Django renders a ``<select>`` through one template include per ``<option>``: about a tenth
of a millisecond each, which a list page's filter form (two copies of it: Wagtail's drop-down
and the form for browsers without JavaScript, some 200 options) turns into tens of
milliseconds on every request. :class:`FastSelect` writes the same markup in Python.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator
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
    (optgroups included), straight from the choices: Django's ``optgroups`` builds a
    dictionary per option and copies its attributes first."""

    allow_multiple_selected: bool
    attrs: dict[str, Any]
    build_attrs: Any
    choices: Any
    format_value: Any

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        built = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            built["multiple"] = True
        values = self.format_value(value)
        out = [format_html('<select name="{}"', name), _attrs(built), ">"]
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            if grouped:
                out.append(format_html('\n  <optgroup label="{}">', option_value))
                options = option_label
            else:
                options = [(option_value, option_label)]
            for sub_value, sub_label in options:
                if sub_value is None:
                    sub_value = ""
                text = str(sub_value)
                # As Django's: one selected option in a single select, the first that matches.
                selected = (not has_selected or self.allow_multiple_selected) and text in values
                has_selected |= selected
                out.append(
                    f'\n  <option value="{conditional_escape(text)}"'
                    f"{' selected' if selected else ''}>{conditional_escape(sub_label)}</option>\n"
                )
            if grouped:
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


class OnceChoices(BaseChoiceIterator):
    """A model choice field's options read from the database once, on first use, and kept:
    a page that renders the same filters twice (Wagtail's drop-down and the form for
    browsers without JavaScript) shares one instance between both widgets. Plain rows
    rather than Django's ``ModelChoiceIterator``, which on PostgreSQL declares a server-side
    cursor (three round trips) for a few dozen options."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        self.field = field
        self._options: list[tuple[Any, Any]] | None = None

    def __iter__(self) -> Any:
        if self._options is None:
            field = self.field
            options: list[tuple[Any, Any]] = []
            if field.empty_label is not None:
                options.append(("", field.empty_label))
            queryset = field.queryset
            assert queryset is not None
            options.extend(
                (field.prepare_value(obj), field.label_from_instance(obj)) for obj in queryset
            )
            self._options = options
        return iter(self._options)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def once_model_choices(form: forms.BaseForm, shared_with: forms.BaseForm | None = None) -> None:
    """Give a form's model choice fields :class:`OnceChoices` options for their widgets (the
    fields keep their querysets for validation), the same instances as ``shared_with``'s when
    it is another copy of the form."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        other = shared_with.fields.get(name) if shared_with is not None else None
        if other is not None and isinstance(other.widget.choices, OnceChoices):
            field.widget.choices = other.widget.choices
        else:
            field.widget.choices = OnceChoices(field)
