"""Files of official documents: types decided by content, text and pages, refusals, storage.

A file is checked and stored while its uploader waits (``files.store``); its text is read
afterwards from the storage (``files.extract_stored_text``, run by a background task: see
test_search.py for the task and the document's page)."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from vgp.documents import files

SIGNED_PDFS = Path(django_settings.BASE_DIR).parent / "shared" / "data" / "signatures"
FONT_NAME = "DocumentsTestSerif"

DECISION_PAGES = [
    [
        "BỘ NỘI VỤ",
        "Số: 15/QĐ-BNV",
        "QUYẾT ĐỊNH",
        "Quyết định phê duyệt Đề án chuyển đổi số ngành Nội vụ",
    ],
    ["Điều 1. Phê duyệt Đề án với các nội dung chủ yếu sau đây."],
    ["Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", "KT. BỘ TRƯỞNG", "Nguyễn Văn Thắng"],
]


# --- Builders of small real files --------------------------------------------------------------


@pytest.fixture(autouse=True)
def english_messages():
    """Refusals are compared with their English source text."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_storage_is_emptied():
    yield
    storage = storages["private"]
    if storage.exists("documents"):
        _remove_tree(storage, "documents")


def stored_names(path: str = "documents") -> list[str]:
    """Every file under ``path`` in the private storage."""
    storage = storages["private"]
    if not storage.exists(path):
        return []
    directories, names = storage.listdir(path)
    found = [f"{path}/{name}" for name in names]
    for name in directories:
        found += stored_names(f"{path}/{name}")
    return found


def _remove_tree(storage, path: str) -> None:
    directories, names = storage.listdir(path)
    for name in names:
        storage.delete(f"{path}/{name}")
    for name in directories:
        _remove_tree(storage, f"{path}/{name}")


def _font_file() -> Path:
    """The Noto Serif the gazette embeds (``make assets`` puts it in build/fonts)."""
    default = Path(django_settings.BASE_DIR) / "build" / "fonts" / "noto-serif"
    path = Path(getattr(django_settings, "GAZETTE_FONT_DIR", default)) / "NotoSerif_400Regular.ttf"
    assert path.is_file(), f"{path} is missing: run `make assets`"
    return path


def make_pdf(pages: list[list[str]] = DECISION_PAGES) -> bytes:
    """A PDF drawn by reportlab with Noto Serif embedded: one list of lines per page."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(_font_file())))
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for lines in pages:
        drawing.setFont(FONT_NAME, 12)
        for number, line in enumerate(lines):
            drawing.drawString(72, 760 - 20 * number, line)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def encrypt(pdf: bytes, *, user_password: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_image(fmt: str, frames: int = 1) -> bytes:
    buffer = io.BytesIO()
    images = [Image.new("RGB", (8, 6), (200, 30, 30 + i)) for i in range(frames)]
    if frames > 1:
        images[0].save(buffer, format=fmt, save_all=True, append_images=images[1:])
    else:
        images[0].save(buffer, format=fmt)
    return buffer.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_docx(
    body: str | None = None, extra: dict[str, bytes | str] | None = None, doctype: str = ""
) -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    if body is None:
        body = (
            "<w:p><w:r><w:t>Công văn về việc</w:t></w:r><w:r><w:tab/><w:t>góp ý</w:t></w:r>"
            '<w:r><w:t xml:space="preserve"> dự thảo   Nghị định</w:t></w:r></w:p>'
            "<w:p><w:r><w:t>Tài chính &amp; Ngân sách</w:t></w:r>"
            "<w:r><w:instrText>HYPERLINK http://x</w:instrText></w:r></w:p>"
        )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
        f"<w:document {W}><w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_odt(
    text: str = "Thông báo kết luận cuộc họp", extra: dict[str, str] | None = None
) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        "<office:body><office:text>"
        f"<text:h>{text}</text:h><text:p>Hà<text:s/>Nội,<text:line-break/>ngày 15</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    meta = (
        '<office:document-meta xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0">'
        '<meta:document-statistic meta:page-count="2"/></office:document-meta>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", meta)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    shared = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>Danh sách đơn vị</t></si><si><r><t>Vụ Tổng </t></r><r><t>hợp</t></r></si></sst>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", shared)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def text_of(stored: files.StoredFile) -> str:
    """The file's text, as the background task reads it after the upload."""
    return files.extract_stored_text(stored.stored_name, name=stored.original_name)


