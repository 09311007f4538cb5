"""The gazette PDF: what a reader of the printed issue sees, checked by reading the PDF back.

Every check goes through pypdf's text extraction, so it also proves that the embedded font
maps its glyphs back to Vietnamese text (a PDF that only looks right would fail here).
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from vgp.gazette.pdf import (
    FontsMissing,
    GazetteDocument,
    GazetteIssueData,
    GazetteProvision,
    RenderedIssue,
    render_issue,
)

SITE_URL = "https://congbao.example.gov.vn"
VIETNAMESE_LETTERS = "Đ đ Ứ ữ ặ ỷ"


def label(source: str) -> str:
    """A PDF label as the renderer prints it: the source string in Vietnamese."""
    with translation.override("vi"):
        return gettext(source)


def environmental_decree(articles: int = 60) -> GazetteDocument:
    """A long decree: two chapters, each article with three clauses and two points."""
    provisions = [
        GazetteProvision(
            "preamble",
            "",
            "",
            "Căn cứ Luật Tổ chức Chính phủ;\nTheo đề nghị của Bộ trưởng Bộ Tài nguyên và Môi trường;",
            0,
        ),
        GazetteProvision("chapter", "Chương I", "QUY ĐỊNH CHUNG", "", 0),
    ]
    for number in range(1, articles + 1):
        if number == articles // 2 + 1:
            provisions.append(GazetteProvision("chapter", "Chương II", "THI HÀNH", "", 0))
        provisions.append(
            GazetteProvision("article", f"Điều {number}.", f"Nghĩa vụ thứ {number}", "", 1)
        )
        for clause in range(1, 4):
            provisions.append(
                GazetteProvision(
                    "clause",
                    f"{clause}.",
                    "",
                    f"Cơ sở sản xuất, kinh doanh phải thực hiện các biện pháp bảo vệ môi trường, "
                    f"thu gom và xử lý chất thải đúng quy định (khoản {clause} Điều {number}).",
                    2,
                )
            )
        for point in "ab":
            provisions.append(
                GazetteProvision(
                    "point",
                    f"{point})",
                    "",
                    f"Trường hợp {VIETNAMESE_LETTERS}: báo cáo định kỳ theo điểm {point}.",
                    3,
                )
            )
    return GazetteDocument(
        number_symbol="45/2026/NĐ-CP",
        type_name="Nghị định",
        issuer_name="Chính phủ",
        title="Quy định chi tiết một số điều của Luật Bảo vệ môi trường",
        issued_date=date(2026, 2, 3),
        signer_name="Trần Văn Minh",
        signer_position="TM. Chính phủ\nThủ tướng",
        provisions=provisions,
    )


def approval_decision() -> GazetteDocument:
    """A short decision with no structure: its text comes from plain_text."""
    return GazetteDocument(
        number_symbol="310/QĐ-TTg",
        type_name="Quyết định",
        issuer_name="Thủ tướng Chính phủ",
        title="Về việc phê duyệt Đề án số hoá hồ sơ hành chính",
        issued_date=date(2026, 3, 2),
        signer_name="Trần Văn Minh",
        signer_position="Thủ tướng",
        provisions=[],
        plain_text="Điều 1. Phê duyệt Đề án.\nĐiều 2. Quyết định này có hiệu lực từ ngày ký.",
    )


def guidance_circular() -> GazetteDocument:
    """A circular with no number and no date yet: the header leaves those lines out."""
    return GazetteDocument(
        number_symbol="",
        type_name="Thông tư",
        issuer_name="Bộ Tài chính",
        title="Hướng dẫn quản lý phí bảo vệ môi trường",
        issued_date=None,
        signer_name="Lê Thị Hoa",
        signer_position="Bộ trưởng",
        provisions=[
            GazetteProvision("article", "Điều 32.", "Hiệu lực thi hành", "Thông tư có hiệu lực.", 0)
        ],
    )


def issue_with(documents: list[GazetteDocument]) -> GazetteIssueData:
    return GazetteIssueData(
        year=2026,
        number=12,
        issue_date=date(2026, 3, 15),
        title="Công báo số 12/2026",
        publisher="Văn phòng Chính phủ",
        site_url=SITE_URL,
        documents=documents,
    )


@pytest.fixture(scope="module")
def three_documents() -> GazetteIssueData:
    return issue_with([environmental_decree(), approval_decision(), guidance_circular()])


@pytest.fixture(scope="module")
def rendered(three_documents: GazetteIssueData) -> RenderedIssue:
    return render_issue(three_documents)


@pytest.fixture(scope="module")
def pages(rendered: RenderedIssue) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages]


def reference(document: GazetteDocument) -> str:
    """The TOC's first line for a document, as the renderer composes it in Vietnamese."""
    when = document.issued_date.strftime("%d/%m/%Y") if document.issued_date else ""
    if document.number_symbol and when:
        return label("%(type)s No. %(number)s of %(date)s") % {
            "type": document.type_name,
            "number": document.number_symbol,
            "date": when,
        }
    if document.number_symbol:
        return label("%(type)s No. %(number)s") % {
            "type": document.type_name,
            "number": document.number_symbol,
        }
    return document.type_name


def test_page_map_matches_the_pdf(rendered: RenderedIssue, pages: list[str]) -> None:
    # Given an issue of a long decree and two one-page documents, when it is rendered,
    # then cover and contents come first and each document follows the one before.
    assert rendered.page_count == len(pages)
    assert rendered.start_pages[0] == 3
    assert rendered.start_pages == sorted(set(rendered.start_pages))
    assert rendered.end_pages[0] - rendered.start_pages[0] >= 5  # the decree spans pages
    assert rendered.end_pages[:-1] == [start - 1 for start in rendered.start_pages[1:]]
    assert rendered.end_pages[-1] == rendered.page_count


