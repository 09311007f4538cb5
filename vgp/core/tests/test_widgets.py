"""FastSelect writes exactly what Django's Select templates write."""

from __future__ import annotations

import pytest
from django import forms

from vgp.core.widgets import FastSelect, FastSelectMultiple, fast_selects

CHOICES = [
    ("", "Tất cả"),
    ("a", "Đang xử lý <khẩn> & “mật”"),
    ("Nhóm", [(1, "Một"), (2, 'Hai "2"')]),
    (3, "Ba"),
]


@pytest.mark.parametrize("value", [None, "", "a", 2, "3", "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "nojs_status", "class": "x", "required": True}])
def test_fast_select_writes_the_same_markup_as_django(value, attrs):
    django_html = forms.Select(choices=CHOICES).render("status", value, attrs=attrs)
    assert FastSelect(choices=CHOICES).render("status", value, attrs=attrs) == django_html


def test_a_form_field_with_fast_select_renders_and_validates():
    class Form(forms.Form):
        status = forms.ChoiceField(choices=CHOICES[:2], widget=FastSelect)

    form = Form({"status": "a"})
    assert form.is_valid()
    assert "selected>Đang xử lý &lt;khẩn&gt; &amp; “mật”</option>" in str(form["status"])
    assert "disabled" not in str(form["status"])


def test_select_multiple_and_a_form_made_fast():
    class Form(forms.Form):
        many = forms.MultipleChoiceField(choices=CHOICES[1:], widget=forms.SelectMultiple)
        one = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs={"size": 2}))

    before = Form({"many": ["a", "3"], "one": "a"})
    expected = [str(before["many"]), str(before["one"])]
    after = Form({"many": ["a", "3"], "one": "a"})
    fast_selects(after)
    assert isinstance(after.fields["many"].widget, FastSelectMultiple)
    assert [str(after["many"]), str(after["one"])] == expected
    assert "multiple" in expected[0] and expected[0].count(" selected") == 2
