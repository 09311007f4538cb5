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


@pytest.mark.django_db
def test_model_choices_read_once_and_shared_between_two_copies_of_a_form(
    django_assert_num_queries,
):
    from django.contrib.auth.models import Group

    from vgp.core.widgets import once_model_choices

    Group.objects.create(name="Nhóm thử <1>")
    Group.objects.create(name="Nhóm thử 2")

    class Form(forms.Form):
        group = forms.ModelChoiceField(Group.objects.order_by("name"), widget=FastSelect)

    first, second = Form({"group": ""}), Form(auto_id="nojs_%s")
    once_model_choices(first)
    once_model_choices(second, shared_with=first)
    with django_assert_num_queries(1):
        rendered = [str(first["group"]), str(second["group"])]

    class Plain(forms.Form):  # Django's own select.html
        group = forms.ModelChoiceField(Group.objects.order_by("name"))

    assert rendered[0] == str(Plain({"group": ""})["group"])
    assert "Nhóm thử &lt;1&gt;" in rendered[1] and 'id="nojs_group"' in rendered[1]
    # Validation still asks the field's queryset.
    chosen = Group.objects.get(name="Nhóm thử 2")
    assert Form({"group": chosen.pk}).is_valid()
    form = Form({"group": 999_999})
    once_model_choices(form)
    assert not form.is_valid()
