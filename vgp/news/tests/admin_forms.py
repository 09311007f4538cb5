"""Form data for Wagtail's page editor in tests: what an editor's browser would post back."""

from __future__ import annotations

from typing import Any

from django import forms
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from vgp.news.blocks import RICH_TEXT_FEATURES


def page_form_data(page: Any, user: Any, **overrides: Any) -> dict[str, Any]:
    """The editor form of ``page`` as loaded, with ``overrides``; paragraphs only in the body."""
    form_class = type(page).get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=user, parent_page=page.get_parent().specific)
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if name == "body":
            data[name] = streamfield(
                [
                    (child.block_type, rich_text(child.value.source, features=RICH_TEXT_FEATURES))
                    for child in page.body
                ]
            )
        elif isinstance(field, forms.BooleanField):
            if form[name].value():
                data[name] = "on"
        else:
            value = form[name].value()
            data[name] = "" if value is None else value
    for name in form.formsets:
        data[name] = inline_formset([])
    data.update(overrides)
    return nested_form_data(data)