def stored_bytes(stored: files.StoredFile) -> bytes:
    with files.open_stored(stored.stored_name) as handle:
        return handle.read()


# --- PDF ----------------------------------------------------------------------------------------


def test_a_pdf_is_stored_unchanged_with_its_pages_and_vietnamese_text():
    content = make_pdf()

    stored = files.store(upload("QĐ 15-BNV.pdf", content, "text/plain"))

    now = timezone.localtime()
    assert re.fullmatch(rf"documents/{now:%Y}/{now:%m}/[0-9a-f]{{32}}\.pdf", stored.stored_name)
    assert stored.original_name == "QĐ 15-BNV.pdf"
    assert stored.content_type == "application/pdf"  # not what the client claimed
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.page_count == 3
    assert stored_bytes(stored) == content
    assert stored.text == ""  # read after the upload, not while the clerk waits
    text = text_of(stored)
    assert "Quyết định phê duyệt Đề án chuyển đổi số ngành Nội vụ" in text
    assert "Điều 2. Quyết định này có hiệu lực kể từ ngày ký." in text
    assert unicodedata.is_normalized("NFC", text)
    assert "  " not in text and "\n\n" not in text


def test_text_is_read_from_the_first_pages_only(settings):
    settings.DOCUMENTS_TEXT_MAX_PAGES = 2

    stored = files.store(upload("quyet-dinh.pdf", make_pdf()))

    assert stored.page_count == 3
    assert "Điều 1." in text_of(stored)
    assert "Điều 2." not in text_of(stored)


def test_text_is_cut_at_the_character_limit(settings):
    settings.DOCUMENTS_TEXT_MAX_CHARS = 40

    stored = files.store(upload("quyet-dinh.pdf", make_pdf()))

    assert 0 < len(text_of(stored)) <= 40
    assert text_of(stored).startswith("BỘ NỘI VỤ")


def test_pages_whose_text_cannot_be_extracted_are_skipped_with_a_warning(monkeypatch, caplog):
    from pypdf import PageObject

    def broken(self, *args, **kwargs):
        raise KeyError("/Font")

    monkeypatch.setattr(PageObject, "extract_text", broken)

    stored = files.store(upload("quyet-dinh.pdf", make_pdf()))
    with caplog.at_level(logging.WARNING, logger="vgp.documents.files"):
        text = text_of(stored)

    assert stored.page_count == 3
    assert text == ""
    assert "No text could be extracted from 3 page(s) of 'quyet-dinh.pdf'" in caplog.text


def test_a_pdf_restricted_only_against_copying_is_accepted():
    # Given a PDF encrypted with an empty user password: every viewer opens it
    content = encrypt(make_pdf(), user_password="")

    stored = files.store(upload("cong-van.pdf", content))

    assert stored.page_count == 3
    assert "Quyết định phê duyệt" in text_of(stored)
    assert stored_bytes(stored) == content


def test_a_pdf_that_needs_a_password_is_refused():
    content = encrypt(make_pdf(), user_password="mat-khau")

    with pytest.raises(ValidationError) as error:
        files.store(upload("van-ban-mat.pdf", content))

    assert error.value.code == "pdf_encrypted"
    assert error.value.messages == [
        "“van-ban-mat.pdf” is an encrypted PDF that cannot be opened without a password: "
        "attach a copy without a password."
    ]
    assert stored_names() == []


