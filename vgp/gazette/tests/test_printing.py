"""A legal document as the gazette prints it, and the panel on the document's own page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vgp.gazette.document_panel import gazette_panel
from vgp.gazette.models import GazetteEntry
from vgp.gazette.printing import PrintedDocument, division_label, printed_documents
from vgp.legal.presentation import document_panels
from vgp.legal.testing import make_document
from vgp.portal.demo import ensure_home_pages

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "number", "label"),
    [
        ("part", "1", "Phần thứ nhất"),
        ("part", "2", "Phần thứ hai"),
        ("part", "II", "Phần II"),
        ("part", "14", "Phần 14"),
        ("chapter", "IV", "Chương IV"),
        ("section", "2", "Mục 2"),
        ("subsection", "1", "Tiểu mục 1"),
    ],
)
def test_division_labels_read_as_printed(kind, number, label):
    assert division_label(kind, number) == label


def test_a_repeated_article_number_keeps_its_own_anchors(documents):
    document = make_document(
        "12/2026/NĐ-CP",
        "Nghị định",
        "Sửa đổi, bổ sung",
        "Điều 5. Sửa đổi\n1. Khoản một.\nĐiều 5. Bổ sung\n1. Khoản khác.\na) Điểm a.",
    )

    [printed] = printed_documents([document])

    anchors = [unit.anchor for unit in printed.units if unit.kind != "preamble"]
    assert anchors == [
        "dieu-5",
        "dieu-5-khoan-1",
        "dieu-5-2",
        "dieu-5-2-khoan-1",
        "dieu-5-2-khoan-1-diem-a",
    ]


def test_the_printed_copy_survives_a_round_trip_through_json(documents):
    [printed] = printed_documents([documents.decree])

    again = PrintedDocument.from_json(printed.to_json())

    assert again == printed
    assert again.as_gazette_document().provisions[1].label == "Chương I"


def test_the_legal_page_names_the_issues_a_document_was_printed_in(published_issue, documents):
    ensure_home_pages()
    entry = GazetteEntry.objects.get(issue=published_issue, document=documents.decree)

    title, html = gazette_panel(documents.decree)

    assert published_issue.get_absolute_url() in html
    assert f"{published_issue.get_pdf_url()}#page={entry.start_page}" in html
    assert entry.pages_label in html
    assert gazette_panel(documents.letter) is None
    # Registered with the legal app when the gazette starts.
    assert [panel.title for panel in document_panels(documents.decree)] == [str(title)]


def test_the_legal_page_shows_the_gazette_panel(client, published_issue, documents):
    ensure_home_pages()

    response = client.get(documents.decree.get_absolute_url())

    assert response.status_code == 200
    assert published_issue.get_absolute_url() in response.content.decode()
    assert reverse("gazette_issue_pdf", args=[published_issue.year, 1]) in response.content.decode()
