"""An outgoing document signed digitally in the back office, in a real browser (issue 7, point 3).

Anh Tuấn, IT administrator of the Government Office, has set up the Office's certification
authority, ông Hùng's personal certificate with his handwritten signature, and the Office's
seal certificate with its red seal (through the actions: the screens are tested in
test_signature_admin.py). Anh Nam of the General Affairs Department drafted a Công văn to the
Legal Affairs Department and the Ministry of Home Affairs as a PDF with an annex; chị Mai and
ông Hùng approved it. In their own browsers, signed in with password and authenticator code,
in Vietnamese:

- ông Hùng (leader, the signer named on the draft) opens the document and signs it;
- ông Bình, another leader, finds no "Sign" step on ông Hùng's document; on the one naming him
  as its signer, for which he has no certificate yet, the step is refused with a clear message;
- chị Lan (clerk) issues it: the number and date, the Office's seal, its signature, and the
  Office's signature on the annex.

The file chị Lan downloads then carries three valid signatures (Decree 30: signer, seal, number
and date) and the annex one. The document page passes axe-core (WCAG 2.1 AA) before and after
signing, on a desk (1280 x 900) and on a phone (390 x 844); the pages are photographed to
/tmp/docsign-*.png and the signed PDF's first and last pages rendered to /tmp/docsign-pdf-*.png.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.core.files.base import ContentFile
from django.db import connections
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from vgp.accounts.roles import Role
from vgp.documents import actions, digital_signatures, testing
from vgp.documents.models import AttachmentKind, Document, Status
from vgp.documents.tests.test_outgoing import approve_all
from vgp.search.engine import forget_open_indexes
from vgp.signatures import actions as signature_actions
from vgp.signatures import signing
from vgp.signatures.models import CertificateKind
from vgp.signatures.verification import Report, Verdict, verify_pdf

from .test_documents import (
    DESK,
    OVERFLOW_JS,
    PHONE,
    Desk,
    _official,
    assert_accessible,
    click_to,
    go,
    signed_in,
    take_step,
)
from .test_signature_admin import signature_png

pytestmark = pytest.mark.browser

T = TypeVar("T")

SHOTS = "/tmp/docsign-{}.png"  # noqa: S108 - looked at by the developer
PDF_SHOTS = "/tmp/docsign-pdf-{}"  # noqa: S108 - the file, and its pages as PNG (render)
PHONE_HEIGHT = 844
FONTS = Path(__file__).resolve().parents[2] / "build" / "fonts" / "noto-serif"

SUMMARY = "Về việc tham gia ý kiến dự thảo Nghị định về công tác văn thư"
OTHER_SUMMARY = "Về việc chuẩn bị Hội nghị tổng kết công tác văn phòng năm 2026"


# --- The files anh Nam drafted ---------------------------------------------------------------


def _font() -> tuple[str, str]:
    """Noto Serif (every Vietnamese letter) when ``make assets`` has fetched it, else
    Helvetica (the letters then lose their marks: the layout is the same)."""
    regular, bold = FONTS / "NotoSerif_400Regular.ttf", FONTS / "NotoSerif_700Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return "Helvetica", "Helvetica-Bold"
    if "DocSignSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DocSignSerif", str(regular)))
        pdfmetrics.registerFont(TTFont("DocSignSerif-Bold", str(bold)))
    return "DocSignSerif", "DocSignSerif-Bold"


def letter_pdf() -> bytes:
    """A two-page Công văn laid out as Decree 30 (Appendix I) has it: the Office's name and an
    empty place for the number top left, the national motto top right, the summary, the text;
    on the last page the recipients bottom left and the signer's place bottom right left empty
    (the signature, the seal and the number are stamped there digitally)."""
    regular, bold = _font()
    width, height = A4
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(SUMMARY)
    # Page 1: the header; "Số: …" and the date are left to the number's stamp (y 0.80 to 0.86).
    pdf.setFont(regular, 11)
    pdf.drawCentredString(0.26 * width, height - 60, "VĂN PHÒNG CHÍNH PHỦ")
    pdf.setFont(bold, 11)
    pdf.drawCentredString(0.26 * width, height - 74, "VỤ TỔNG HỢP")
    pdf.drawCentredString(0.68 * width, height - 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pdf.drawCentredString(0.68 * width, height - 74, "Độc lập - Tự do - Hạnh phúc")
    pdf.setFont(regular, 10)
    pdf.drawCentredString(0.26 * width, 0.78 * height, "V/v tham gia ý kiến dự thảo Nghị định")
    pdf.drawCentredString(0.26 * width, 0.78 * height - 13, "về công tác văn thư")
    pdf.setFont(regular, 12)
    pdf.drawCentredString(0.5 * width, 0.72 * height, "Kính gửi: Bộ Nội vụ.")
    body = [
        "Văn phòng Chính phủ nhận được Công văn số 1925/BNV-TCBC của Bộ Nội vụ đề nghị",
        "góp ý dự thảo Nghị định sửa đổi, bổ sung một số điều của Nghị định số 30/2020/NĐ-CP",
        "về công tác văn thư. Sau khi nghiên cứu, Văn phòng Chính phủ có ý kiến như sau:",
        "",
        "1. Thống nhất với sự cần thiết ban hành Nghị định và phạm vi điều chỉnh của dự thảo.",
        "2. Đề nghị quy định rõ trình tự ký số của người có thẩm quyền và của cơ quan, tổ chức",
        "   đối với văn bản điện tử, bảo đảm giá trị pháp lý như bản gốc văn bản giấy.",
        "3. Đề nghị bổ sung quy định về lưu trữ văn bản điện tử có chữ ký số dài hạn.",
    ]
    for row, line in enumerate(body * 3):
        pdf.drawString(0.12 * width, 0.66 * height - 18 * row, line)
    pdf.showPage()
    # Page 2: the end of the text, the recipients, the signer's empty place (y 0.10 to 0.26).
    pdf.setFont(regular, 12)
    for row, line in enumerate([*body[4:], "Văn phòng Chính phủ xin gửi Bộ Nội vụ tổng hợp./."]):
        pdf.drawString(0.12 * width, height - 90 - 18 * row, line)
    pdf.setFont(bold, 10)
    pdf.drawString(0.08 * width, 0.30 * height, "Nơi nhận:")
    pdf.setFont(regular, 9)
    for row, line in enumerate(["- Như trên;", "- Vụ Pháp luật;", "- Lưu: VT, TH."]):
        pdf.drawString(0.08 * width, 0.30 * height - 13 * (row + 1), line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def annex_pdf() -> bytes:
    """Its annex: a one-page table whose top right corner is left for the Office's stamp."""
    regular, bold = _font()
    width, height = A4
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont(bold, 12)
    pdf.drawCentredString(0.5 * width, 0.85 * height, "PHỤ LỤC I")
    pdf.setFont(regular, 11)
    pdf.drawCentredString(
        0.5 * width, 0.85 * height - 16, "Ý kiến cụ thể đối với dự thảo Nghị định"
    )
    for row in range(12):
        pdf.drawString(0.12 * width, 0.75 * height - 18 * row, f"Điều {row + 1}. Giữ nguyên.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def seal_png() -> bytes:
    """The Office's red seal, scanned: two rings and a star on a transparent background."""
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (200, 20, 30, 230)
    draw.ellipse((6, 6, 294, 294), outline=red, width=10)
    draw.ellipse((48, 48, 252, 252), outline=red, width=4)
    points = [(0.0, -1.0), (0.588, -0.809), (0.951, -0.309), (0.951, 0.309), (0.588, 0.809)]
    points += [(-x, -y) for x, y in points]  # the other half of the circle
    star = [(150 + r * x, 150 + r * y) for r, (x, y) in zip([60, 24] * 5, points, strict=True)]
    draw.polygon(star, fill=red)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# --- The Office ------------------------------------------------------------------------------


@pytest.fixture
def signing_desk(site, browser, settings, tmp_path) -> Iterator[Desk]:
    """The Government Office with its certification authority, ông Hùng's certificate (with his
    handwritten signature) and the Office's seal (with its image); ông Bình has none."""
    base_url, _pages = site
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.SEARCH_INDEX_DIR.mkdir()
    forget_open_indexes()
    signing.forget_cached()
    testing.ensure_document_types()  # a transactional test flushed the migration's rows
    office = testing.government_office()
    general = testing.general_affairs(office)
    legal = testing.legal_affairs(office)
    home = testing.home_affairs()
    users = {
        "clerk": _official("lan", office, Role.CLERK, "Trần Thị Lan", position="Văn thư"),
        "leader": _official(
            "hung", office, Role.LEADER, "Nguyễn Văn Hùng", position="Phó Chủ nhiệm"
        ),
        "other_leader": _official(
            "binh", office, Role.LEADER, "Vũ Thanh Bình", position="Phó Chủ nhiệm"
        ),
        "unit_head": _official("mai", office, Role.UNIT_HEAD, "Lê Thị Mai", unit=general),
        "handler": _official("nam", office, Role.HANDLER, "Phạm Văn Nam", unit=general),
    }
    tuan = testing.official("tuan", office, Role.IT_ADMIN, name="Đỗ Minh Tuấn")
    signature_actions.create_authority(
        tuan, agency=office, root_name="VPCP Root CA", issuing_name="VPCP Issuing CA"
    )
    personal = signature_actions.issue_certificate(
        tuan, kind=CertificateKind.PERSONAL, holder=users["leader"]
    )
    signature_actions.set_image(users["leader"], personal, signature_png())
    seal = signature_actions.issue_certificate(tuan, kind=CertificateKind.SEAL, agency=office)
    signature_actions.set_image(tuan, seal, seal_png())
    desk = Desk(base_url, office, general, legal, home, users, browser)
    yield desk
    for context in desk.contexts:
        context.close()
    forget_open_indexes()
    signing.forget_cached()


def approved_letter(desk: Desk, signer: str, summary: str = SUMMARY) -> Document:
    """Anh Nam's Công văn (PDF) with its annex, approved by chị Mai and the signer."""
    users = desk.users
    document = testing.draft(
        users["handler"],
        summary=summary,
        signer=users[signer],
        recipients=[desk.legal, desk.home],
        file=ContentFile(letter_pdf(), name="cong-van-gop-y.pdf"),
    )
    actions.add_annex(
        users["handler"], document, file=ContentFile(annex_pdf(), name="phu-luc-i.pdf")
    )
    actions.submit_for_review(users["handler"], document)
    return approve_all(document, users["unit_head"], users[signer], users[signer])


# --- Helpers ---------------------------------------------------------------------------------


def said(page: Any, message: str) -> str:
    """``message`` in the page's language, as the officials read it."""
    with translation.override(page.locator("html").get_attribute("lang") or "vi"):
        return gettext(message)


def signature_row(page: Any) -> str:
    """The text of the "Digital signature" row of the document's details."""
    term = page.locator("dl.documents-facts dt", has_text=said(page, "Digital signature"))
    assert term.count() == 1, page.locator("dl.documents-facts").inner_text()
    return term.locator("xpath=following-sibling::dd[1]").inner_text().strip()


def signed_by(page: Any, name: str) -> re.Pattern[str]:
    """The words "Signed by <name> on <when>" in the page's language."""
    words = said(page, "Signed by %(name)s on %(when)s")
    pattern = re.escape(words).replace(re.escape("%(name)s"), re.escape(name))
    return re.compile(pattern.replace(re.escape("%(when)s"), r"\d\d?/\d\d?/\d{2,4} \d\d?:\d\d"))


def steps_offered(page: Any) -> list[str]:
    return [
        (key or "").removeprefix("step-")
        for key in page.locator("details.documents-step").evaluate_all(
            "nodes => nodes.map((n) => n.id)"
        )
    ]


# The bottom of the page's content: its innermost elements (Wagtail's layout boxes stretch to
# the window's height).
CONTENT_HEIGHT_JS = """() => Math.ceil(Math.max(
    ...[...document.querySelectorAll("main *")]
        .filter((e) => !e.children.length)
        .map((e) => e.getBoundingClientRect().bottom)
)) + 32"""


def whole(page: Any, name: str) -> None:
    """The page at a desk, whole, to ``/tmp/docsign-<name>.png``."""
    page.set_viewport_size({"width": DESK["width"], "height": 4000})
    try:
        height = page.evaluate(CONTENT_HEIGHT_JS)
        page.set_viewport_size({"width": DESK["width"], "height": max(height, DESK["height"])})
        page.screenshot(path=SHOTS.format(name))
    finally:
        page.set_viewport_size(DESK)


def photograph(page: Any, desk: Desk, name: str) -> None:
    """``/tmp/docsign-<name>-1280.png``: the page at a desk, whole (Wagtail's admin scrolls
    inside its layout: the window is made as tall as the content); then the same address on a
    phone, in a context of its own with the same session (a window narrowed after loading keeps
    Wagtail's desk layout): nothing wider than the screen, nothing inaccessible, its first
    screen to ``-390.png`` and the whole of it to ``-390-full.png``."""
    whole(page, f"{name}-{DESK['width']}")
    phone = desk.browser.new_context(
        storage_state=page.context.storage_state(),
        viewport={"width": PHONE, "height": PHONE_HEIGHT},
        locale="vi-VN",
        is_mobile=True,
        has_touch=True,
    )
    try:
        small = phone.new_page()
        go(small, desk, page.url.removeprefix(desk.base_url))
        assert small.evaluate(OVERFLOW_JS) == [], f"{name} is wider than a phone"
        assert_accessible(small)
        small.screenshot(path=SHOTS.format(f"{name}-{PHONE}"))
        small.set_viewport_size({"width": PHONE, "height": 8000})
        height = small.evaluate(CONTENT_HEIGHT_JS)
        small.set_viewport_size({"width": PHONE, "height": max(height, PHONE_HEIGHT)})
        small.screenshot(path=SHOTS.format(f"{name}-{PHONE}-full"))
    finally:
        phone.close()


def off_the_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` in a thread of its own: pyHanko (signing, verifying) runs
    an event loop of its own, which cannot start in the test's thread, where Playwright's runs
    (the live server's threads have none)."""

    def call() -> T:
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()  # the thread's own connection

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def verified(pdf: bytes) -> Report:
    return off_the_loop(verify_pdf, pdf)


def download(page: Any, name: str) -> bytes:
    """Download the file ``name`` from the document page's list of files, as the clerk does."""
    link = page.locator("ul.documents-files a", has_text=name)
    assert link.count() == 1, page.locator("ul.documents-files").inner_text()
    with page.expect_download() as event:
        link.click()
    path = event.value.path()
    return Path(path).read_bytes()


def render(pdf: bytes, prefix: str) -> list[Path]:
    """``pdf`` kept as ``<prefix>.pdf``, its first and last pages rendered at 60 dpi to
    ``<prefix>-p<n>.png`` for the developer to look at (nothing without poppler-utils)."""
    source = Path(f"{prefix}.pdf")
    source.write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return []
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    made = []
    for number in sorted({1, pages}):
        page = f"{prefix}-p{number}"
        command = [pdftoppm, "-png", "-r", "60", "-f", str(number), "-l", str(number)]
        command += ["-singlefile", str(source), page]
        subprocess.run(command, check=True, timeout=60)  # noqa: S603 - a PDF the test made
        made.append(Path(f"{page}.png"))
    return made


# --- The test --------------------------------------------------------------------------------


def test_the_signer_signs_the_clerk_issues_and_the_pdf_carries_three_valid_signatures(
    signing_desk: Desk,
) -> None:
    desk = signing_desk
    users = desk.users
    letter = approved_letter(desk, "leader")
    others = approved_letter(desk, "other_leader", OTHER_SUMMARY)
    letter_url = reverse("documents:document", args=[letter.pk])
    assert (letter.status, letter.signed_at) == (Status.APPROVED, None)

    # 1. Ông Bình, another leader, may read ông Hùng's approved letter but not sign it.
    other = signed_in(desk, "other_leader")
    go(other, desk, letter_url)
    assert said(other, "Not signed yet: the signer signs the approved PDF") in signature_row(other)
    assert "sign" not in steps_offered(other)

    # 2. Ông Hùng opens it: not signed yet, his step is there.
    leader = signed_in(desk, "leader")
    go(leader, desk, letter_url)
    assert signature_row(leader) == said(
        leader, "Not signed yet: the signer signs the approved PDF"
    )
    assert "sign" in steps_offered(leader)
    assert_accessible(leader)
    photograph(leader, desk, "approved")

    # He signs: told so, and the page says who signed and when.
    message = take_step(leader, "sign")
    assert message.strip() == said(leader, "Signed. The clerk can now issue it.")
    letter.refresh_from_db()
    assert letter.signed_by == users["leader"] and letter.status == Status.APPROVED
    assert signed_by(leader, "Nguyễn Văn Hùng").match(signature_row(leader)), signature_row(leader)
    assert "sign" not in steps_offered(leader)
    assert_accessible(leader)
    photograph(leader, desk, "signed")
    (first,) = verified(digital_signatures.read(digital_signatures.main_file(letter))).signatures
    assert first.verdict == Verdict.VALID and first.signer_name == "Nguyễn Văn Hùng"

    # 3. Ông Bình, on the letter that names him as its signer: he has no certificate, and the
    # step, offered, is refused with what to do.
    go(other, desk, reverse("documents:document", args=[others.pk]))
    assert "sign" in steps_offered(other)
    details = other.locator("details#step-sign")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    click_to(other, details.locator("form button[type=submit]"))
    assert said(other, "The step was not done: see the errors in its form.") in (
        other.locator(".messages li.error").inner_text()
    )
    refusal = other.locator("details#step-sign [role=alert]")
    assert refusal.is_visible()
    assert refusal.inner_text().strip() == said(
        other, "You have no valid signing certificate: ask the IT administrator for one."
    )
    others.refresh_from_db()
    assert others.signed_at is None
    assert not others.attachments.filter(kind=AttachmentKind.MAIN).exists()
    assert_accessible(other)
    whole(other, "refused-1280")

    # 4. Chị Lan issues it: its number, the seal, the Office's signature.
    clerk = signed_in(desk, "clerk")
    go(clerk, desk, letter_url)
    assert "sign" not in steps_offered(clerk)
    message = take_step(clerk, "issue")
    letter.refresh_from_db()
    assert letter.status == Status.ISSUED and letter.number_symbol
    assert message.strip() == said(clerk, "Issued as %(symbol)s.") % {
        "symbol": letter.number_symbol
    }
    row = signature_row(clerk)
    assert signed_by(clerk, "Nguyễn Văn Hùng").match(row), row
    assert said(clerk, "with the organisation's seal and signature") in row
    assert clerk.locator("h1").inner_text().strip().startswith(letter.number_symbol)
    assert_accessible(clerk)
    photograph(clerk, desk, "issued")

    # 5. The file she downloads: the signer's, the seal's, the Office's with the number — all
    # valid; the annex: the Office's.
    main = digital_signatures.main_file(letter)
    annex = letter.attachments.get(kind=AttachmentKind.ANNEX)
    final = download(clerk, main.original_name)
    assert final == digital_signatures.read(main)
    report = verified(final)
    assert report.verdict == Verdict.VALID, report
    assert [s.verdict for s in report.signatures] == [Verdict.VALID] * 3, report
    names = [(s.signer_name, s.signer_organization) for s in report.signatures]
    assert names[0][0] == "Nguyễn Văn Hùng", names
    assert {organisation for _name, organisation in names[1:]} == {desk.office.name_vi}, names
    annexed = download(clerk, annex.original_name)
    annex_report = verified(annexed)
    assert annex_report.verdict == Verdict.VALID, annex_report
    assert [s.verdict for s in annex_report.signatures] == [Verdict.VALID]
    assert len(PdfReader(io.BytesIO(final)).pages) == 2

    # For the developer's eyes: the number on page 1, the signature and the seal on page 2.
    render(final, PDF_SHOTS.format("main"))
    render(annexed, PDF_SHOTS.format("annex"))