def test_something_that_only_starts_like_a_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        files.store(upload("to-trinh.pdf", b"%PDF-1.7\nnot really a PDF at all\n%%EOF\n"))

    assert error.value.code == "pdf_damaged"
    assert "“to-trinh.pdf” starts like a PDF but could not be read" in error.value.messages[0]


def test_bytes_before_the_pdf_header_are_refused():
    # A polyglot: something else first, a PDF after it.
    content = b"<html><script>alert(1)</script></html>\n" + make_pdf()

    with pytest.raises(ValidationError) as error:
        files.store(upload("da-sua.pdf", content))

    assert error.value.code == "file_type"


def test_a_truncated_pdf_is_refused():
    content = make_pdf()

    with pytest.raises(ValidationError) as error:
        files.store(upload("bi-cat.pdf", content[: len(content) // 3]))

    assert error.value.code == "pdf_damaged"


# --- Other accepted types -----------------------------------------------------------------------


def test_a_docx_gives_its_text_and_saved_page_count():
    app = "<Properties><Pages>4</Pages></Properties>"
    footer = f"<w:ftr {W}><w:p><w:r><w:t>Nơi nhận: Như trên</w:t></w:r></w:p></w:ftr>"
    stored = files.store(
        upload("gop-y.docx", make_docx(extra={"docProps/app.xml": app, "word/footer1.xml": footer}))
    )

    assert stored.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert stored.stored_name.endswith(".docx")
    assert stored.page_count == 4
    assert text_of(stored) == (
        "Công văn về việc góp ý dự thảo Nghị định\nTài chính & Ngân sách\nNơi nhận: Như trên"
    )


def test_a_docx_never_expands_entities_of_a_doctype():
    # Given a "billion laughs" document: an XML parser would expand &lol9; into gigabytes
    laughs = (
        '<!DOCTYPE w [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    body = "<w:p><w:r><w:t>Trích yếu &lol3;</w:t></w:r></w:p>"
    content = make_docx(body, doctype=laughs)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert b"ENTITY" in archive.read("word/document.xml")

    stored = files.store(upload("laughs.docx", content))

    assert text_of(stored).startswith("Trích yếu")
    assert "lollol" not in text_of(stored)


def test_an_odt_gives_its_text_and_page_count():
    stored = files.store(upload("thong-bao.odt", make_odt()))

    assert stored.content_type == "application/vnd.oasis.opendocument.text"
    assert stored.stored_name.endswith(".odt")
    assert stored.page_count == 2
    assert text_of(stored) == "Thông báo kết luận cuộc họp\nHà Nội,\nngày 15"


def test_an_odt_with_macros_is_refused_but_empty_macro_libraries_are_not():
    empty_libraries = {
        "Basic/script-lc.xml": "<libraries/>",
        "Basic/Standard/script-lb.xml": "<x/>",
    }
    assert text_of(files.store(upload("cu.odt", make_odt(extra=empty_libraries))))

    with pytest.raises(ValidationError) as error:
        files.store(upload("macro.odt", make_odt(extra={"Basic/Standard/Module1.xml": "Sub"})))
    assert error.value.code == "file_type"


def test_an_xlsx_gives_its_shared_strings():
    stored = files.store(upload("danh-sach.xlsx", make_xlsx()))

    assert (
        stored.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert stored.page_count is None
    assert text_of(stored) == "Danh sách đơn vị\nVụ Tổng hợp"


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [("JPEG", "image/jpeg", "jpg"), ("PNG", "image/png", "png"), ("TIFF", "image/tiff", "tif")],
)
def test_scanned_images_are_accepted_without_text(fmt, content_type, extension):
    stored = files.store(upload("ban-quet", make_image(fmt)))

    assert stored.content_type == content_type
    assert stored.stored_name.endswith(f".{extension}")
    assert stored.page_count == 1
    assert text_of(stored) == ""


def test_a_multi_page_tiff_counts_its_pages():
    stored = files.store(upload("fax.tif", make_image("TIFF", frames=3)))

    assert stored.page_count == 3


def test_the_type_is_decided_by_content_not_by_name():
    stored = files.store(upload("anh-chup.jpg", make_pdf(), "image/jpeg"))

    assert stored.content_type == "application/pdf"
    assert stored.stored_name.endswith(".pdf")
    assert stored.original_name == "anh-chup.jpg"


def test_a_given_name_wins_and_names_are_cleaned():
    stored = files.store(ContentFile(make_pdf(), name="blob"), name="../../tmp/Tờ trình\u202e.pdf")

    assert stored.original_name == "Tờ trình.pdf"


def test_a_stream_that_cannot_seek_is_read_once_and_checked():
    class Stream(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    content = make_pdf()
    stored = files.store(File(Stream(content), name="luong.pdf"))

    assert stored.size == len(content)
    assert stored.page_count == 3
    assert stored_bytes(stored) == content


# --- Refusals -----------------------------------------------------------------------------------


def test_a_program_renamed_pdf_is_refused():
    program = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS"

    with pytest.raises(ValidationError) as error:
        files.store(upload("quyet-dinh.pdf", program, "application/pdf"))

    assert error.value.code == "file_type"
    assert error.value.messages == [
        "“quyet-dinh.pdf” is not a PDF, DOCX, ODT, XLSX, JPEG, PNG or TIFF file "
        "(its content was checked)."
    ]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        files.store(upload("trong.pdf", b""))

    assert error.value.code == "file_empty"
    assert error.value.messages == ["“trong.pdf” is empty."]


def test_a_file_over_the_limit_is_refused(settings):
    settings.DOCUMENTS_MAX_FILE_BYTES = 1024
    content = make_pdf()
    assert len(content) > 1024

    with pytest.raises(ValidationError) as error:
        files.store(upload("qua-lon.pdf", content))

    assert error.value.code == "file_too_large"
    assert error.value.messages == ["“qua-lon.pdf” is larger than 1 KB."]


def test_the_default_limit_is_50_mb():
    assert files.max_file_bytes() == 50 * 1024 * 1024
    assert files.help_text() == "PDF, DOCX, ODT, XLSX, JPEG, PNG, TIFF; at most 50 MB per file."


def test_an_old_word_file_is_refused_with_advice():
    ole = files.OLE_MAGIC + b"\x00" * 504

    with pytest.raises(ValidationError) as error:
        files.store(upload("cong-van.doc", ole))

    assert error.value.code == "file_type"
    assert "save it as PDF, DOCX or XLSX" in error.value.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"PK\x05\x06" + b"\x00" * 18, id="empty zip"),
        pytest.param(make_docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), id="docm"),
        pytest.param("<html><body>Quyết định</body></html>".encode(), id="html"),
    ],
)
def test_other_files_are_refused_whatever_their_name(content):
    with pytest.raises(ValidationError) as error:
        files.store(upload("quyet-dinh.docx", content))

    assert error.value.code == "file_type"


def test_a_plain_zip_renamed_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    with pytest.raises(ValidationError) as error:
        files.store(upload("bao-cao.docx", buffer.getvalue()))

    assert error.value.code == "file_type"


def test_an_archive_declaring_too_much_data_is_refused(settings):
    settings.DOCUMENTS_ZIP_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    content = make_docx(extra={"word/media/zeros.bin": b"\x00" * (2 * 1024 * 1024)})
    assert len(content) < 20 * 1024

    with pytest.raises(ValidationError) as error:
        files.store(upload("bom.docx", content))

    assert error.value.code == "file_bomb"
    assert error.value.messages == ["“bom.docx” expands to too much data to be accepted."]


def test_an_archive_with_too_many_entries_is_refused(settings):
    settings.DOCUMENTS_ZIP_MAX_ENTRIES = 10
    content = make_docx(extra={f"word/media/{i}.bin": b"x" for i in range(20)})

    with pytest.raises(ValidationError) as error:
        files.store(upload("nhieu.docx", content))

    assert error.value.code == "file_bomb"


def test_the_text_read_from_an_archive_is_bounded(settings):
    settings.DOCUMENTS_ZIP_MAX_PART_BYTES = 2000
    body = "".join(f"<w:p><w:r><w:t>đoạn {i}</w:t></w:r></w:p>" for i in range(500))

    stored = files.store(upload("dai.docx", make_docx(body)))

    assert text_of(stored).startswith("đoạn 0\nđoạn 1")
    assert "đoạn 499" not in text_of(stored)


def test_no_text_is_read_while_the_uploader_waits(monkeypatch):
    def not_now(*args, **kwargs):
        raise AssertionError("text read during the upload")

    monkeypatch.setattr(files, "_pdf_text", not_now)
    monkeypatch.setattr(files, "_office_text", not_now)

    assert files.store(upload("quyet-dinh.pdf", make_pdf())).page_count == 3
    assert files.store(upload("gop-y.docx", make_docx())).text == ""


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_docx_whose_text_is_damaged_is_still_refused_at_once(compression):
    body = "".join(f"<w:p><w:r><w:t>đoạn {i}</w:t></w:r></w:p>" for i in range(200))
    original = make_docx(body)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(buffer, "w", compression) as archive,
    ):
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info.filename))
    content = bytearray(buffer.getvalue())
    # Damage the middle of the body's bytes (the archive's directory stays intact).
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    content[middle : middle + 8] = bytes(b ^ 0x5A for b in content[middle : middle + 8])

    with pytest.raises(ValidationError) as error:
        files.store(upload("hong.docx", bytes(content)))
    assert error.value.code == "file_type"
    assert stored_names() == []


