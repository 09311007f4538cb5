"""The admin's 403 page for a refused step (vgp.core.admin_refusals)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation

from vgp.core.admin_refusals import reason_of, refused_page


def test_the_reason_is_the_actions_words_else_the_generic_sentence():
    with translation.override("en"):
        assert reason_of(PermissionDenied("Only the handler may report.")) == (
            "Only the handler may report."
        )
        assert reason_of("Not for auditors.") == "Not for auditors."
        for nothing in (PermissionDenied(), ""):
            assert reason_of(nothing) == "You do not have permission to do this."


@pytest.mark.django_db
def test_the_page_says_what_was_refused_and_leads_back():
    request = RequestFactory().post("/quan-tri/phan-anh/7/buoc/approve/")
    request.user = get_user_model().objects.create_superuser("it", "it@example.gov.vn", "x")

    with translation.override("en"):
        response = refused_page(
            request,
            PermissionDenied("Only a leader approves a reply."),
            subtitle="7K3M-9QXA-2BFE",
            back_url="/quan-tri/phan-anh/7/",
            back_label="Back to 7K3M-9QXA-2BFE",
        ).render()

    assert response.status_code == 403
    page = response.content.decode()
    assert "Not allowed" in page
    assert "Only a leader approves a reply." in page
    assert 'href="/quan-tri/phan-anh/7/"' in page
    assert "Back to 7K3M-9QXA-2BFE" in page
