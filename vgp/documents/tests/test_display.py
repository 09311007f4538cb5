"""The lists' fast display helpers write what Django's helpers write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import Truncator

from vgp.documents.display import choice_label, clip, document_url, short_date
from vgp.documents.models import Document, Status, Urgency


@pytest.mark.parametrize("language", ["vi", "en"])
def test_choice_labels_follow_the_active_language(language):
    with translation.override(language):
        for status in Status:
            assert choice_label(Status, status.value) == str(status.label)
            assert (
                choice_label(Status, status.value) == Document(status=status).get_status_display()
            )
        assert choice_label(Urgency, Urgency.FLASH) == str(Urgency.FLASH.label)
    assert choice_label(Status, "no such status") == "no such status"


def test_labels_differ_between_the_languages():
    with translation.override("vi"):
        vietnamese = choice_label(Status, Status.CLOSED)
    with translation.override("en"):
        english = choice_label(Status, Status.CLOSED)
    assert vietnamese != english


@pytest.mark.parametrize("language", ["vi", "en"])
def test_short_dates_are_django_s_short_format(language):
    day = dt.date(2026, 3, 7)
    # 23:30 UTC on 6 March is 06:30 on 7 March in Hà Nội.
    moment = dt.datetime(2026, 3, 6, 23, 30, tzinfo=dt.UTC)
    with translation.override(language):
        assert short_date(day) == date_format(day, "SHORT_DATE_FORMAT") == "07/03/2026"
        assert short_date(moment) == date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")
        assert short_date(moment) == "07/03/2026"
        assert short_date(dt.date(987, 1, 2)) == "02/01/0987"
    assert short_date(None) == "—"


@pytest.mark.parametrize(
    "text",
    ["", "Ngắn", "Về việc " * 40, "e\u0301" * 200, "Tiếng Việt có dấu " * 12],
)
def test_clip_is_truncator_chars(text):
    assert clip(text, 180) == Truncator(text).chars(180)


def test_document_addresses_follow_the_script_prefix():
    document = Document(pk=42)
    assert document_url(document) == reverse("documents:document", args=[42])
    set_script_prefix("/vgp/")
    try:
        assert document_url(document) == reverse("documents:document", args=[42])
        assert document_url(document).startswith("/vgp/")
    finally:
        set_script_prefix("/")
    assert document_url(document) == reverse("documents:document", args=[42])