def test_a_refusal_stores_nothing():
    with pytest.raises(ValidationError):
        files.store(upload("x.pdf", b"not a pdf"))

    assert stored_names() == []


# --- Text normalisation, storage ----------------------------------------------------------------


def test_text_is_nfc_without_invisible_characters_and_with_collapsed_whitespace():
    decomposed = unicodedata.normalize("NFD", "Quyết định")

    text = files.normalize_text(f"  {decomposed}\x00  số\u00ad 15\t/QĐ\u200b\r\n\n\n  Điều 1  ")

    assert text == "Quyết định số 15 /QĐ\nĐiều 1"
    assert unicodedata.is_normalized("NFC", text)


def test_a_stored_file_can_be_opened_and_deleted():
    stored = files.store(upload("quyet-dinh.pdf", make_pdf()))

    files.delete_stored(stored.stored_name)
    files.delete_stored(stored.stored_name)  # already gone: not an error

    assert not storages["private"].exists(stored.stored_name)


@pytest.mark.parametrize(
    "name",
    ["../settings.py", "documents/2026/01/../../x.pdf", "feedback/2026/01/" + "a" * 32 + ".pdf"],
)
def test_only_names_this_module_made_reach_the_storage(name):
    with pytest.raises(ValueError, match="Not a stored document file name"):
        files.open_stored(name)
    with pytest.raises(ValueError, match="Not a stored document file name"):
        files.delete_stored(name)


# --- Real signed PDFs ---------------------------------------------------------------------------


def _signed_pdfs() -> list[Path]:
    return sorted(SIGNED_PDFS.glob("*.pdf")) if SIGNED_PDFS.is_dir() else []


@pytest.mark.skipif(
    not SIGNED_PDFS.is_dir(),
    reason=f"{SIGNED_PDFS} is absent: the real signed PDFs (../shared/data) are not here",
)
@pytest.mark.parametrize("path", _signed_pdfs(), ids=lambda path: path.name)
def test_real_signed_pdfs_are_accepted_and_kept_byte_for_byte(path):
    content = path.read_bytes()

    stored = files.store(upload(path.name, content))

    assert stored.content_type == "application/pdf"
    assert stored.page_count == 1
    assert text_of(stored) == "Hello World"
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    # The signatures cover the bytes: the stored copy must be the very same file.
    assert stored_bytes(stored) == content