def test_each_document_starts_where_the_page_map_says(
    three_documents: GazetteIssueData, rendered: RenderedIssue, pages: list[str]
) -> None:
    for document, start, end in zip(
        three_documents.documents, rendered.start_pages, rendered.end_pages, strict=True
    ):
        # The type line and title open the document's first page, and only that page.
        opening = f"{document.type_name.upper()}\n {document.title}"
        found = [number for number, text in enumerate(pages, start=1) if opening in text]
        assert found == [start]
        # The signer's name closes its last page.
        assert document.signer_name in pages[end - 1]


def test_contents_list_each_document_with_its_start_page(
    three_documents: GazetteIssueData, rendered: RenderedIssue, pages: list[str]
) -> None:
    contents = pages[1]
    assert label("CONTENTS") in contents
    for document, start in zip(three_documents.documents, rendered.start_pages, strict=True):
        entry = re.escape(reference(document)) + r"\s+" + re.escape(document.title) + r"\s+(\d+)"
        match = re.search(entry, contents)
        assert match is not None, f"{document.title} is missing from the contents"
        assert int(match.group(1)) == start


def test_vietnamese_text_survives_the_round_trip(pages: list[str]) -> None:
    text = "\n".join(pages)
    assert "Nghị định" in text
    assert "NGHỊ ĐỊNH" in text
    assert "Điều 32" in text
    assert "bảo vệ môi trường" in text
    assert VIETNAMESE_LETTERS in text
    assert "TM. CHÍNH PHỦ" in text  # the signer's position, upper-cased


def test_fonts_are_embedded_and_nothing_else_is_used(rendered: RenderedIssue) -> None:
    reader = PdfReader(io.BytesIO(rendered.pdf))
    faces = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"]
            faces.add(font["/BaseFont"].split("+", 1)[1])
    assert {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic"} <= faces


def test_every_page_has_the_running_footer(rendered: RenderedIssue, pages: list[str]) -> None:
    footer = label("OFFICIAL GAZETTE/No. %(number)s/%(year)s") % {"number": 12, "year": 2026}
    for number, text in enumerate(pages, start=1):
        assert text.startswith(f"{footer}\n{number}\n{SITE_URL}\n"), f"page {number}"


def test_cover_names_publisher_issue_and_date(pages: list[str]) -> None:
    cover = pages[0]
    assert "VĂN PHÒNG CHÍNH PHỦ" in cover
    assert label("OFFICIAL GAZETTE") in cover
    assert label("No. %(number)s/%(year)s") % {"number": 12, "year": 2026} in cover
    assert "15/03/2026" in cover


def test_metadata_and_accessibility_basics(
    three_documents: GazetteIssueData, rendered: RenderedIssue
) -> None:
    reader = PdfReader(io.BytesIO(rendered.pdf))
    info = reader.metadata
    assert info is not None
    assert info.title == "Công báo số 12/2026"
    assert info.author == "Văn phòng Chính phủ"
    assert "12/2026" in (info.subject or "")
    assert info.creation_date == datetime(2026, 3, 15, tzinfo=timezone(timedelta(hours=7)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "vi"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    # Bookmarks: the contents, then each document in input order.
    titles = [entry.title for entry in reader.outline]
    assert titles == [label("CONTENTS")] + [
        reference(document) for document in three_documents.documents
    ]


def test_identical_input_gives_identical_bytes(
    three_documents: GazetteIssueData, rendered: RenderedIssue
) -> None:
    assert render_issue(three_documents).pdf == rendered.pdf


def test_creation_date_can_be_given(three_documents: GazetteIssueData) -> None:
    published = datetime(2026, 3, 16, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    pdf = render_issue(three_documents, created_at=published).pdf
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert info.creation_date == published


def test_naive_creation_date_is_refused(three_documents: GazetteIssueData) -> None:
    with pytest.raises(ValueError, match="aware"):
        render_issue(three_documents, created_at=datetime(2026, 3, 16, 9, 30))  # noqa: DTZ001


def test_issue_without_documents_is_cover_and_empty_contents() -> None:
    rendered = render_issue(issue_with([]))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages]
    assert rendered.page_count == len(pages) == 2
    assert rendered.start_pages == rendered.end_pages == []
    assert label("This issue contains no documents.") in pages[1]


def test_decomposed_input_is_printed_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Quy định về bảo vệ môi trường")
    assert decomposed != "Quy định về bảo vệ môi trường"
    document = GazetteDocument("", "Nghị định", "Chính phủ", decomposed, None, "", "", [])
    rendered = render_issue(issue_with([document]))
    text = PdfReader(io.BytesIO(rendered.pdf)).pages[2].extract_text()
    assert "Quy định về bảo vệ môi trường" in text


def test_markup_characters_in_text_are_printed_as_written() -> None:
    document = GazetteDocument(
        "", "Thông báo", "Văn phòng Chính phủ", "Mức phí <5% & >1%", None, "", "", []
    )
    rendered = render_issue(issue_with([document]))
    text = PdfReader(io.BytesIO(rendered.pdf)).pages[2].extract_text()
    assert "Mức phí <5% & >1%" in text


def test_missing_fonts_name_the_command_that_installs_them(settings, tmp_path) -> None:
    settings.GAZETTE_FONT_DIR = tmp_path
    with pytest.raises(FontsMissing, match="make assets"):
        render_issue(issue_with([]))
